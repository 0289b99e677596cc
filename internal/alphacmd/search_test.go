package alphacmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

func searchExec(ctx context.Context, t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return execCode(ctx, t, append([]string{"search"}, args...)...)
}

func TestSearchFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want searchOptions
	}{
		{[]string{"3x3x3"}, searchOptions{Format: tensorgame.Format{N: 3, M: 3, P: 3}, Field: tensorgame.Z2, Seed: 1, Run: filepath.Join("runs", "3x3x3-z2")}},
		{[]string{"2,3,4", "--field", "Z", "--target", "20", "--workers", "1", "--seed", "7", "--time", "1m", "--run", "d", "--json"},
			searchOptions{Format: tensorgame.Format{N: 2, M: 3, P: 4}, Field: tensorgame.Z, Target: 20, Workers: 1, Seed: 7, Time: 60e9, Run: "d", JSON: true}},
		{[]string{"5x5x5", "--cyclic", "--compose", "runs"}, searchOptions{Format: tensorgame.Format{N: 5, M: 5, P: 5}, Field: tensorgame.Z2, Seed: 1,
			Cyclic: true, Compose: "runs", Run: filepath.Join("runs", "5x5x5-z2")}},
		{[]string{"4x5x5", "--restrict", "runs"}, searchOptions{Format: tensorgame.Format{N: 4, M: 5, P: 5}, Field: tensorgame.Z2, Seed: 1,
			Restrict: "runs", Run: filepath.Join("runs", "4x5x5-z2")}},
	} {
		var got *searchOptions
		root := NewRoot(&IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}})
		// Swap the search command for one that captures its options.
		for _, cmd := range root.Commands() {
			if cmd.Name() == "search" {
				root.RemoveCommand(cmd)
			}
		}
		root.AddCommand(newSearchCmdRun(&IO{}, func(_ context.Context, o *searchOptions) error { got = o; return nil }))
		root.SetArgs(append([]string{"search"}, c.args...))
		if err := root.Execute(); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if *got != c.want {
			t.Errorf("%v: options %+v, want %+v", c.args, *got, c.want)
		}
	}
}

func TestSearchBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, s *tensorgame.Scheme) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := tensorgame.Write(f, s); err != nil {
			t.Fatal(err)
		}
		return path
	}
	f222 := tensorgame.Format{N: 2, M: 2, P: 2}
	other := write("other.txt", tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2))
	bad := tensorgame.Standard(f222, tensorgame.Z2)
	bad.Terms = bad.Terms[1:]
	broken := write("broken.txt", bad)
	// A run directory of another format: refused, and left as it was.
	runDir := filepath.Join(dir, "run")
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		t.Fatal(err)
	}
	state := []byte(`{"format":"3x3x3","field":"Z2"}`)
	if err := os.WriteFile(filepath.Join(runDir, "state.json"), state, 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no format", nil, exitUsage, "FORMAT"},
		{"bad format", []string{"4y4"}, exitUsage, "4y4"},
		{"too large", []string{"17x16x16", "--run", filepath.Join(dir, "big")}, exitFail, "at most 256"},
		{"field", []string{"2x2x2", "--field", "q"}, exitUsage, "want z2 or z"},
		{"target zero", []string{"2x2x2", "--target", "0"}, exitUsage, "below 1"},
		{"target above start", []string{"2x2x2", "--target", "9", "--run", filepath.Join(dir, "r1")}, exitFail, "above the start rank 8"},
		{"workers", []string{"2x2x2", "--workers", "0"}, exitUsage, "--workers"},
		{"cyclic too large", []string{"2x2x17", "--cyclic", "--run", filepath.Join(dir, "c17")}, exitFail, "17x17x17"},
		{"from other format", []string{"2x2x2", "--from", other, "--run", filepath.Join(dir, "r2")}, exitFail, "2x2x3"},
		{"from broken", []string{"2x2x2", "--from", broken, "--run", filepath.Join(dir, "r3")}, exitFail, "Brent"},
		{"from missing", []string{"2x2x2", "--from", filepath.Join(dir, "none.txt")}, exitFail, "none.txt"},
		{"run dir of another run", []string{"2x2x2", "--run", runDir}, exitFail, "3x3x3"},
		{"run dir a file", []string{"2x2x2", "--run", notDir}, exitFail, "not a directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := searchExec(context.Background(), t, c.args...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, c.code, c.want)
			}
		})
	}
	got, err := os.ReadFile(filepath.Join(runDir, "state.json"))
	if err != nil || !bytes.Equal(got, state) {
		t.Errorf("state file of the refused run directory changed: %q, %v", got, err)
	}
	if ents, _ := os.ReadDir(runDir); len(ents) != 1 {
		t.Errorf("refused run directory holds %d entries, want 1", len(ents))
	}
}

