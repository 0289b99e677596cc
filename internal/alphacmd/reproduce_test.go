package alphacmd

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func reproduceExec(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return execCode(context.Background(), t, append([]string{"reproduce"}, args...)...)
}

func TestReproduceCmd(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // substring of stdout
	}{
		{"reproduced", []string{"--formats", "2x2x2", "--run", filepath.Join(dir, "a"), "--budget", "1m"}, exitOK, "Every row was reproduced"},
		{"missed", []string{"--formats", "4x4x4", "--fields", "z2", "--run", filepath.Join(dir, "b"), "--budget", "100ms", "--workers", "1"}, exitFail, "## Missed"},
		{"all and formats", []string{"--all", "--formats", "2x2x2"}, exitUsage, ""},
		{"bad format", []string{"--formats", "2x2"}, exitUsage, ""},
		{"bad field", []string{"--fields", "gf3"}, exitUsage, ""},
		{"bad budget", []string{"--budget", "-1s"}, exitUsage, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := reproduceExec(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out, tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, out)
			}
		})
	}
}

func TestReproduceCmdJSON(t *testing.T) {
	out, errOut, code := reproduceExec(t, "--formats", "2x2x3", "--fields", "z2", "--run", t.TempDir(), "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Rows []struct {
			Format  string `json:"format"`
			Field   string `json:"field"`
			Found   int    `json:"found"`
			Reached bool   `json:"reached"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if len(rep.Rows) != 1 || rep.Rows[0].Format != "2x2x3" || rep.Rows[0].Field != "Z2" || !rep.Rows[0].Reached || rep.Rows[0].Found != 11 {
		t.Fatalf("rows %+v, want 2x2x3 over Z2 reproduced at 11", rep.Rows)
	}
	if !strings.Contains(errOut, "2x2x3") {
		t.Errorf("no live table on stderr: %q", errOut)
	}
}
