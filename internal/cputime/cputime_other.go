//go:build !linux

// Package cputime reads the CPU time of the calling OS thread, which lets
// the walkers' benchmarks report rates per CPU-second: a loaded machine
// disturbs those less than wall time.
package cputime

import "time"

// Thread returns false: this system has no per-thread CPU time here.
func Thread() (time.Duration, bool) { return 0, false }
