//go:build !linux

package ternary

import "time"

func threadCPU() (time.Duration, bool) { return 0, false }
