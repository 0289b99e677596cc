package alphacmd

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// agentExec runs alphamat with args and returns stdout, stderr and the error.
func agentExec(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	return execRoot(context.Background(), t, args...)
}

func TestPlayFindsAndWritesScheme(t *testing.T) {
	dir := t.TempDir()
	// 1x1x2 has rank 2; the uniform search with the rank-one finish finds
	// it at once, writes it verified, and stops at the target.
	out, errOut, err := agentExec(t, "play", "1x1x2", "--model", "uniform", "--run", dir, "--time", "20s",
		"--target", "2", "--sims", "20", "--games", "2", "--json")
	if err != nil {
		t.Fatalf("play: %v\n%s", err, errOut)
	}
	var res playResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if res.Best != 2 || res.Format != "1x1x2" || res.Model != "uniform" {
		t.Errorf("result %+v", res)
	}
	path := filepath.Join(dir, "1x1x2_r2_Z2.txt")
	s, err := tensorgame.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Errorf("%s does not verify: %v", path, err)
	}
	if s.Origin == nil || s.Origin.Move != tensorgame.MovePlay || s.Origin.Params["model"] != "uniform" {
		t.Errorf("%s: origin %+v, want play with model uniform", path, s.Origin)
	}
	// It went through the run's pool, which search reads too.
	p, err := pool.Open(dir, s.Format, s.Field, pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Best() != 2 || len(p.Schemes(2)) != 1 {
		t.Errorf("the run's pool holds %v, want one scheme of rank 2", p.Len())
	}
	// A second run sees the run's best and aims lower; rank 1 does not
	// exist, so with a short budget it reports the run's best and exit 1.
	out, _, err = agentExec(t, "play", "1x1x2", "--model", "uniform", "--run", dir, "--time", "300ms", "--sims", "5", "--games", "1", "--target", "1")
	var se *SilentError
	if !errors.As(err, &se) || se.Code != exitFail {
		t.Errorf("second play: err %v, want exit %d", err, exitFail)
	}
	if !strings.Contains(out, "best rank 2") {
		t.Errorf("second play output %q", out)
	}
}

func TestPlayShippedModel(t *testing.T) {
	dir := t.TempDir()
	out, errOut, err := agentExec(t, "play", "2x2x2", "--run", dir, "--time", "1s", "--sims", "10", "--games", "2", "--limit", "8")
	var se *SilentError
	if err != nil && !errors.As(err, &se) {
		t.Fatalf("play: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "shipped 2x2x2_Z2.model") || !strings.Contains(out, "2x2x2 over Z2") {
		t.Errorf("stderr %q\nstdout %q", errOut, out)
	}
}

func TestPlayUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.model")
	if err := os.WriteFile(bad, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args  []string
		usage bool
	}{
		{[]string{"play"}, true},
		{[]string{"play", "2x2"}, true},
		{[]string{"play", "2x2x2", "--field", "q"}, true},
		{[]string{"play", "2x2x2", "--sims", "0"}, true},
		{[]string{"play", "2x2x2", "--bases", "uniform"}, true},
		{[]string{"play", "5x5x5"}, true}, // no shipped model fits
		{[]string{"play", "2x2x2", "--model", bad, "--run", dir}, false},
	} {
		_, _, err := agentExec(t, tc.args...)
		if err == nil {
			t.Errorf("%v: no error", tc.args)
			continue
		}
		var ue *usageError
		if got := errors.As(err, &ue); got != tc.usage {
			t.Errorf("%v: usage error %v, want %v (%v)", tc.args, got, tc.usage, err)
		}
	}
}

