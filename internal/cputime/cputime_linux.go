// Package cputime reads the CPU time of the calling OS thread, which lets
// the walkers' benchmarks report rates per CPU-second: a loaded machine
// disturbs those less than wall time.
package cputime

import (
	"syscall"
	"time"
)

// Thread returns the CPU time of the calling OS thread and true, or false
// where the system cannot tell. The caller must have locked its goroutine
// to the thread (runtime.LockOSThread).
func Thread() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
