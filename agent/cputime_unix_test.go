//go:build unix

package agent

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time the process has used: the
// benchmarks divide work by it as well as by wall time, since on a shared
// machine the wall time mostly measures the other processes.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
