package alphacmd

import (
	"runtime"
)

// workersPerCPU bounds the workers (walkers, games, cores) a command
// starts: more than this many per CPU only adds memory and scheduling
// overhead (100000 search walkers took 630 MB and overran --time fivefold).
const workersPerCPU = 64

// maxWorkers returns the most workers a command accepts on this machine.
func maxWorkers() int { return workersPerCPU * runtime.NumCPU() }

// checkWorkers returns a usage error when the count n given to flag is
// above maxWorkers; 0 (the default) and the lower bounds are the
// commands' own.
func checkWorkers(cmd, flag string, n int) error {
	if m := maxWorkers(); n > m {
		return usageErrorf("%s: %s %d: at most %d (%d per CPU, %d CPUs)", cmd, flag, n, m, workersPerCPU, runtime.NumCPU())
	}
	return nil
}
