//go:build !linux

package flip

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
