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

	"github.com/alphamat/alphamat/internal/sharedtest"
)

// verifyShared returns testdata/published at the module root; the test
// fails when it is absent.
func verifyShared(t *testing.T) string {
	t.Helper()
	return filepath.Join(sharedtest.Dir(t), "published")
}

// verifyExec runs "alphamat verify args..." in process and returns stdout,
// stderr and the exit code.
func verifyExec(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return execCode(context.Background(), t, append([]string{"verify"}, args...)...)
}

const strassenFile = `# size: 2x2x2
# rank: 7
# field: Z
1 0 0 1 ; 1 0 0 1 ; 1 0 0 1
0 0 1 1 ; 1 0 0 0 ; 0 0 1 -1
1 0 0 0 ; 0 1 0 -1 ; 0 1 0 1
0 0 0 1 ; -1 0 1 0 ; 1 0 1 0
1 1 0 0 ; 0 0 0 1 ; -1 1 0 0
-1 0 1 0 ; 1 1 0 0 ; 0 0 0 1
0 1 0 -1 ; 0 0 1 1 ; 1 0 0 0
`

// TestVerifyCmdPublished verifies the flip-graph directory (16 files) and a
// few AlphaTensor files: exit 0, one OK line each.
func TestVerifyCmdPublished(t *testing.T) {
	pub := verifyShared(t)
	at := filepath.Join(pub, "alphatensor")
	args := []string{filepath.Join(pub, "flipgraph"), filepath.Join(at, "2x2x2_r7_Z.txt"), filepath.Join(at, "3x4x11_r103_Q.txt"), filepath.Join(at, "4x4x4_r47_Z2.txt")}
	out, errOut, code := verifyExec(t, args...)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 19 {
		t.Errorf("%d lines, want 19:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if !strings.HasSuffix(l, " OK") {
			t.Errorf("line %q does not end in OK", l)
		}
	}
	last := strings.Fields(lines[len(lines)-1])
	if want := []string{filepath.Join(at, "4x4x4_r47_Z2.txt"), "4x4x4", "47", "Z2", "OK"}; strings.Join(last, " ") != strings.Join(want, " ") {
		t.Errorf("last line has fields %q, want %q", last, want)
	}
	if !strings.Contains(errOut, "all 19 schemes OK") {
		t.Errorf("stderr %q lacks the summary", errOut)
	}
}

// TestVerifyCmdFailures mixes a good file, a broken scheme, a parse error
// and a missing file: every file gets a line, the reasons name the
// equation or file:line, and the exit code is 1.
func TestVerifyCmdFailures(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	broken := filepath.Join(dir, "broken.txt")
	garbled := filepath.Join(dir, "garbled.txt")
	missing := filepath.Join(dir, "missing.txt")
	write := func(path, data string) {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(good, strassenFile)
	write(broken, strings.Replace(strassenFile, "1 0 0 1 ; 1 0 0 1 ; 1 0 0 1", "1 0 0 1 ; 1 0 0 1 ; 0 0 0 1", 1))
	write(garbled, strings.Replace(strassenFile, "0 0 1 1 ; 1 0 0 0", "0 0 1 1 1 0 0 0", 1))

	out, errOut, code := verifyExec(t, good, broken, garbled, missing)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), out)
	}
	wants := []string{
		"OK",
		"FAIL: Brent equation (0,0,0)",
		"FAIL: " + garbled + ":5:1: want three factors",
		"FAIL: open " + missing,
	}
	for i, w := range wants {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d %q does not contain %q", i+1, lines[i], w)
		}
	}
	if !strings.Contains(errOut, "3 of 4 schemes failed") {
		t.Errorf("stderr %q lacks the summary", errOut)
	}

	// The same as JSON.
	out, _, code = verifyExec(t, "--json", good, broken, garbled, missing)
	if code != 1 {
		t.Errorf("--json: exit %d, want 1", code)
	}
	var res []verifyResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if len(res) != 4 {
		t.Fatalf("%d results, want 4", len(res))
	}
	if !res[0].OK || res[0].Format != "2x2x2" || res[0].Rank != 7 || res[0].Field != "Z" || res[0].NonZeros != 36 || res[0].Error != "" {
		t.Errorf("good: %+v", res[0])
	}
	if res[1].OK || res[1].Rank != 7 || !strings.Contains(res[1].Error, "Brent equation") {
		t.Errorf("broken: %+v", res[1])
	}
	if res[2].OK || res[2].Format != "" || !strings.Contains(res[2].Error, ":5:1:") {
		t.Errorf("garbled: %+v", res[2])
	}
	if res[3].OK || res[3].File != missing {
		t.Errorf("missing: %+v", res[3])
	}
	// JSON field names are part of the interface.
	for _, key := range []string{`"file"`, `"format"`, `"rank"`, `"field"`, `"ok"`, `"error"`, `"nonzeros"`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

// TestVerifyCmdNPZ verifies AlphaTensor's mod-2 archive: one line per key.
func TestVerifyCmdNPZ(t *testing.T) {
	pub := verifyShared(t)
	f2 := filepath.Join(pub, "alphatensor", "npz", "factorizations_f2.npz")
	out, errOut, code := verifyExec(t, "--json", f2)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res []verifyResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 20 {
		t.Errorf("%d results, want 20", len(res))
	}
	for _, r := range res {
		if !r.OK || r.Field != "Z2" || r.Key == "" || r.File != f2 {
			t.Errorf("result %+v", r)
		}
	}
	// Read as standard arithmetic, the mod-2 schemes fail (none is a Z
	// scheme), and each failure is reported per key.
	out, _, code = verifyExec(t, "--npz-field", "Z", f2)
	if code != 1 || strings.Count(out, "FAIL") != 20 || !strings.Contains(out, "[4,4,4]") {
		t.Errorf("--npz-field Z: exit %d, output\n%s", code, out)
	}
}

func TestVerifyCmdUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"--npz-field", "R", "x.npz"}, {"--bogus", "x.txt"}} {
		_, errOut, code := verifyExec(t, args...)
		if code != exitUsage {
			t.Errorf("verify %q: exit %d (stderr %q), want %d", args, code, errOut, exitUsage)
		}
	}
}

func TestVerifyCmdCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	err := verifyRun(ctx, &IO{Out: &out, ErrOut: &errOut}, &verifyOptions{Paths: []string{"a.txt", "b.txt"}, NPZField: "auto"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("verifyRun on a canceled context = %v, want context.Canceled", err)
	}
}
