package alphacmd

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/internal/sharedtest"
	"github.com/alphamat/alphamat/search/lift"
	"github.com/alphamat/alphamat/tensorgame"
)

// liftShared returns testdata/published/alphatensor at the module root;
// the test fails when it is absent.
func liftShared(t *testing.T) string {
	t.Helper()
	return filepath.Join(sharedtest.Dir(t), "published", "alphatensor")
}

func liftExec(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	return execRoot(context.Background(), t, append([]string{"lift"}, args...)...)
}

// TestLiftBatch lifts a batch with a scheme that does not lift (AlphaTensor's
// 4x4x4 r47 mod 2), one that does, a Z scheme (reduced mod 2 first) and a
// missing file: the batch goes on, exits 1, and writes the lifts.
func TestLiftBatch(t *testing.T) {
	at := liftShared(t)
	out := t.TempDir()
	files := []string{
		filepath.Join(at, "4x4x4_r47_Z2.txt"),
		filepath.Join(at, "2x2x2_r7_Z2.txt"),
		filepath.Join(at, "3x3x3_r23_Z.txt"),
		filepath.Join(out, "missing.txt"),
	}
	for _, asJSON := range []bool{false, true} {
		args := append([]string{"--out", out}, files...)
		if asJSON {
			args = append(args, "--json")
		}
		stdout, stderr, err := liftExec(t, args...)
		var se *SilentError
		if !errors.As(err, &se) || se.Code != exitFail {
			t.Fatalf("json %v: got error %v, want exit %d; stderr:\n%s", asJSON, err, exitFail, stderr)
		}
		want := map[string]string{files[0]: liftNotLiftable, files[1]: liftLifted, files[2]: liftLifted, files[3]: liftError}
		got := map[string]liftResult{}
		if asJSON {
			var rs []liftResult
			if err := json.Unmarshal([]byte(stdout), &rs); err != nil {
				t.Fatalf("json output: %v\n%s", err, stdout)
			}
			for _, r := range rs {
				got[r.File] = r
			}
		} else {
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			if len(lines) != len(files) {
				t.Fatalf("%d output lines, want %d:\n%s", len(lines), len(files), stdout)
			}
			if !strings.Contains(lines[0], "not liftable (inconsistent mod 4)") {
				t.Errorf("line %q: want not liftable (inconsistent mod 4)", lines[0])
			}
			for i, l := range lines[1:3] {
				if !strings.Contains(l, "lifted to Z") {
					t.Errorf("line %q: want lifted to Z", l)
				}
				got[files[1+i]] = liftResult{Status: liftLifted}
			}
			got[files[0]] = liftResult{Status: liftNotLiftable}
			got[files[3]] = liftResult{Status: liftError}
		}
		for f, st := range want {
			if got[f].Status != st {
				t.Errorf("json %v: %s: status %q, want %q", asJSON, f, got[f].Status, st)
			}
		}
	}
	for _, name := range []string{"2x2x2_r7_Z.txt", "3x3x3_r23_Z.txt"} {
		s, err := tensorgame.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if s.Field != tensorgame.Z {
			t.Errorf("%s: field %v", name, s.Field)
		}
		if err := tensorgame.Verify(s); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The second run found the same lifts and reused their files.
	if m, _ := filepath.Glob(filepath.Join(out, "*-2.txt")); len(m) != 0 {
		t.Errorf("second run wrote new files %v for the same schemes", m)
	}
}

// TestLiftRationalFile lifts with the naive order, which gives denominators
// 3 for AlphaTensor's 3x3x4 r29 mod 2: the file is written as Q.
func TestLiftRationalFile(t *testing.T) {
	at := liftShared(t)
	out := t.TempDir()
	stdout, stderr, err := liftExec(t, "--out", out, "--order", "natural", "--attempts", "1", filepath.Join(at, "3x3x4_r29_Z2.txt"))
	if err != nil {
		t.Fatalf("%v\n%s%s", err, stdout, stderr)
	}
	s, err := tensorgame.ReadFile(filepath.Join(out, "3x3x4_r29_Q.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, den := s.MaxAbs(); s.Field != tensorgame.Q || den == 1 {
		t.Errorf("field %v, largest denominator %d: want Q with fractions", s.Field, den)
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Error(err)
	}
}

// TestLiftNameCollision lifts two different schemes of the same format and
// rank: the second gets a file of its own.
func TestLiftNameCollision(t *testing.T) {
	at := liftShared(t)
	out := t.TempDir()
	a, b := filepath.Join(at, "2x2x2_r7_Z2.txt"), filepath.Join(at, "2x2x2_r7_Z.txt")
	if _, _, err := liftExec(t, "--out", out, a, b); err != nil {
		t.Fatal(err)
	}
	s1, err1 := tensorgame.ReadFile(filepath.Join(out, "2x2x2_r7_Z.txt"))
	s2, err2 := tensorgame.ReadFile(filepath.Join(out, "2x2x2_r7_Z-2.txt"))
	if err1 != nil || err2 != nil {
		t.Fatalf("%v / %v", err1, err2)
	}
	if s1.Equal(s2) {
		t.Error("the two files hold the same scheme")
	}
}

func TestLiftFlags(t *testing.T) {
	var got *liftOptions
	cmd := newLiftCmdRun(&IO{}, func(_ context.Context, o *liftOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--out", "d", "--attempts", "2", "--max-bits", "30", "--integer", "--order", "natural", "--seed", "7", "--json", "a.txt", "b.txt"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := liftOptions{Files: []string{"a.txt", "b.txt"}, Out: "d", JSON: true, Attempts: 2, MaxBits: 30, Integer: true, Order: lift.OrderNatural, Seed: 7}
	if got == nil || strings.Join(got.Files, ",") != "a.txt,b.txt" || got.Out != want.Out || got.JSON != want.JSON ||
		got.Attempts != want.Attempts || got.MaxBits != want.MaxBits || got.Integer != want.Integer || got.Order != want.Order || got.Seed != want.Seed {
		t.Errorf("options %+v, want %+v", got, want)
	}
}

func TestLiftUsageErrors(t *testing.T) {
	tests := [][]string{
		{},
		{"--attempts", "0", "a.txt"},
		{"--max-bits", "63", "a.txt"},
		{"--order", "random", "a.txt"},
		{"--out", "", "a.txt"},
	}
	for _, args := range tests {
		_, _, err := liftExec(t, args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: got %v, want a usage error", args, err)
		}
	}
}