// With a smaller shipped model, play compresses residuals to it and plays
// under permuted bases unless told otherwise.
func TestPlayCompress(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		model    string // want in the JSON model field
		compress bool   // the model string names the compression
		bases    string // want on stderr
	}{
		{"2x2x3-default", []string{"2x2x3"}, "shipped 3x3x3_Z2.model", true, "permuted bases"},
		{"2x2x3-off", []string{"2x2x3", "--compress=false"}, "shipped 3x3x3_Z2.model", false, "default bases"},
		{"2x2x3-default-bases", []string{"2x2x3", "--bases", "default"}, "shipped 3x3x3_Z2.model", true, "default bases"},
		{"2x2x3-permuted-off", []string{"2x2x3", "--compress=false", "--bases", "permuted"}, "shipped 3x3x3_Z2.model", false, "permuted bases"},
		{"2x2x2-none-smaller", []string{"2x2x2"}, "shipped 2x2x2_Z2.model", false, "default bases"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"play"}, tc.args...)
			args = append(args, "--run", t.TempDir(), "--time", "1s", "--sims", "10", "--games", "2", "--json")
			out, errOut, err := agentExec(t, args...)
			var se *SilentError
			if err != nil && !errors.As(err, &se) {
				t.Fatalf("play: %v\n%s", err, errOut)
			}
			var res playResult
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("json output: %v\n%s", err, out)
			}
			if !strings.HasPrefix(res.Model, tc.model) {
				t.Errorf("model %q, want %q", res.Model, tc.model)
			}
			if got := strings.Contains(res.Model, "compressed residuals to 2x2x2_Z2.model"); got != tc.compress {
				t.Errorf("model %q: compression %v, want %v", res.Model, got, tc.compress)
			}
			if !strings.Contains(errOut, tc.bases) {
				t.Errorf("stderr %q, want %q", errOut, tc.bases)
			}
		})
	}
}

// TestDefaultPlayMatchesFlags checks that defaultPlay (reproduce --agent)
// plays with alphamat play's flag defaults.
func TestDefaultPlayMatchesFlags(t *testing.T) {
	o := defaultPlay(tensorgame.Format{N: 2, M: 2, P: 2}, time.Minute, 1, "x")
	fl := newPlayCmd(&IO{}).Flags()
	for _, tc := range []struct{ flag, got string }{
		{"sims", strconv.Itoa(o.sims)},
		{"samples", strconv.Itoa(o.samples)},
		{"lookahead", strconv.FormatFloat(o.look, 'g', -1, 64)},
		{"compress", strconv.FormatBool(o.compress)},
		{"split", strconv.FormatBool(o.split)},
		{"bases", o.bases},
		{"field", strings.ToLower(o.field.String())},
		{"games", strconv.Itoa(o.games)},
		{"model", o.model},
	} {
		if def := fl.Lookup(tc.flag).DefValue; def != tc.got {
			t.Errorf("--%s: defaultPlay %q, flag default %q", tc.flag, tc.got, def)
		}
	}
}

// A format no shipped model fits, with axes at most twice the largest
// one's, is played through its parts (--split): 1x2x5 (axes 2×10×5)
// splits into pieces the 3x3x3 model takes, and their combination is a
// verified scheme of at most n·m·p terms. Without --split it is refused.
func TestPlayThroughParts(t *testing.T) {
	dir := t.TempDir()
	out, errOut, err := agentExec(t, "play", "1x2x5", "--run", dir, "--time", "60s",
		"--target", "10", "--sims", "10", "--games", "2", "--json")
	if err != nil {
		t.Fatalf("play: %v\n%s", err, errOut)
	}
	var res playResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if res.Best == 0 || res.Best > 10 || res.SplitTargets == 0 || res.SplitGames != res.Games {
		t.Errorf("result %+v, want rank at most 10, every game on a sub-target", res)
	}
	s, err := tensorgame.ReadFile(filepath.Join(dir, "1x2x5_r"+strconv.Itoa(res.Best)+"_Z2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Errorf("scheme does not verify: %v", err)
	}
	var ue *usageError
	if _, _, err := agentExec(t, "play", "1x2x5", "--split=false", "--run", t.TempDir(), "--time", "1s"); !errors.As(err, &ue) {
		t.Errorf("--split=false: error %v, want a usage error", err)
	}
}
