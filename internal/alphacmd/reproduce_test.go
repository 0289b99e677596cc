package alphacmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/reproduce"
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
		{"bad agent time", []string{"--agent", "--agent-time", "0s"}, exitUsage, ""},
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

// TestReproduceAgent checks reproduce --agent: the agent alone plays the
// row over Z2 after the flip walks, its rank (a verified scheme, so at
// least 2x2x2's rank 7; at most the first games' limit, 8, when it found
// one in the time) goes to agent.json and the report.
func TestReproduceAgent(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := reproduceExec(t, "--formats", "2x2x2", "--fields", "z2", "--run", dir, "--budget", "1m", "--agent", "--agent-time", "3s")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "## The agent alone") || !strings.Contains(out, "| 2x2x2 | Z2 | 7 | 7 |") {
		t.Errorf("report lacks the agent's table:\n%s", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "agent.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []agentRow
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatalf("agent.json: %v", err)
	}
	if len(rows) != 1 || rows[0].Format != "2x2x2" || rows[0].Flips != 7 || rows[0].Seconds <= 0 || !strings.Contains(rows[0].Model, "2x2x2_Z2.model") {
		t.Fatalf("agent rows %+v, want one 2x2x2 row, flip walks at 7, played by the shipped 2x2x2 model", rows)
	}
	if b := rows[0].Best; b != 0 && (b < 7 || b > 8) {
		t.Errorf("agent rank %d: want 7 or 8 (or none)", b)
	}
	if b := rows[0].Best; b > 0 {
		if _, err := os.Stat(filepath.Join(dir, rows[0].Dir, fmt.Sprintf("2x2x2_r%d_Z2.txt", b))); err != nil {
			t.Errorf("agent's scheme: %v", err)
		}
	}
}

// TestLiveTableLog checks the live table away from a terminal: a line per
// change of a row's status or best rank, none for pending rows or repeats.
func TestLiveTableLog(t *testing.T) {
	var b strings.Builder
	l := newLiveTable(&b)
	row := reproduce.Row{Format: "3x5x5", Field: "Z2", Published: 58, Status: reproduce.StatusPending}
	for _, step := range []struct {
		status reproduce.Status
		found  int
	}{{reproduce.StatusPending, 0}, {reproduce.StatusRunning, 61}, {reproduce.StatusRunning, 61}, {reproduce.StatusRunning, 60}, {reproduce.StatusRunning, 60}, {reproduce.StatusMissed, 60}} {
		row.Status, row.Found = step.status, step.found
		l.draw([]reproduce.Row{row})
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], " 61 ") || !strings.Contains(lines[1], " 60 ") || !strings.Contains(lines[2], "missed") {
		t.Errorf("log lines:\n%s\nwant running 61, running 60, missed", b.String())
	}
}
