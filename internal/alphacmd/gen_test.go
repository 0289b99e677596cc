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
)

func runGen(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return execRoot(context.Background(), t, append([]string{"gen"}, args...)...)
}

const genStrassen = `# source: test
# size: 2x2x2
# field: Z
1 0 0 1 ; 1 0 0 1 ; 1 0 0 1
0 0 1 1 ; 1 0 0 0 ; 0 0 1 -1
1 0 0 0 ; 0 1 0 -1 ; 0 1 0 1
0 0 0 1 ; -1 0 1 0 ; 1 0 1 0
1 1 0 0 ; 0 0 0 1 ; -1 1 0 0
-1 0 1 0 ; 1 1 0 0 ; 0 0 0 1
0 1 0 -1 ; 0 0 1 1 ; 1 0 0 0
`

func TestGenCmd(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "2x2x2_r7_Z.txt")
	bad := filepath.Join(dir, "bad_Z.txt")
	os.WriteFile(good, []byte(genStrassen), 0o644)
	os.WriteFile(bad, []byte(strings.Replace(genStrassen, "0 1 0 -1 ; 0 0 1 1", "0 1 0 1 ; 0 0 1 1", 1)), 0o644)
	out := filepath.Join(dir, "fast")

	_, stderr, err := runGen(t, good, "--package", "fast", "--out", out)
	if err != nil {
		t.Fatalf("gen: %v\n%s", err, stderr)
	}
	src, err := os.ReadFile(filepath.Join(out, "gen_2x2x2_r7_z.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"package fast", "func Mul2x2x2R7Z(c, a, b blas64.General)", "DO NOT EDIT."} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("generated file lacks %q", want)
		}
	}

	stdout, _, err := runGen(t, good, bad, "--json", "--out", out)
	if se, ok := err.(*SilentError); !ok || se.Code != exitFail {
		t.Fatalf("a bad file: error %v, want exit %d", err, exitFail)
	}
	var res []genResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	if len(res) != 2 || res[0].Error != "" || res[0].Rank != 7 || !strings.Contains(res[1].Error, "does not verify") {
		t.Errorf("results %+v", res)
	}

	stdout, _, err = runGen(t, good, "--out", "-", "--func", "Fast", "--name", "fast")
	if err != nil || !strings.Contains(stdout, "func Fast(c, a, b blas64.General)") {
		t.Errorf("--out -: error %v, output:\n%s", err, stdout)
	}

	for _, args := range [][]string{{}, {good, bad, "--name", "x"}, {good, "--out", ""}} {
		if _, _, err := runGen(t, args...); err == nil {
			t.Errorf("gen %v: no usage error", args)
		} else if _, ok := err.(*usageError); !ok {
			t.Errorf("gen %v: error %v is not a usage error", args, err)
		}
	}
}

// TestGenPackageName refuses package clauses that would not compile: the
// blank identifier, keywords and non-identifiers, with a usage error naming
// the flag, before reading any file.
func TestGenPackageName(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "2x2x2_r7_Z.txt")
	os.WriteFile(good, []byte(genStrassen), 0o644)
	for _, pkg := range []string{"_", "", "func", "type", "1p", "fast-mul", `x; import "os"`, "π "} {
		_, _, err := runGen(t, good, "--package", pkg, "--out", "-")
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--package") {
			t.Errorf("--package %q: error %v, want a usage error naming --package", pkg, err)
		}
	}
	for _, pkg := range []string{"fast", "π", "main", "kernels2"} {
		if _, _, err := runGen(t, good, "--package", pkg, "--out", "-"); err != nil {
			t.Errorf("--package %q: %v", pkg, err)
		}
	}
}