func TestSearchRuns(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	out, _, code := searchExec(context.Background(), t, "3x3x3", "--target", "23", "--workers", "2", "--run", run, "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var res searchResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if !res.Reached || res.Rank > 23 || res.Workers != 2 {
		t.Fatalf("result %+v", res)
	}
	s, err := tensorgame.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(s); err != nil || s.Rank() != res.Rank {
		t.Fatalf("%s: rank %d, %v", res.Path, s.Rank(), err)
	}
	// Interrupted (the context is cancelled, as by Ctrl-C): exit 130, and
	// the run directory still holds the best scheme.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, errOut, code := searchExec(ctx, t, "3x3x3", "--run", run)
	if code != exitCancel || !strings.Contains(errOut, "resume") {
		t.Errorf("cancelled run: exit %d, stderr %q", code, errOut)
	}
	if _, err := tensorgame.ReadFile(res.Path); errors.Is(err, os.ErrNotExist) {
		t.Error("best scheme gone after an interrupted resume")
	} else if err != nil {
		t.Error(err)
	}
}

// TestSearchCompose starts 2x2x4 from two copies of a 2x2x2 scheme found
// by an earlier search in the same runs directory.
func TestSearchCompose(t *testing.T) {
	ctx := context.Background()
	runs := t.TempDir()
	if _, errOut, code := execCode(ctx, t, "search", "2x2x2", "--target", "7", "--workers", "1", "--run", filepath.Join(runs, "2x2x2-z2")); code != 0 {
		t.Fatalf("search 2x2x2: exit %d: %s", code, errOut)
	}
	_, errOut, code := execCode(ctx, t, "search", "2x2x4", "--target", "14", "--workers", "1", "--compose", runs, "--run", filepath.Join(runs, "2x2x4-z2"))
	if code != 0 || !strings.Contains(errOut, "composite start of rank 14") {
		t.Fatalf("search 2x2x4 --compose: exit %d: %s", code, errOut)
	}
	_, errOut, code = execCode(ctx, t, "search", "2x2x4", "--target", "14", "--compose", filepath.Join(runs, "nothing"), "--run", t.TempDir())
	if code == 0 || !strings.Contains(errOut, "not a directory") {
		t.Errorf("--compose of a missing directory: exit %d: %s", code, errOut)
	}
}

// TestSearchRestrict starts 2x2x2 from restrictions of a 2x2x3 scheme
// (Strassen + 2x2x1) found by an earlier search in the same runs directory.
func TestSearchRestrict(t *testing.T) {
	ctx := context.Background()
	runs := t.TempDir()
	if _, errOut, code := execCode(ctx, t, "search", "2x2x2", "--target", "7", "--workers", "1", "--run", filepath.Join(runs, "2x2x2-z2")); code != 0 {
		t.Fatalf("search 2x2x2: exit %d: %s", code, errOut)
	}
	if _, errOut, code := execCode(ctx, t, "search", "2x2x3", "--target", "11", "--workers", "1", "--compose", runs, "--run", filepath.Join(runs, "2x2x3-z2")); code != 0 {
		t.Fatalf("search 2x2x3: exit %d: %s", code, errOut)
	}
	out := filepath.Join(t.TempDir(), "r")
	_, errOut, code := execCode(ctx, t, "search", "2x2x2", "--target", "7", "--workers", "1", "--restrict", runs, "--run", out, "--json")
	if code != 0 || !strings.Contains(errOut, "restriction starts of rank 7") {
		t.Fatalf("search 2x2x2 --restrict: exit %d: %s", code, errOut)
	}
	s, err := tensorgame.ReadFile(filepath.Join(out, "2x2x2_r7_Z2.txt"))
	if err != nil || tensorgame.Verify(s) != nil {
		t.Fatalf("the scheme: %v", err)
	}
	if !strings.Contains(strings.Join(s.Comments, "\n"), "derived: restriction") {
		t.Errorf("the scheme is not the restriction: %q", s.Comments)
	}
	_, errOut, code = execCode(ctx, t, "search", "3x3x3", "--target", "23", "--time", "1s", "--restrict", runs, "--run", t.TempDir())
	if !strings.Contains(errOut, "no restriction start") {
		t.Errorf("--restrict without a larger format: exit %d: %s", code, errOut)
	}
	_, errOut, code = execCode(ctx, t, "search", "2x2x2", "--restrict", filepath.Join(runs, "nothing"), "--run", t.TempDir())
	if code == 0 || !strings.Contains(errOut, "not a directory") {
		t.Errorf("--restrict of a missing directory: exit %d: %s", code, errOut)
	}
}
