package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/tensorgame"
)

// fakeSearch pretends to search: seed s lowers the rank from nmp by one per
// simulated second and reaches the target after s·target-distance seconds,
// except seed 3, which stops one rank short when its time is up.
func fakeSearch(ctx context.Context, cfg search.Config) (search.Result, error) {
	start := cfg.Format.Naive()
	var st search.Stats
	rank := start
	for sec := 1; ; sec++ {
		if cfg.Seed == 3 && rank == cfg.Target+1 || time.Duration(sec)*time.Second > cfg.Time {
			break
		}
		if sec%int(cfg.Seed) == 0 {
			rank--
		}
		st = search.Stats{Best: rank, Flips: int64(sec) * 1000, Elapsed: time.Duration(sec) * time.Second, FlipsPerSec: 1000}
		cfg.Status(st)
		if rank <= cfg.Target {
			return search.Result{Reached: true, Stopped: search.StopTarget, ReachedAfter: st.Elapsed, Stats: st}, nil
		}
	}
	return search.Result{Stopped: search.StopTime, Stats: st}, nil
}

func TestRunSearchesFake(t *testing.T) {
	f222 := tensorgame.Format{N: 2, M: 2, P: 2}
	f333 := tensorgame.Format{N: 3, M: 3, P: 3}
	rep, err := RunSearches(context.Background(), SearchConfig{
		Formats: []tensorgame.Format{f222, f333}, Seeds: 3, Time: time.Hour, Search: fakeSearch,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 2 {
		t.Fatalf("%d rows", len(rep.Rows))
	}
	r := rep.Rows[1]
	// 3x3x3: prior rank 23 (Laderman), from 27: seed 1 takes 4 s, seed 2 8 s,
	// seed 3 stops at 24.
	if r.Target != 23 || r.Prior != 23 || r.BestKnown != 23 {
		t.Errorf("3x3x3 target %d prior %d best %d, want 23 each", r.Target, r.Prior, r.BestKnown)
	}
	if r.Reached != 2 || r.MinS != 4 || r.MedianS != 8 || r.MaxS != -1 || r.Best != 23 || r.FlipsPerSec != 1000 {
		t.Errorf("3x3x3 summary %+v", r)
	}
	if tr := r.Runs[0].Trace; len(tr) != 5 || tr[0] != (TracePoint{0, 27}) || tr[1] != (TracePoint{1, 26}) || tr[4] != (TracePoint{4, 23}) {
		t.Errorf("seed 1 trace %v", tr)
	}

	var buf bytes.Buffer
	if err := WriteSearchTable(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "2/3") {
		t.Errorf("table lacks the reached count 2/3:\n%s", buf.String())
	}
	buf.Reset()
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var back SearchReport
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("JSON does not parse: %v", err)
	}
	if back.Rows[1].MedianS != 8 || len(back.Rows[1].Runs[0].Trace) != 5 {
		t.Errorf("JSON round trip: %+v", back.Rows[1])
	}

	dir := t.TempDir()
	paths, err := WriteSearchReport(dir, rep, "alphamat bench search")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 {
		t.Fatalf("wrote %v", paths)
	}
	f, err := os.Open(filepath.Join(dir, "search_3x3x3.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	if _, err := png.Decode(f); err != nil || fi.Size() < 5000 {
		t.Errorf("search_3x3x3.png: %d bytes, decode error %v", fi.Size(), err)
	}
}

// TestRunSearchesScaling runs a benchmark with several walker counts on a
// fake search whose runs take 4·seed/workers seconds (seed 3 misses) at
// 1000 flips per second per walker: the rows come per count in ascending
// order, and the speedups are the ratios to one walker.
func TestRunSearchesScaling(t *testing.T) {
	f222 := tensorgame.Format{N: 2, M: 2, P: 2}
	scaling := func(_ context.Context, cfg search.Config) (search.Result, error) {
		sec := 4 * float64(cfg.Seed) / float64(cfg.Workers)
		st := search.Stats{Best: 7, Elapsed: time.Duration(sec * float64(time.Second)), FlipsPerSec: 1000 * float64(cfg.Workers)}
		if cfg.Seed == 3 {
			st.Best = 8
			return search.Result{Stopped: search.StopTime, Stats: st}, nil
		}
		return search.Result{Reached: true, Stopped: search.StopTarget, ReachedAfter: st.Elapsed, Stats: st}, nil
	}
	rep, err := RunSearches(context.Background(), SearchConfig{
		Formats: []tensorgame.Format{f222}, Seeds: 3, Time: time.Hour, Workers: []int{4, 1, 2, 2}, Search: scaling,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 3 || !slices.Equal(rep.Workers, []int{1, 2, 4}) {
		t.Fatalf("%d rows, workers %v: want 3 rows, workers [1 2 4]", len(rep.Rows), rep.Workers)
	}
	sp := rep.Speedups()
	for i, w := range []int{1, 2, 4} {
		r := rep.Rows[i]
		// Seeds 1 and 2 reach 7 in 4/w and 8/w s; seed 3 misses: the median is 8/w.
		if r.Workers != w || r.MedianS != 8/float64(w) || r.Reached != 2 {
			t.Errorf("row %d: workers %d, median %v s, reached %d; want %d, %v, 2", i, r.Workers, r.MedianS, r.Reached, w, 8/float64(w))
		}
		if sp[i] != (Speedup{Time: float64(w), Flips: float64(w)}) || rep.Scaling[i] != sp[i] {
			t.Errorf("%d workers: speedup %+v (in the report %+v), want %d for both", w, sp[i], rep.Scaling[i], w)
		}
	}
	var buf bytes.Buffer
	if err := WriteSearchTable(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "flips/s speedup") || !strings.Contains(buf.String(), "4.00x") {
		t.Errorf("table lacks the speedups:\n%s", buf.String())
	}
	dir := t.TempDir()
	paths, err := WriteSearchReport(dir, rep, "alphamat bench search --workers 1,2,4")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"search_scaling.png", "search_2x2x2_w1.png", "search_2x2x2_w4.png", "report.md"} {
		if !slices.Contains(paths, filepath.Join(dir, name)) {
			t.Errorf("report: wrote %v, want %s among them", paths, name)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "| 2x2x2 | 4 |") || !strings.Contains(string(md), "time speedup") {
		t.Errorf("report.md lacks the 4-worker row or the speedups:\n%s", md)
	}
	for _, ws := range [][]int{{0, 2}, {-1}} {
		if _, err := RunSearches(context.Background(), SearchConfig{Formats: []tensorgame.Format{f222}, Workers: ws, Search: scaling}); err == nil {
			t.Errorf("workers %v: no error", ws)
		}
	}
}

func TestSearchTargets(t *testing.T) {
	f444 := tensorgame.Format{N: 4, M: 4, P: 4}
	f777 := tensorgame.Format{N: 7, M: 7, P: 7}
	tests := []struct {
		target string
		field  tensorgame.Field
		f      tensorgame.Format
		want   int // 0: error
	}{
		{TargetPrior, tensorgame.Z2, f444, 49}, // Strassen squared, before AlphaTensor's 47
		{TargetBest, tensorgame.Z2, f444, 47},
		{TargetBest, tensorgame.Z, f444, 49},
		{"45", tensorgame.Z2, f777, 45},
		{TargetPrior, tensorgame.Z2, f777, 0},
		{"zero", tensorgame.Z2, f444, 0},
	}
	for _, tt := range tests {
		_, err := RunSearches(context.Background(), SearchConfig{
			Formats: []tensorgame.Format{tt.f}, Field: tt.field, Target: tt.target, Seeds: 1, Time: time.Second,
			Search: func(_ context.Context, cfg search.Config) (search.Result, error) {
				if cfg.Target != tt.want {
					t.Errorf("%s %v %v: target %d, want %d", tt.target, tt.field, tt.f, cfg.Target, tt.want)
				}
				return search.Result{}, nil
			},
		})
		if (err == nil) != (tt.want != 0) {
			t.Errorf("%s %v %v: error %v", tt.target, tt.field, tt.f, err)
		}
	}
}

// TestRunSearchesReal runs the real search on 2x2x2 (to Strassen's 7).
func TestRunSearchesReal(t *testing.T) {
	rep, err := RunSearches(context.Background(), SearchConfig{
		Formats: []tensorgame.Format{{N: 2, M: 2, P: 2}}, Seeds: 1, Time: 20 * time.Second, Workers: []int{1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Rows[0]; r.Reached != 1 || r.Best != 7 || r.Runs[0].Flips == 0 {
		t.Errorf("2x2x2 search: %+v", r)
	}
}

// TestSearchSymmetric checks that --cyclic reaches the searches of square
// formats only, and --transpose those of formats with two equal sizes.
func TestSearchSymmetric(t *testing.T) {
	type syms struct{ cyclic, transpose bool }
	got := map[string]syms{}
	var mu sync.Mutex
	spy := func(ctx context.Context, cfg search.Config) (search.Result, error) {
		mu.Lock()
		got[cfg.Format.String()] = syms{cfg.Cyclic, cfg.Transpose}
		mu.Unlock()
		return fakeSearch(ctx, cfg)
	}
	rep, err := RunSearches(context.Background(), SearchConfig{
		Formats: []tensorgame.Format{{N: 2, M: 3, P: 4}, {N: 2, M: 2, P: 3}, {N: 3, M: 3, P: 3}}, Seeds: 1, Time: time.Hour,
		Cyclic: true, Transpose: true, Search: spy,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]syms{"2x3x4": {}, "2x2x3": {transpose: true}, "3x3x3": {true, true}}
	if !rep.Cyclic || !rep.Transpose || !maps.Equal(got, want) {
		t.Errorf("report cyclic %v transpose %v, searches %v: want %v", rep.Cyclic, rep.Transpose, got, want)
	}
}
