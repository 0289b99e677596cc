package ternary

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time of the calling OS thread; the caller must
// have locked its goroutine to the thread. It lets benchmarks report rates
// per CPU-second, which a loaded machine disturbs less than wall time.
func threadCPU() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
