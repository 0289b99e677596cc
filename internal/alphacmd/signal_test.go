package alphacmd

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// mainEnv names the environment variable that makes the test binary run
// Main with its arguments instead of the tests (see TestMain).
const mainEnv = "ALPHAMAT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		args := os.Args[1:]
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		os.Exit(Main(args, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestSecondSignalEndsProcess runs "alphamat verify" on a FIFO nobody
// writes to, so the command blocks in a read that does not watch its
// context. The first signal only cancels the context; a second must end the
// process.
func TestSecondSignalEndsProcess(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "f.txt")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "verify", fifo)
			cmd.Env = append(os.Environ(), mainEnv+"=1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			defer func() {
				cmd.Process.Kill()
				<-done
			}()

			// Opening the write end succeeds once the child has opened
			// the read end, that is, after Main installed its handlers.
			var w *os.File
			for deadline := time.Now().Add(30 * time.Second); ; {
				f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
				if err == nil {
					w = f
					break
				}
				if !errors.Is(err, syscall.ENXIO) || time.Now().After(deadline) {
					t.Fatalf("open FIFO for writing: %v", err)
				}
				time.Sleep(10 * time.Millisecond)
			}
			defer w.Close()

			// Send the signal repeatedly: the first cancels, a later one
			// must kill. Without a reset the process outlives them all.
			for i := 0; i < 20; i++ {
				if err := cmd.Process.Signal(sig); err != nil {
					break // already gone
				}
				select {
				case <-done:
					done <- nil
					if i == 0 {
						t.Logf("ended on the first %v", sig)
					}
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
			t.Fatalf("process survived 20 x %v", sig)
		})
	}
}
