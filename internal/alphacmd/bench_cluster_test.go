package alphacmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBenchClusterFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		walkers []int // nil: a usage error
	}{
		{[]string{"--procs", "1,2,4"}, []int{1, 1, 1}},
		{[]string{"--procs", "1,2", "--walkers", "2,1"}, []int{2, 1}},
		{[]string{"--procs", "1,2", "--walkers", "2,1,1"}, nil},
		{[]string{"--procs", "0,2", "--walkers", "2,1"}, []int{2, 1}},
		{[]string{"--procs", "-1"}, nil},
		{[]string{"--procs", "1,x"}, nil},
		{[]string{"--format", "3x3"}, nil},
		{[]string{"--field", "Q"}, nil},
		{[]string{"--time", "0s"}, nil},
		{[]string{"--rounds", "0"}, nil},
		{[]string{"--target", "-1"}, nil},
		{[]string{"--procs", "100000"}, nil},
	} {
		var got *benchClusterOptions
		cmd := newBenchClusterCmd(&IO{}, func(o *benchClusterOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		err := cmd.Execute()
		var ue *usageError
		switch {
		case tc.walkers == nil && !errors.As(err, &ue):
			t.Errorf("%v: error %v, want a usage error", tc.args, err)
		case tc.walkers != nil && err != nil:
			t.Errorf("%v: %v", tc.args, err)
		case tc.walkers != nil && !slices.Equal(got.Walkers, tc.walkers):
			t.Errorf("%v: walkers %v, want %v", tc.args, got.Walkers, tc.walkers)
		}
	}
}

// TestBenchClusterRun runs 2x2x2 over Z2 to rank 7 with two walkers in
// this process without the cluster, one worker process of two walkers, and
// two of one (the test binary re-executed as "alphamat frontier --join"):
// every run reaches the target and counts flips and CPU, through the hub
// when there is one, and the first layout's ratios are 1.
func TestBenchClusterRun(t *testing.T) {
	var out, errOut bytes.Buffer
	cmd := newBenchClusterCmd(&IO{Out: &out, ErrOut: &errOut}, func(o *benchClusterOptions) error {
		o.worker = func(args []string) *exec.Cmd {
			c := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
			c.Env = append(os.Environ(), mainEnv+"=1")
			return c
		}
		return benchClusterRun(context.Background(), o)
	})
	cmd.SetArgs([]string{"--format", "2x2x2", "--target", "7", "--procs", "0,1,2", "--walkers", "2,2,1",
		"--time", "20s", "--slice", "2s", "--rounds", "1", "--json"})
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	var rep ClusterReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	if len(rep.Runs) != 3 || len(rep.Rows) != 3 {
		t.Fatalf("%d runs and %d rows, want 3 and 3:\n%s", len(rep.Runs), len(rep.Rows), out.String())
	}
	for _, r := range rep.Runs {
		if r.Best != 7 || r.ReachedS <= 0 || r.Flips <= 0 || r.Jobs < 1 || r.SpanS <= 0 {
			t.Errorf("run %+v: want rank 7 reached, flips and jobs counted", r)
		}
	}
	if b := rep.Rows[0]; b.Procs != 0 || b.Walkers != 2 || b.FlipsRatio.Median != 1 || b.TimeRatio.Median != 1 || b.Reached != 1 || b.HubShare.Max != 0 {
		t.Errorf("first row %+v: want ratios 1 and no hub", b)
	}
	if !strings.Contains(errOut.String(), "round 1, 2 processes × 1 walkers") {
		t.Errorf("no progress line for the second layout:\n%s", errOut.String())
	}
}

// TestClusterRows checks the summary: medians, the per-round ratios'
// spread, and a missed target.
func TestClusterRows(t *testing.T) {
	runs := []ClusterRun{
		{Round: 1, Procs: 1, Walkers: 2, FlipsPerSec: 10, FlipsPerCPUS: 5, ReachedS: 4},
		{Round: 1, Procs: 2, Walkers: 1, FlipsPerSec: 9, FlipsPerCPUS: 5, ReachedS: 2},
		{Round: 2, Procs: 1, Walkers: 2, FlipsPerSec: 20, FlipsPerCPUS: 5, ReachedS: 6},
		{Round: 2, Procs: 2, Walkers: 1, FlipsPerSec: 22, FlipsPerCPUS: 6, ReachedS: -1},
		{Round: 3, Procs: 1, Walkers: 2, FlipsPerSec: 30, FlipsPerCPUS: 5, ReachedS: 8},
		{Round: 3, Procs: 2, Walkers: 1, FlipsPerSec: 36, FlipsPerCPUS: 7, ReachedS: 4},
	}
	rows := clusterRows(runs, []int{1, 2}, []int{2, 1})
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, tc := range []struct {
		name      string
		got, want Spread
	}{
		{"base flips/s", rows[0].FlipsPerSec, Spread{20, 10, 30}},
		{"base ratio", rows[0].FlipsRatio, Spread{1, 1, 1}},
		{"flips/s", rows[1].FlipsPerSec, Spread{22, 9, 36}},
		{"flips ratio", rows[1].FlipsRatio, Spread{1.1, 0.9, 1.2}},
		{"per-CPU ratio", rows[1].CPURatio, Spread{1.2, 1, 1.4}},
		{"time to target", rows[1].ReachedS, Spread{4, 2, -1}},
		{"time speedup", rows[1].TimeRatio, Spread{1.5, 0, 2}},
	} {
		const eps = 1e-12
		if d := max(math.Abs(tc.got.Median-tc.want.Median), math.Abs(tc.got.Min-tc.want.Min), math.Abs(tc.got.Max-tc.want.Max)); d > eps {
			t.Errorf("%s: %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
	if rows[1].Reached != 2 || rows[0].Reached != 3 {
		t.Errorf("reached %d and %d, want 3 and 2", rows[0].Reached, rows[1].Reached)
	}
}

// TestLogTail: the last ten lines of the first worker's log, or the error
// that names the missing file.
func TestLogTail(t *testing.T) {
	dir := t.TempDir()
	if got := logTail(dir); !strings.Contains(got, "worker1.log") {
		t.Errorf("no log: %q, want the error naming the file", got)
	}
	var lines []string
	for i := range 15 {
		lines = append(lines, fmt.Sprint("line ", i))
	}
	if err := os.WriteFile(filepath.Join(dir, "worker1.log"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := logTail(dir), strings.Join(lines[5:], "\n"); got != want {
		t.Errorf("tail %q, want %q", got, want)
	}
}
