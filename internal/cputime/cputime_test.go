package cputime

import (
	"runtime"
	"testing"
)

func TestThreadGrows(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	a, ok := Thread()
	if !ok {
		t.Skip("no per-thread CPU time on " + runtime.GOOS)
	}
	x := uint64(1)
	for b := a; b-a < 5e6; b, _ = Thread() { // spin 5 ms of CPU
		for range 1000 {
			x = x*6364136223846793005 + 1
		}
	}
	if x == 0 {
		t.Log(x)
	}
	if b, _ := Thread(); b <= a {
		t.Errorf("CPU time went from %v to %v while spinning", a, b)
	}
}
