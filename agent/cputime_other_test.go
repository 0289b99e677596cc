//go:build !unix

package agent

import "time"

// cpuTime is unknown here: the benchmarks report no per-CPU-second rates.
func cpuTime() time.Duration { return 0 }
