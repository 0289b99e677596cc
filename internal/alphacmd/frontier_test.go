package alphacmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alphamat/alphamat/frontier"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

func TestFrontierFlags(t *testing.T) {
	f := func(n, m, p int) tensorgame.Format { return tensorgame.Format{N: n, M: m, P: p} }
	both := []tensorgame.Field{tensorgame.Z2, tensorgame.Z}
	for _, c := range []struct {
		args []string
		want frontierOptions
	}{
		{[]string{"--max", "3"}, frontierOptions{Formats: []tensorgame.Format{f(2, 2, 2), f(2, 2, 3), f(2, 3, 3), f(3, 3, 3)},
			Fields: both, Seed: 1, Cyclic: true, Run: filepath.Join("runs", "frontier")}},
		{[]string{"--formats", "6x6x6,4x3x6", "--fields", "z", "--time", "2m", "--workers", "2", "--seed", "5", "--run", "d", "--json", "--slice", "5s", "--cyclic=false"},
			frontierOptions{Formats: []tensorgame.Format{f(6, 6, 6), f(4, 3, 6)}, Fields: []tensorgame.Field{tensorgame.Z},
				Time: 2 * time.Minute, Slice: 5 * time.Second, Workers: 2, Seed: 5, Run: "d", JSON: true}},
		{[]string{"--formats", "2,3,4", "--fields", "z,z2,z"}, frontierOptions{Formats: []tensorgame.Format{f(2, 3, 4)},
			Fields: []tensorgame.Field{tensorgame.Z, tensorgame.Z2}, Seed: 1, Cyclic: true, Run: filepath.Join("runs", "frontier")}},
		{[]string{"--join", "nats://h:4222", "--token-file", "tok", "--workers", "3", "--run", "w"},
			frontierOptions{Join: "nats://h:4222", TokenFile: "tok", Workers: 3, Seed: 1, Cyclic: true, Run: "w"}},
		{[]string{"--status", "--join", "nats://h:4222", "--json"},
			frontierOptions{Join: "nats://h:4222", Status: true, JSON: true, Seed: 1, Cyclic: true, Run: filepath.Join("runs", "frontier")}},
		{[]string{"--max", "3", "--listen", "h1:4222", "--workers", "0", "--cluster", "c", "--cluster-listen", "h1:6222", "--routes", "nats-route://h1:6222,h2:6222"},
			frontierOptions{Formats: []tensorgame.Format{f(2, 2, 2), f(2, 2, 3), f(2, 3, 3), f(3, 3, 3)}, Fields: both, Seed: 1, Cyclic: true,
				Run: filepath.Join("runs", "frontier"), Listen: "h1:4222", Cluster: "c", ClusterListen: "h1:6222", Routes: []string{"h1:6222", "h2:6222"}}},
	} {
		var got *frontierOptions
		root := NewRoot(&IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}})
		for _, cmd := range root.Commands() {
			if cmd.Name() == "frontier" {
				root.RemoveCommand(cmd)
			}
		}
		root.AddCommand(newFrontierCmdRun(&IO{}, func(_ context.Context, o *frontierOptions) error { got = o; return nil }))
		root.SetArgs(append([]string{"frontier"}, c.args...))
		if err := root.Execute(); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if !slices.Equal(got.Formats, c.want.Formats) || !slices.Equal(got.Fields, c.want.Fields) {
			t.Errorf("%v: formats %v fields %v, want %v %v", c.args, got.Formats, got.Fields, c.want.Formats, c.want.Fields)
		}
		got.Formats, got.Fields, c.want.Formats, c.want.Fields = nil, nil, nil, nil
		if !equalOptions(got, &c.want) {
			t.Errorf("%v: options %+v, want %+v", c.args, *got, c.want)
		}
	}
}

func equalOptions(a, b *frontierOptions) bool {
	return a.Time == b.Time && a.Slice == b.Slice && a.Workers == b.Workers && a.Seed == b.Seed && a.Run == b.Run && a.JSON == b.JSON && a.Cyclic == b.Cyclic &&
		a.Listen == b.Listen && a.Join == b.Join && a.TokenFile == b.TokenFile && a.Cluster == b.Cluster &&
		a.ClusterListen == b.ClusterListen && slices.Equal(a.Routes, b.Routes) && a.Serve == b.Serve && a.Status == b.Status
}

func TestFrontierBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "want --max N or --formats LIST"},
		{[]string{"--max", "17"}, "--max 17: want a size in 2..16"},
		{[]string{"--max", "1"}, "--max 1: want a size in 2..16"},
		{[]string{"--formats", "17x2x2"}, "format 17x2x2: size 17 is outside 2..16"},
		{[]string{"--formats", "2x2x64"}, "size 64 is outside 2..16"},
		{[]string{"--formats", "2x2x65"}, "above the maximum"},
		{[]string{"--formats", "1x4x4"}, "size 1 is outside 2..16"},
		{[]string{"--formats", "4x4"}, "want three sizes"},
		{[]string{"--max", "3", "--fields", "q"}, "--fields Q: want z2 and/or z"},
		{[]string{"--max", "3", "--fields", "r"}, `field "r"`},
		{[]string{"--max", "3", "--workers", "0"}, "--workers 0"},
		{[]string{"--max", "3", "--time", "-1s"}, "must not be negative"},
		{[]string{"4x4x4"}, "formats go in --formats"},
		{[]string{"--status"}, "--status needs --join URL"},
		{[]string{"--join", "nats://127.0.0.1:1", "--listen", "127.0.0.1:0"}, "not both"},
		{[]string{"--serve", "--listen", "127.0.0.1:0"}, "--serve needs --listen and --cluster"},
		{[]string{"--max", "3", "--listen", "127.0.0.1:0", "--cluster", "c"}, "a cluster node needs"},
		{[]string{"--max", "3", "--cluster", "c", "--cluster-listen", "127.0.0.1:0", "--routes", "127.0.0.1:1"}, "a cluster node needs"},
		{[]string{"--join", "nats://127.0.0.1:1", "--workers", "0"}, "--workers 0"},
		{[]string{"--max", "3", "--listen", "127.0.0.1:0", "--workers", "-1"}, "--workers -1"},
	} {
		_, errOut, code := execCode(context.Background(), t, append([]string{"frontier", "--run", dir}, c.args...)...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, errOut, exitUsage, c.want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("bad input wrote %d files into the run directory", len(ents))
	}
}

// TestFrontierEndToEnd runs the real search on every format up to 3 for a
// few seconds: each reaches its best known rank over Z2 and Z (2x2x2 7,
// 2x2x3 11, 2x3x3 15, 3x3x3 23), which plain search finds in seconds.
func TestFrontierEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, errOut, code := execCode(context.Background(), t, "frontier", "--max", "3", "--time", "10s", "--workers", "1", "--run", dir, "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep frontier.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if len(rep.Rows) != 8 {
		t.Fatalf("%d rows, want 4 formats × 2 fields", len(rep.Rows))
	}
	for _, r := range rep.Rows {
		if r.Gap != 0 || !r.Listed {
			t.Errorf("%v over %v: rank %d, best known %d", r.Format, r.Field, r.Rank, r.Known)
		}
		// The catalogue holds it, verified.
		s, err := tensorgame.ReadFile(filepath.Join(dir, pool.RunName(r.Format, r.Field), pool.FileName(r.Format, r.Field, r.Rank)))
		if err != nil {
			t.Fatal(err)
		}
		if err := tensorgame.Verify(s); err != nil || s.Origin == nil {
			t.Errorf("%v over %v: %v, origin %v", r.Format, r.Field, err, s.Origin)
		}
	}
	for _, name := range []string{"report.md", "report.json", "gap.png", "frontier.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(errOut, "format  field  ours  known  gap") || !strings.Contains(errOut, "8 of 8") {
		t.Errorf("stderr lacks the table:\n%s", errOut)
	}
	// search --catalogue takes the catalogue's schemes as starts.
	out, errOut, code = execCode(context.Background(), t, "search", "3x3x3", "--catalogue", dir, "--target", "23",
		"--workers", "1", "--time", "5s", "--run", filepath.Join(t.TempDir(), "s"), "--json")
	if code != exitOK || !strings.Contains(errOut, "catalogue start") {
		t.Fatalf("search --catalogue: exit %d: %s", code, errOut)
	}
	var sr searchResult
	if err := json.Unmarshal([]byte(out), &sr); err != nil || sr.Rank != 23 || !sr.Reached {
		t.Errorf("search --catalogue: %+v, %v", sr, err)
	}
}
