package pool

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// holdEnv names the environment variable that makes the test binary open
// the run directory it names, report "locked" (or "closed" after Close
// with holdCloseEnv set) and wait for its stdin to close (see TestMain).
const (
	holdEnv      = "ALPHAMAT_TEST_POOL_HOLD"
	holdCloseEnv = "ALPHAMAT_TEST_POOL_HOLD_CLOSE"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		p, err := Open(path, f222, tensorgame.Z2, Options{})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		if os.Getenv(holdCloseEnv) != "" {
			if err := p.Close(); err != nil {
				fmt.Println("error:", err)
				os.Exit(1)
			}
			fmt.Println("closed")
		} else {
			fmt.Println("locked")
		}
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// hold starts a process that opens the run directory path and returns it
// once it has, and a function that ends it.
func hold(t *testing.T, path string, closeIt bool) (*exec.Cmd, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	if closeIt {
		cmd.Env = append(cmd.Env, holdCloseEnv+"=1")
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	end := func() {
		stdin.Close()
		cmd.Wait()
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if want := map[bool]string{false: "locked\n", true: "closed\n"}[closeIt]; err != nil || line != want {
		end()
		t.Fatalf("helper said %q, %v; want %q", line, err, want)
	}
	return cmd, end
}

// TestOpenLocks opens a run directory from a second process: the first
// Open holds it, so a second one fails naming the holder's pid, until the
// holder closes the pool or exits.
func TestOpenLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run")
	cmd, end := hold(t, path, false)
	_, err := Open(path, f222, tensorgame.Z2, Options{})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", cmd.Process.Pid)) || !strings.Contains(err.Error(), path) {
		t.Errorf("Open while another process holds it: %v; want an error naming the directory and pid %d", err, cmd.Process.Pid)
	}
	end()
	p, err := Open(path, f222, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatalf("Open after the holder exited: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	_, end = hold(t, path, true)
	defer end()
	p, err = Open(path, f222, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatalf("Open after the holder closed its pool: %v", err)
	}
	p.Close()
}

// TestSaveWritesBestFirst makes the pool/ write fail: the new best scheme
// must already be in the top-level file, so the best rank is never only in
// pool/.
func TestSaveWritesBestFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run")
	p, err := Open(path, f222, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Add(tensorgame.Standard(f222, tensorgame.Z2)); err != nil {
		t.Fatal(err)
	}
	// A file where the pool folder was: writes into it fail.
	if err := os.RemoveAll(filepath.Join(path, "pool")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(path, "pool"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Add(strassenZ2(t)); err == nil {
		t.Fatal("Add succeeded with pool/ unwritable")
	}
	s, err := tensorgame.ReadFile(p.Path(7))
	if err != nil || !s.Equal(strassenZ2(t)) {
		t.Errorf("best file after a failed pool write: %v", err)
	}
}

// TestOpenRebuildsBestFile opens a run directory whose best rank is only
// in pool/ (as a run killed between the two writes of the old order left
// it): Open writes the top-level file again, and ReadBest, even before,
// sees the best rank.
func TestOpenRebuildsBestFile(t *testing.T) {
	path := seedRun(t, tensorgame.Standard(f222, tensorgame.Z2), strassenZ2(t))
	if err := os.Remove(filepath.Join(path, FileName(f222, tensorgame.Z2, 7))); err != nil {
		t.Fatal(err)
	}
	if s, err := ReadBest(path, f222, tensorgame.Z2); err != nil || s == nil || s.Rank() != 7 {
		t.Errorf("ReadBest with rank 7 only in pool/: %v, %v", s, err)
	}
	q := reopen(t, path)
	s, err := tensorgame.ReadFile(q.Path(7))
	if err != nil || !s.Equal(strassenZ2(t)) {
		t.Errorf("best file after Open: %v", err)
	}
}

// TestOpenSetsAsideCorrupt puts a damaged file in a run directory: Open
// renames it to *.corrupt (never deleting it), reports it in Warnings and
// resumes with the rest.
func TestOpenSetsAsideCorrupt(t *testing.T) {
	std := func() string {
		var b strings.Builder
		tensorgame.Write(&b, tensorgame.Standard(f222, tensorgame.Z2))
		return b.String()
	}()
	broken := strings.Replace(std, "1 0 0 0 ; 1 0 0 0 ; 1 0 0 0", "1 0 0 0 ; 1 0 0 0 ; 1 1 0 0", 1)
	for _, c := range []struct {
		name, file, text string
	}{
		{"state json", StateFile, "{"},
		{"unverified", "2x2x2_r8_Z2.txt", broken},
		{"unparsable", "pool/2x2x2_r8_Z2_0123456789abcdef.txt", "# size: 2x2x2\n1 0"},
		{"wrong rank", "2x2x2_r7_Z2.txt", std},
		{"three factors", "pool/2x2x2_r7_Z2_0123456789abcdef.txt", "# size: 2x2x2\n# field: Z2\n1 0 0 0 ; 1 0 0 0\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := seedRun(t, strassenZ2(t))
			bad := filepath.Join(path, c.file)
			if err := os.WriteFile(bad, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			q := reopen(t, path)
			if q.Best() != 7 {
				t.Errorf("best %d after resume, want 7", q.Best())
			}
			// The name may hold a good scheme again (Open rebuilds the
			// best file from pool/), never the damaged text.
			if data, err := os.ReadFile(bad); err == nil && string(data) == c.text {
				t.Errorf("%s is still in place", bad)
			}
			kept, err := os.ReadFile(bad + ".corrupt")
			if err != nil || string(kept) != c.text {
				t.Errorf("%s.corrupt: %v", bad, err)
			}
			w := q.Warnings()
			if len(w) != 1 || !strings.Contains(w[0], bad) {
				t.Errorf("warnings %q, want one naming %s", w, bad)
			}
		})
	}
}

// TestOpenRemovesStaleTemp leaves the temporary files of a killed write in
// a run directory: Open removes them and nothing else.
func TestOpenRemovesStaleTemp(t *testing.T) {
	path := seedRun(t, strassenZ2(t))
	stale := []string{
		filepath.Join(path, ".2x2x2_r6_Z2.txt.tmp123456"),
		filepath.Join(path, "."+StateFile+".tmp99"),
		filepath.Join(path, "pool", ".2x2x2_r7_Z2_0123456789abcdef.txt.tmp42"),
	}
	for _, name := range stale {
		if err := os.WriteFile(name, []byte("half a sch"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(path, "notes.tmp")
	if err := os.WriteFile(other, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	reopen(t, path)
	for _, name := range stale {
		if _, err := os.Stat(name); err == nil {
			t.Errorf("%s was not removed", name)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("%s: %v", other, err)
	}
}

// seedRun returns a fresh run directory into which a pool, since closed,
// added the schemes.
func seedRun(t *testing.T, schemes ...*tensorgame.Scheme) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run")
	p, err := Open(path, f222, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range schemes {
		if _, err := p.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// reopen opens the run directory at path again, closing it when the test
// ends.
func reopen(t *testing.T, path string) *Pool {
	t.Helper()
	q, err := Open(path, f222, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}
