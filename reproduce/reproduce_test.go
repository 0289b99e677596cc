package reproduce

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

func formats(t *testing.T, ss ...string) []tensorgame.Format {
	t.Helper()
	var fs []tensorgame.Format
	for _, s := range ss {
		f, err := tensorgame.ParseFormat(s)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	return fs
}

func rowKeys(rows []Row) []string {
	var ks []string
	for _, r := range rows {
		ks = append(ks, r.Format+"/"+r.Field)
	}
	return ks
}

// verifyRunDir checks that every scheme file under dir parses and verifies,
// and returns how many there are.
func verifyRunDir(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		s, err := tensorgame.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if err := tensorgame.Verify(s); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRunReportsRequestedRowsAndResumes(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{
		Formats: formats(t, "2x2x2", "2x2x3"),
		Budget:  time.Minute,
		Workers: 2,
		RunDir:  dir,
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2x2x2/Z2", "2x2x2/Z", "2x2x3/Z2", "2x2x3/Z"}
	if got := rowKeys(rep.Rows); !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	for _, r := range rep.Rows {
		if !r.Reached || r.Found > r.Published || r.Status != "reproduced" || r.Scheme == "" || r.Resumed {
			t.Errorf("row %+v: want reproduced in this run", r)
		}
		s, err := tensorgame.ReadFile(filepath.Join(dir, r.Scheme))
		if err != nil {
			t.Fatal(err)
		}
		if s.Rank() != r.Found || s.Field.String() != r.Field {
			t.Errorf("row %s/%s names %s: rank %d over %v", r.Format, r.Field, r.Scheme, s.Rank(), s.Field)
		}
	}
	if n := verifyRunDir(t, dir); n < len(want) {
		t.Errorf("%d scheme files in the run directory, want at least %d", n, len(want))
	}

	// The report files are written, the JSON parses, the plots decode.
	md, err := os.ReadFile(filepath.Join(dir, ReportMarkdown))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"2x2x2", "2x2x3"} {
		if !bytes.Contains(md, []byte("| "+f+" |")) {
			t.Errorf("report.md has no line for %s:\n%s", f, md)
		}
	}
	if bytes.Contains(md, []byte("3x3x3")) {
		t.Errorf("report.md lists a format that was not requested:\n%s", md)
	}
	var back Report
	js, err := os.ReadFile(filepath.Join(dir, ReportJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &back); err != nil || len(back.Rows) != len(want) {
		t.Fatalf("report.json: %v, %d rows", err, len(back.Rows))
	}
	if back.Workers != 2 || back.Parallel != 1 || back.Budget != 60 || back.CPUs < 1 {
		t.Errorf("report.json: workers %d, parallel %d, budget %v s, %d CPUs; want 2, 1, 60 and the machine's", back.Workers, back.Parallel, back.Budget, back.CPUs)
	}
	if !bytes.Contains(md, []byte("--parallel 1 ")) {
		t.Errorf("report.md does not give the settings:\n%s", md)
	}
	for _, name := range []string{PlotRanks, PlotTimes} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() < 100 {
			t.Errorf("%s: %v", name, err)
		}
	}

	// A second run with one more format searches only the new rows.
	cfg.Formats = formats(t, "2x2x2", "2x2x3", "2x2x4")
	rep2, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep2.Rows {
		resumed := r.Format != "2x2x4"
		if r.Resumed != resumed || !r.Reached {
			t.Errorf("resumed run: row %s/%s resumed=%v reached=%v, want resumed=%v reached", r.Format, r.Field, r.Resumed, r.Reached, resumed)
		}
	}
}

func TestFailedRowIsMissed(t *testing.T) {
	dir := t.TempDir()
	// A file where the 2x2x2 Z2 row's run directory should be makes its
	// search fail; the other row still runs.
	if err := os.WriteFile(filepath.Join(dir, "2x2x2-z2"), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Config{
		Formats: formats(t, "2x2x2"),
		Budget:  time.Minute,
		Workers: 1,
		RunDir:  dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	missed := rep.Missed()
	if len(missed) != 1 || missed[0].Field != "Z2" || missed[0].Status != "failed" || missed[0].Error == "" {
		t.Fatalf("missed rows %+v, want the Z2 row failed with its error", missed)
	}
	md, _ := os.ReadFile(filepath.Join(dir, ReportMarkdown))
	if !bytes.Contains(md, []byte("## Missed")) || !bytes.Contains(md, []byte("2x2x2 over Z2")) {
		t.Errorf("report.md does not name the missed row:\n%s", md)
	}
	if z := rep.Rows[1]; !z.Reached {
		t.Errorf("Z row %+v: want reproduced despite the failed Z2 row", z)
	}
}

func TestTargetMissedWithinBudget(t *testing.T) {
	// 4x4x4 down to 47 over Z2 is not reached in a fraction of a second:
	// the row must be reported as missed, not reproduced.
	rep, err := Run(context.Background(), Config{
		Formats: formats(t, "4x4x4"),
		Fields:  []tensorgame.Field{tensorgame.Z2},
		Budget:  200 * time.Millisecond,
		Workers: 1,
		RunDir:  t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Rows[0]
	if r.Reached || r.Status != "missed" || r.Found <= r.Published {
		t.Fatalf("row %+v: want missed", r)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"not in table", Config{Formats: formats(t, "7x7x7")}, "not in the ranks table"},
		{"no AlphaTensor rank", Config{Formats: formats(t, "6x6x6")}, "no AlphaTensor rank"},
		{"field Q", Config{Fields: []tensorgame.Field{tensorgame.Q}}, "Z2 and Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.RunDir = t.TempDir()
			_, err := Run(context.Background(), tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// origin builds an origin by deriving along moves from the standard
// algorithm of 2x2x2 (moves[0] is the first derivation).
func origin(moves ...tensorgame.Move) *tensorgame.Origin {
	s := tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z2)
	s.Origin = nil
	for _, m := range moves {
		t := s.Clone()
		t.Origin = tensorgame.Derive(m, s)
		s = t
	}
	return s.Origin
}

func TestMethod(t *testing.T) {
	const (
		std      = tensorgame.MoveStandard
		flips    = tensorgame.MoveFlips
		cyc      = tensorgame.MoveCyclicFlips
		trans    = tensorgame.MoveTransFlips
		ternary  = tensorgame.MoveTernaryFlips
		lift     = tensorgame.MoveLift
		sum      = tensorgame.MoveSum
		restrict = tensorgame.MoveRestrict
		permute  = tensorgame.MovePermute
	)
	for _, tc := range []struct {
		name string
		o    *tensorgame.Origin
		want string
	}{
		{"none", nil, "unknown"},
		{"standard", origin(std), "standard"},
		{"flips", origin(std, flips), "flips"},
		{"flips twice", origin(std, flips, flips), "flips"},
		{"no lineage", &tensorgame.Origin{Move: flips}, "flips"},
		{"lift", origin(std, flips, lift), "lift"},
		{"ternary", origin(std, flips, lift, ternary), "ternary"},
		{"published", origin(tensorgame.MovePublished), "published"},
		{"play", origin(tensorgame.MovePlay), "agent"},
		{"train", origin(tensorgame.MoveTrain), "agent"},
		{"mod2", origin(std, flips, lift, tensorgame.MoveMod2), "reduced from Z"},
		{"composite", origin(std, sum), "composite"},
		{"flips from composite", origin(std, flips, sum, flips), "flips from composite"},
		{"lift from composite", origin(std, sum, flips, lift), "lift from composite"},
		{"restriction", origin(std, flips, restrict), "restriction"},
		{"flips from restriction", origin(std, flips, restrict, flips), "flips from restriction"},
		{"lift from restriction", origin(std, sum, flips, restrict, lift), "lift from restriction"},
		{"cyclic restriction", origin(std, cyc, restrict), "cyclic restriction"},
		{"permuted cyclic restriction", origin(std, cyc, permute, restrict, permute), "cyclic restriction"},
		{"flips from cyclic restriction", origin(std, cyc, permute, restrict, flips), "flips from cyclic restriction"},
		{"restriction of a plain walk after cyclic", origin(std, cyc, flips, sum, flips, restrict, flips), "flips from cyclic restriction"},
		{"last start counts", origin(std, sum, flips, restrict, flips), "flips from restriction"},
		{"cyclic flips", origin(std, cyc), "cyclic flips"},
		{"flips from cyclic", origin(std, cyc, flips), "flips from cyclic"},
		{"lift from cyclic", origin(std, cyc, lift), "lift from cyclic"},
		{"transpose flips", origin(std, trans), "transpose flips"},
		{"flips from transpose", origin(std, trans, flips), "flips from transpose"},
		{"extension", origin(std, tensorgame.MoveExtend, flips), "flips from extension"},
		{"unnamed move", &tensorgame.Origin{Move: "hypothetical"}, "hypothetical"},
	} {
		if got := method(tc.o); got != tc.want {
			var lin []tensorgame.Move
			if tc.o != nil {
				lin = tc.o.Lineage
			}
			t.Errorf("%s: method(%v) = %q, want %q", tc.name, lin, got, tc.want)
		}
	}
}

// TestMethodOfSearch checks the method column on schemes that real
// searches stored: a plain walk, a composite start, a search over Z. It
// needs search to set Origin (developer kit's branch) and skips, only when
// a search's best has no Origin, until it does.
func TestMethodOfSearch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f222 := tensorgame.Format{N: 2, M: 2, P: 2}
	f224 := tensorgame.Format{N: 2, M: 2, P: 4}
	s7, err := search.Run(ctx, search.Config{Format: f222, Field: tensorgame.Z2, Target: 7, Workers: 1, Seed: 1, RunDir: filepath.Join(dir, "a")})
	if err != nil || !s7.Reached {
		t.Fatalf("2x2x2: reached %v, err %v", s7.Reached, err)
	}
	sum, err := tensorgame.DirectSum(tensorgame.AxisP, s7.Best, s7.Best)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  search.Config
		want string // a part of the method
	}{
		{"flips", search.Config{Format: f222, Field: tensorgame.Z2, Target: 7}, "flips"},
		{"composite", search.Config{Format: f224, Field: tensorgame.Z2, Target: 14, Starts: []*tensorgame.Scheme{sum}}, "composite"},
		{"over Z", search.Config{Format: f222, Field: tensorgame.Z, Target: 7}, ""},
	} {
		tc.cfg.Workers, tc.cfg.Seed, tc.cfg.RunDir = 1, 2, filepath.Join(dir, tc.name)
		res, err := search.Run(ctx, tc.cfg)
		if err != nil || !res.Reached {
			t.Fatalf("%s: reached %v, err %v", tc.name, res.Reached, err)
		}
		if res.Best.Origin == nil {
			t.Fatalf("%s: search stored its best scheme without an Origin", tc.name)
		}
		m := method(res.Best.Origin)
		if m == "unknown" || !strings.Contains(m, tc.want) {
			t.Errorf("%s: method %q (lineage %v), want one naming %q", tc.name, m, res.Best.Origin.Lineage, tc.want)
		}
		stored, err := tensorgame.ReadFile(res.Path)
		if err != nil {
			t.Fatal(err)
		}
		if got := method(stored.Origin); got != m {
			t.Errorf("%s: method %q read back from %s, %q in memory", tc.name, got, res.Path, m)
		}
	}
}

// TestCompositeStart checks that a row starts from the direct sum of what
// the smaller rows found, and not when its own run directory holds better.
func TestCompositeStart(t *testing.T) {
	dir := t.TempDir()
	f := tensorgame.Format{N: 2, M: 2, P: 4}
	row := Row{Format: f.String(), Field: "Z2", format: f, field: tensorgame.Z2}
	if got := compositeStart(dir, filepath.Join(dir, key(row)), row); got != nil {
		t.Fatalf("nothing found yet: composite of rank %d", got[0].Rank())
	}
	// A 2x2x2 row that found rank 7.
	ctx := context.Background()
	sub := filepath.Join(dir, "2x2x2-z2")
	if _, err := search.Run(ctx, search.Config{Format: tensorgame.Format{N: 2, M: 2, P: 2}, Field: tensorgame.Z2,
		Target: 7, Workers: 1, Seed: 1, RunDir: sub}); err != nil {
		t.Fatal(err)
	}
	got := compositeStart(dir, filepath.Join(dir, key(row)), row)
	if len(got) != 1 || got[0].Rank() != 14 || got[0].Format != f {
		t.Fatalf("composite start for 2x2x4 from Strassen: %v", got)
	}
	if err := tensorgame.Verify(got[0]); err != nil {
		t.Fatal(err)
	}
	// The row's own directory holds rank 14 already: no composite.
	res, err := search.Run(ctx, search.Config{Format: f, Field: tensorgame.Z2, Target: 14, Workers: 1, Seed: 1,
		RunDir: filepath.Join(dir, key(row)), Starts: got})
	if err != nil || !res.Reached {
		t.Fatalf("search from the composite: err %v, reached %v", err, res.Reached)
	}
	if again := compositeStart(dir, filepath.Join(dir, key(row)), row); again != nil {
		t.Errorf("row already holds rank 14: composite of rank %d offered", again[0].Rank())
	}
}

func TestDependencies(t *testing.T) {
	rows, err := rowsFor(Config{Formats: formats(t, "2x2x2", "2x2x3", "3x3x3", "2x3x3", "2x5x5", "3x5x5", "4x4x5", "4x5x5", "5x5x5"),
		Fields: []tensorgame.Field{tensorgame.Z2, tensorgame.Z}})
	if err != nil {
		t.Fatal(err)
	}
	deps := dependencies(rows)
	name := func(i int) string { return rows[i].Format + "/" + rows[i].Field }
	want := map[string][]string{
		"2x2x3/Z2": {"2x2x2/Z2"},
		"2x2x3/Z":  {"2x2x2/Z"},
		"3x3x3/Z2": {}, // 2x3x3 comes after it
		"2x3x3/Z2": {"2x2x3/Z2"},
		// 3x5x5 and 4x4x5 wait for 4x5x5, and 4x5x5 for 5x5x5, for
		// restrictions of their cyclic walkers' schemes, so 4x5x5 and 5x5x5
		// do not wait for them as parts of their composites.
		"3x5x5/Z2": {"2x5x5/Z2", "4x5x5/Z2"},
		"4x4x5/Z":  {"4x5x5/Z"},
		"4x5x5/Z2": {"2x5x5/Z2", "5x5x5/Z2"},
		"5x5x5/Z":  {"2x5x5/Z"},
	}
	for i := range rows {
		w, ok := want[name(i)]
		if !ok {
			continue
		}
		var got []string
		for _, j := range deps[i] {
			got = append(got, name(j))
		}
		if !slices.Equal(got, w) {
			t.Errorf("%s depends on %v, want %v", name(i), got, w)
		}
	}
	order, ok := schedule(deps)
	if !ok || len(order) != len(rows) {
		t.Fatalf("schedule: %v, %v", order, ok)
	}
	pos := make([]int, len(rows))
	for k, i := range order {
		pos[i] = k
	}
	for i := range rows {
		for _, j := range deps[i] {
			if pos[j] > pos[i] {
				t.Errorf("%s starts before %s, which it waits for", name(i), name(j))
			}
		}
	}
	if rows[order[0]].Format != "2x2x2" || rows[order[1]].Format != "2x2x2" {
		t.Errorf("order starts with %s, %s, want 2x2x2 over both fields", name(order[0]), name(order[1]))
	}
	if _, ok := schedule([][]int{{1}, {0}}); ok {
		t.Error("schedule of a cycle: ok")
	}
}

// TestReduceFromZ completes a Z2 row that missed from the Z row's scheme.
func TestReduceFromZ(t *testing.T) {
	dir := t.TempDir()
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	res, err := search.Run(context.Background(), search.Config{Format: f, Field: tensorgame.Z, Target: 7, Workers: 1, Seed: 2,
		RunDir: filepath.Join(dir, "2x2x2-z")})
	if err != nil || !res.Reached {
		t.Fatalf("Z search: %v", err)
	}
	rel, _ := filepath.Rel(dir, res.Path)
	tb := &table{rows: []Row{
		{Format: "2x2x2", Field: "Z2", Published: 7, Found: 8, Status: "missed", format: f, field: tensorgame.Z2},
		{Format: "2x2x2", Field: "Z", Published: 7, Found: 7, Reached: true, Scheme: rel, Status: "reproduced", format: f, field: tensorgame.Z},
	}}
	if err := tb.reduceFromZ(dir); err != nil {
		t.Fatal(err)
	}
	got := tb.snapshot()[0]
	if !got.Reached || got.Found != 7 || got.Method != "reduced from Z" || got.Status != "reproduced" {
		t.Fatalf("Z2 row after reduceFromZ: %+v", got)
	}
	checkZ2(t, dir, got.Scheme, 7)
	// Its origin says so, as data: reduced mod 2 from the Z row's scheme.
	z2, err := tensorgame.ReadFile(filepath.Join(dir, got.Scheme))
	if err != nil {
		t.Fatal(err)
	}
	zs, err := tensorgame.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	if o := z2.Origin; o == nil || o.Move != tensorgame.MoveMod2 || len(o.Parents) != 1 || o.Parents[0] != tensorgame.ParentOf(zs) {
		t.Errorf("Z2 scheme's origin %+v, want mod2 of %+v", o, tensorgame.ParentOf(zs))
	}

	// A Z2 row reproduced already (target 8 here) gets the lower rank, and
	// keeps its time and method.
	tb = &table{rows: []Row{
		{Format: "2x2x2", Field: "Z2", Published: 8, Found: 8, Reached: true, Method: "flips", Seconds: 1, Status: "reproduced", format: f, field: tensorgame.Z2},
		{Format: "2x2x2", Field: "Z", Published: 7, Found: 7, Reached: true, Seconds: 5, Scheme: rel, Status: "reproduced", format: f, field: tensorgame.Z},
	}}
	if err := tb.reduceFromZ(dir); err != nil {
		t.Fatal(err)
	}
	got = tb.snapshot()[0]
	if !got.Reached || got.Found != 7 || got.Method != "flips; 7 reduced from Z" || got.Seconds != 1 || got.Status != "reproduced" {
		t.Fatalf("reproduced Z2 row after reduceFromZ: %+v", got)
	}
	checkZ2(t, dir, got.Scheme, 7)
}

// checkZ2 checks that the scheme file rel under dir is a verified Z2 scheme
// of the given rank.
func checkZ2(t *testing.T, dir, rel string, rank int) {
	t.Helper()
	s, err := tensorgame.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	if s.Field != tensorgame.Z2 || s.Rank() != rank || tensorgame.Verify(s) != nil {
		t.Errorf("%s: %v rank %d, verify %v", rel, s.Field, s.Rank(), tensorgame.Verify(s))
	}
}

// TestDescend checks the second pass: a row missed in the first is searched
// again from restrictions of a larger row searched in this run, and one
// without such a row is not.
func TestDescend(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Config{Formats: formats(t, "2x2x2", "2x2x3", "3x3x3"), Fields: []tensorgame.Field{tensorgame.Z2},
		Budget: time.Minute, Workers: 1, RunDir: dir}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := rowsFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The first pass: 2x2x2 and 3x3x3 missed; 2x2x3 reached 11 with
	// Strassen + 2x2x1.
	s7, err := search.Run(context.Background(), search.Config{Format: rows[0].format, Field: tensorgame.Z2, Target: 7, Workers: 1, Seed: 1})
	if err != nil || !s7.Reached {
		t.Fatalf("2x2x2: %v", err)
	}
	c223, err := tensorgame.DirectSum(tensorgame.AxisP, s7.Best, tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 1}, tensorgame.Z2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := search.Run(context.Background(), search.Config{Format: rows[1].format, Field: tensorgame.Z2, From: c223, Target: 11,
		Workers: 1, Seed: 1, RunDir: filepath.Join(dir, key(rows[1]))}); err != nil {
		t.Fatal(err)
	}
	rows[0].Status, rows[0].Found, rows[0].Seconds, rows[0].Flips = "missed", 8, 60, 1000
	rows[1].Status, rows[1].Found, rows[1].Reached = "reproduced", 11, true
	rows[2].Status, rows[2].Found, rows[2].Seconds = "missed", 27, 60
	// A first pass that had the restrictions already: nothing to search again.
	had := &table{rows: slices.Clone(rows)}
	if _, fresh := had.starts(dir, 0, rows[0]); fresh == 0 {
		t.Fatal("no restriction start for 2x2x2")
	}
	if err := had.descend(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got := had.snapshot(); !slices.Equal(got, rows) {
		t.Errorf("rows searched again from the restrictions of their first pass: %+v", got)
	}
	tab := &table{rows: slices.Clone(rows)}
	if err := tab.descend(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	got := tab.snapshot()
	r := got[0]
	if !r.Reached || r.Found != 7 || r.Status != StatusReproduced {
		t.Errorf("2x2x2 searched again: %+v", r)
	}
	if r.Seconds < 60 || r.Flips < 1000 {
		t.Errorf("2x2x2: seconds %v, flips %d: the first pass's 60 s and 1000 flips are not added", r.Seconds, r.Flips)
	}
	s, err := tensorgame.ReadFile(filepath.Join(dir, r.Scheme))
	if err != nil || tensorgame.Verify(s) != nil || s.Rank() != 7 {
		t.Errorf("2x2x2 scheme %s: %v", r.Scheme, err)
	}
	if got[2] != rows[2] {
		t.Errorf("3x3x3, with no larger row, was searched again: %+v", got[2])
	}
	// The method comes from the scheme's Origin, which search sets.
	if s == nil || s.Origin == nil {
		t.Fatal("the row's scheme has no Origin")
	}
	if !strings.Contains(r.Method, "restriction") {
		t.Errorf("2x2x2 searched again from restrictions: method %q (lineage %v)", r.Method, s.Origin.Lineage)
	}
}

// TestReportBelowPublished: report.md lists the rows found below the
// published rank, and only those.
func TestReportBelowPublished(t *testing.T) {
	rep := &Report{Rows: []Row{
		{Format: "5x5x5", Field: "Z2", Published: 96, BestKnown: 93, Found: 93, Reached: true, Scheme: "5x5x5-z2/5x5x5_r93_Z2.txt", Beyond: 84},
		{Format: "5x5x5", Field: "Z", Published: 98, BestKnown: 93, Found: 98, Reached: true, Scheme: "5x5x5-z/5x5x5_r98_Z.txt"},
	}}
	var b bytes.Buffer
	if err := rep.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if !strings.Contains(md, "## Below the published rank") || !strings.Contains(md, "- 5x5x5 over Z2: 93, published 96, best known 93") {
		t.Errorf("report.md does not list the Z2 row below its published rank:\n%s", md)
	}
	if !strings.Contains(md, "searched 84.0 s beyond the published rank") {
		t.Errorf("report.md does not give the time searched beyond the published rank:\n%s", md)
	}
	if strings.Contains(md, "5x5x5 over Z: 98") {
		t.Errorf("report.md lists the Z row at its published rank:\n%s", md)
	}
	rep.Rows = rep.Rows[1:]
	b.Reset()
	if err := rep.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Below the published rank") {
		t.Errorf("report.md has the section without a row below its published rank:\n%s", b.String())
	}
}

// TestBeyond: with Config.Beyond a reproduced row whose best known rank is
// lower is searched toward it once, keeping its time to the published rank;
// rows missed or at their best known rank are not.
func TestBeyond(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Config{Formats: formats(t, "2x2x2", "2x2x3", "2x3x3"), Fields: []tensorgame.Field{tensorgame.Z2},
		Budget: time.Minute, Workers: 1, Beyond: true, RunDir: dir}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := rowsFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rows[0].Status, rows[0].Found, rows[0].Reached = "reproduced", 7, true // at its best known rank
	// As if AlphaTensor had published 12 for 2x2x3, and 11 were known since.
	rows[1].Published, rows[1].Status, rows[1].Found, rows[1].Reached, rows[1].Seconds = 12, "reproduced", 12, true, 2
	rows[2].Published, rows[2].Status, rows[2].Found = 14, "missed", 18
	tab := &table{rows: slices.Clone(rows)}
	if err := tab.beyond(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	got := tab.snapshot()
	if got[0] != rows[0] || got[2] != rows[2] {
		t.Errorf("rows at their best known rank or missed were searched beyond: %+v, %+v", got[0], got[2])
	}
	r := got[1]
	if r.Found != 11 || !r.Reached || r.Status != "reproduced" || r.Beyond <= 0 || r.Seconds != 2 || r.Error != "" {
		t.Fatalf("2x2x3 searched beyond 12: %+v, want 11, reproduced, time to 12 kept, time beyond recorded", r)
	}
	s, err := tensorgame.ReadFile(filepath.Join(dir, r.Scheme))
	if err != nil || tensorgame.Verify(s) != nil || s.Rank() != 11 {
		t.Errorf("2x2x3 scheme %s: %v", r.Scheme, err)
	}
	// Searched beyond once: a resumed run does not search it again.
	r.Found = 12
	tab.update(1, func(row *Row) { *row = r })
	if err := tab.beyond(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got := tab.snapshot()[1]; got != r {
		t.Errorf("a row searched beyond before was searched again: %+v", got)
	}
}

// TestParallelWaits runs rows two at a time: every row is reproduced, and
// none runs before the rows it waits for have ended.
func TestParallelWaits(t *testing.T) {
	var mu sync.Mutex
	var bad []string
	cfg := Config{Formats: formats(t, "2x2x2", "2x2x3", "2x2x4", "2x3x3"), Budget: time.Minute, Workers: 2, Parallel: 2, Seed: 1,
		RunDir: t.TempDir()}
	full, err := cfg.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := rowsFor(full)
	if err != nil {
		t.Fatal(err)
	}
	deps := dependencies(rows)
	cfg.Progress = func(rs []Row) {
		mu.Lock()
		defer mu.Unlock()
		for i, r := range rs {
			if r.Status != "running" {
				continue
			}
			for _, j := range deps[i] {
				if st := rs[j].Status; st == "pending" || st == "running" {
					bad = append(bad, fmt.Sprintf("%s/%s running while %s/%s is %s", r.Format, r.Field, rs[j].Format, rs[j].Field, st))
				}
			}
		}
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m := rep.Missed(); len(m) > 0 {
		t.Errorf("missed %v", rowKeys(m))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bad) > 0 {
		t.Errorf("rows ran before the rows they wait for: %v", bad)
	}
}

// TestDescendAfterWait: a row that waited for the row above it (3x5x5 for
// 4x5x5) had its restrictions in its first pass, and is searched again
// from them all the same when it missed.
func TestDescendAfterWait(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Config{Formats: formats(t, "3x5x5", "4x5x5"), Fields: []tensorgame.Field{tensorgame.Z2},
		Budget: 200 * time.Millisecond, Workers: 1, RunDir: dir}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := rowsFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	above := rows[1]
	p, err := pool.Open(filepath.Join(dir, key(above)), above.format, tensorgame.Z2, pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Add(tensorgame.Standard(above.format, tensorgame.Z2)); err != nil {
		t.Fatal(err)
	}
	rows[0].Status, rows[0].Found, rows[0].Seconds = "missed", 75, 60
	rows[1].Status, rows[1].Found, rows[1].Reached = "reproduced", 76, true
	tab := &table{rows: slices.Clone(rows)}
	if _, fresh := tab.starts(dir, 0, rows[0]); fresh == 0 {
		t.Fatal("no restriction start for 3x5x5")
	}
	if err := tab.descend(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if r := tab.snapshot()[0]; r.Seconds <= 60 {
		t.Errorf("3x5x5 not searched again after waiting for 4x5x5: %+v", r)
	}
}
