package frontier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alphamat/alphamat/frontier/catalogue"
	"github.com/alphamat/alphamat/frontier/meta"
	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/search/cyclic"
	"github.com/alphamat/alphamat/tensorgame"
)

func fm(n, m, p int) tensorgame.Format { return tensorgame.Format{N: n, M: m, P: p} }

// readScheme reads and verifies a shipped scheme from schemes/.
func readScheme(t *testing.T, name string) *tensorgame.Scheme {
	t.Helper()
	s, err := tensorgame.ReadFile(filepath.Join("..", "schemes", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	s.Origin = tensorgame.Derive(tensorgame.MovePublished)
	return s
}

func TestScope(t *testing.T) {
	fs, err := UpTo(3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []tensorgame.Format{fm(2, 2, 2), fm(2, 2, 3), fm(2, 3, 3), fm(3, 3, 3)}; !slices.Equal(fs, want) {
		t.Errorf("UpTo(3) = %v, want %v", fs, want)
	}
	if fs, _ := UpTo(16); len(fs) != 680 {
		t.Errorf("UpTo(16): %d formats, want 680", len(fs))
	}
	for _, max := range []int{1, 17, 100} {
		if _, err := UpTo(max); err == nil {
			t.Errorf("UpTo(%d): no error", max)
		}
	}
	for _, c := range []struct {
		f  tensorgame.Format
		ok bool
	}{{fm(2, 2, 2), true}, {fm(16, 16, 16), true}, {fm(17, 2, 2), false}, {fm(1, 4, 4), false}, {fm(2, 64, 2), false}} {
		if err := CheckFormat(c.f); (err == nil) != c.ok {
			t.Errorf("CheckFormat(%v) = %v", c.f, err)
		}
	}
	sc := Scope([]tensorgame.Format{fm(6, 6, 6)})
	for _, f := range []tensorgame.Format{fm(2, 2, 2), fm(3, 3, 3), fm(2, 2, 3), fm(2, 3, 3), fm(6, 6, 6)} {
		if !slices.Contains(sc, f) {
			t.Errorf("Scope(6x6x6) = %v lacks %v", sc, f)
		}
	}
	if sc := Scope([]tensorgame.Format{fm(5, 3, 2)}); !slices.Equal(sc, []tensorgame.Format{fm(2, 3, 5)}) {
		t.Errorf("Scope(5x3x2) = %v: a format with prime sizes has no factors", sc)
	}
}

func TestTargets(t *testing.T) {
	tg := NewTargets([]ranks.Known{
		{Format: fm(2, 2, 2), Z2: 7, ZT: 7, Z: 7, Q: 7},
		{Format: fm(3, 3, 3), Z2: 23, ZT: 23, Z: 23, Q: 23},
		{Format: fm(4, 4, 4), Z2: 47, ZT: 49, Z: 49, Q: 48},
	})
	for _, c := range []struct {
		f     tensorgame.Format
		field tensorgame.Field
		want  int
	}{
		{fm(2, 2, 2), tensorgame.Z, 7},
		{fm(4, 4, 4), tensorgame.Z2, 47},  // the table
		{fm(6, 6, 6), tensorgame.Z, 161},  // 2x2x2 ⊗ 3x3x3
		{fm(2, 2, 4), tensorgame.Z, 14},   // 2x2x2 + 2x2x2
		{fm(2, 2, 3), tensorgame.Z, 11},   // 2x2x2 + 2x2x1
		{fm(8, 8, 8), tensorgame.Z2, 329}, // 4x4x4 (47) ⊗ 2x2x2 (7)
		{fm(2, 3, 5), tensorgame.Z, 28},   // 2x3x2 (11) + 2x3x3 (11+6 = 17)
	} {
		if got := tg.Known(c.f, c.field); got != c.want {
			t.Errorf("Known(%v, %v) = %d, want %d", c.f, c.field, got, c.want)
		}
	}
	if !tg.Listed(fm(2, 2, 2), tensorgame.Z) || tg.Listed(fm(6, 6, 6), tensorgame.Z) {
		t.Error("Listed is wrong")
	}
	// The embedded table lists every format up to 16.
	rows, err := ranks.Frontier()
	if err != nil {
		t.Fatal(err)
	}
	full := NewTargets(rows)
	if got := full.Known(fm(6, 6, 6), tensorgame.Z); got != 153 {
		t.Errorf("6x6x6 over Z: %d, want 153", got)
	}
}

func TestCheckByProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"2x2x2_r7_Z_strassen.txt", "3x3x3_r23_Z.txt", "2x4x5_r32_Q.txt"} {
		s := readScheme(t, name)
		if err := CheckByProduct(s, rng, 3); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		bad := s.Clone()
		bad.Terms = bad.Terms[1:]
		if err := CheckByProduct(bad, rng, 3); err == nil {
			t.Errorf("%s without its first term passes", name)
		}
	}
	z2 := tensorgame.Standard(fm(3, 2, 4), tensorgame.Z2)
	if err := CheckByProduct(z2, rng, 3); err != nil {
		t.Errorf("standard 3x2x4 over Z2: %v", err)
	}
	// Over Z2 a coefficient 1 where -1 belongs is right; an extra term
	// is not.
	z2.Terms = append(z2.Terms, z2.Terms[0])
	if err := CheckByProduct(z2, rng, 8); err == nil {
		t.Error("a Z2 scheme with a doubled term passes")
	}
}

func TestSchedulerPick(t *testing.T) {
	k := func(n, m, p int, field tensorgame.Field) catalogue.Key {
		return catalogue.Key{Format: fm(n, m, p), Field: field}
	}
	gaps := map[catalogue.Key]int{
		k(2, 2, 2, tensorgame.Z2): 0,
		k(3, 3, 3, tensorgame.Z2): 4,
		k(4, 4, 4, tensorgame.Z2): 15,
		k(2, 3, 3, tensorgame.Z2): 2,
	}
	gap := func(k catalogue.Key) int { return gaps[k] }
	var arms []*Arm
	for key := range gaps {
		arms = append(arms, &Arm{Key: key})
	}
	slices.SortFunc(arms, func(a, b *Arm) int { return catalogue.Compare(a.Key, b.Key) })
	s := &Scheduler{Arms: arms}
	// Unsearched arms by urgency (gap over squared size), largest first:
	// 2x3x3 (2/18²) before 3x3x3 (4/27²) before 4x4x4 (15/64²); the one at
	// its best known rank waits.
	var order []tensorgame.Format
	for range 3 {
		a := s.Pick(gap)
		order = append(order, a.Key.Format)
		s.Record(a, 0, 1)
	}
	if want := []tensorgame.Format{fm(2, 3, 3), fm(3, 3, 3), fm(4, 4, 4)}; !slices.Equal(order, want) {
		t.Errorf("first picks %v, want %v", order, want)
	}
	// An arm whose searches pay is picked more often than the others.
	by := map[tensorgame.Format]int{}
	for range 30 {
		a := s.Pick(gap)
		by[a.Key.Format]++
		gained := 0
		if a.Key.Format == fm(3, 3, 3) {
			gained = 1
		}
		s.Record(a, gained, 1)
	}
	if by[fm(3, 3, 3)] <= by[fm(4, 4, 4)] || by[fm(3, 3, 3)] <= by[fm(2, 3, 3)] || by[fm(2, 2, 2)] != 0 {
		t.Errorf("picks %v: want 3x3x3 (paying) most, 2x2x2 (at the best known rank) never", by)
	}
	// A fresh arm (improved by a meta move) gets its walk soon.
	for _, a := range arms {
		if a.Key.Format == fm(2, 3, 3) {
			a.Fresh = true
			picked := false
			for range 3 {
				b := s.Pick(gap)
				s.Record(b, 0, 1)
				if picked = b == a; picked {
					break
				}
			}
			if !picked || a.Fresh {
				t.Error("a fresh arm was not picked within 3 picks")
			}
		}
	}
	// Unsupported arms are never picked; with none left, nil.
	for _, a := range arms {
		a.Unsupported = "too large"
	}
	if a := s.Pick(gap); a != nil {
		t.Errorf("picked %v among unsupported arms", a.Key)
	}
	// Every arm at its best known rank: they are searched for records.
	for _, a := range arms {
		a.Unsupported = ""
	}
	if a := s.Pick(func(catalogue.Key) int { return 0 }); a == nil {
		t.Error("no pick when every arm is at its best known rank")
	}
}

// TestSchedulerEffort checks Pick's rule on arms searched before: the
// least (Idle + next slice) × Cost first, a Fresh arm counting as not
// idle, arms at the best known rank waiting, and never-searched arms
// first.
func TestSchedulerEffort(t *testing.T) {
	z2 := func(n, m, p int) catalogue.Key { return catalogue.Key{Format: fm(n, m, p), Field: tensorgame.Z2} }
	z := func(n, m, p int) catalogue.Key { return catalogue.Key{Format: fm(n, m, p), Field: tensorgame.Z} }
	type arm struct {
		key   catalogue.Key
		gap   int
		pulls int
		idle  float64 // seconds
		slice float64 // seconds (0: Base)
		fresh bool
	}
	for _, c := range []struct {
		name string
		arms []arm
		want catalogue.Key
	}{
		{"one format, same idle time: Z2 before Z",
			[]arm{{z(3, 3, 6), 3, 4, 40, 0, false}, {z2(3, 3, 6), 1, 4, 40, 0, false}},
			z2(3, 3, 6)},
		{"a large gap costs no more than a small one",
			[]arm{{z2(3, 3, 6), 1, 9, 100, 0, false}, {z2(5, 5, 5), 5, 3, 30, 0, false}},
			z2(5, 5, 5)},
		{"a small format before a large one at the same gap and idle time",
			[]arm{{z2(4, 4, 6), 1, 1, 10, 0, false}, {z2(3, 3, 6), 1, 1, 10, 0, false}},
			z2(3, 3, 6)},
		{"the large format once the small one has had more than 96/54 times its time",
			[]arm{{z2(4, 4, 6), 1, 1, 10, 0, false}, {z2(3, 3, 6), 1, 3, 28, 10, false}},
			z2(4, 4, 6)},
		{"a long next slice counts as idle time",
			[]arm{{z2(3, 3, 6), 1, 3, 0, 160, false}, {z2(3, 4, 5), 1, 3, 10, 0, false}},
			z2(3, 4, 5)},
		{"a fresh arm is not idle",
			[]arm{{z2(3, 4, 5), 1, 3, 10, 0, false}, {z2(3, 3, 6), 1, 9, 900, 0, true}},
			z2(3, 3, 6)},
		{"an idle arm waits",
			[]arm{{z2(3, 4, 5), 1, 3, 10, 0, false}, {z2(3, 3, 6), 1, 9, 900, 0, false}},
			z2(3, 4, 5)},
		{"an arm at the best known rank waits",
			[]arm{{z2(2, 3, 3), 0, 1, 0, 0, false}, {z2(6, 6, 6), 8, 50, 3000, 160, false}},
			z2(6, 6, 6)},
		{"an arm never searched comes first",
			[]arm{{z2(2, 3, 3), 1, 1, 0, 0, false}, {z2(6, 6, 6), 8, 0, 0, 0, false}},
			z2(6, 6, 6)},
		{"every arm at the best known rank: the least effort searches for a record",
			[]arm{{z2(2, 3, 3), 0, 1, 50, 0, false}, {z2(2, 2, 3), 0, 1, 50, 0, false}},
			z2(2, 2, 3)},
		{"ties: the smaller format",
			[]arm{{z2(2, 4, 5), 1, 1, 10, 0, false}, {z2(2, 2, 10), 1, 1, 10, 0, false}},
			z2(2, 2, 10)},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &Scheduler{Base: 10 * time.Second, MaxSlice: 160 * time.Second}
			gaps := map[catalogue.Key]int{}
			for _, a := range c.arms {
				gaps[a.key] = a.gap
				s.Arms = append(s.Arms, &Arm{Key: a.key, Pulls: a.pulls, Idle: a.idle, Slice: a.slice, Fresh: a.fresh})
			}
			got := s.Pick(func(k catalogue.Key) int { return gaps[k] })
			if got == nil || got.Key != c.want {
				t.Errorf("picked %v, want %v", got, c.want)
			}
		})
	}
}

// TestSchedulerRecord checks what a search does to its arm: the slice
// doubles after a search without gain up to MaxSlice and stays after one
// that paid; Idle starts again when the rank went down (a gain, or Fresh).
func TestSchedulerRecord(t *testing.T) {
	s := &Scheduler{Base: 5 * time.Second, MaxSlice: 30 * time.Second}
	a := &Arm{Key: catalogue.KeyOf(fm(3, 4, 5), tensorgame.Z2)}
	for i, c := range []struct {
		gained    int
		secs      float64
		fresh     bool
		wantSlice time.Duration
		wantIdle  float64
	}{
		{0, 5, false, 10 * time.Second, 5},
		{0, 10, false, 20 * time.Second, 15},
		{0, 20, false, 30 * time.Second, 35}, // MaxSlice
		{0, 30, false, 30 * time.Second, 65},
		{1, 12, false, 30 * time.Second, 0}, // a gain keeps the slice
		{0, 30, true, 30 * time.Second, 30}, // a meta move lowered the rank: idle since
		{2, 1, false, 30 * time.Second, 0},
	} {
		if c.fresh {
			a.Fresh = true
		}
		if got := s.SliceOf(a); i == 0 && got != s.Base {
			t.Fatalf("first slice %v, want Base %v", got, s.Base)
		}
		s.Record(a, c.gained, c.secs)
		if got := s.SliceOf(a); got != c.wantSlice || a.Idle != c.wantIdle || a.Fresh {
			t.Errorf("search %d (gained %d in %vs): slice %v idle %v fresh %v, want %v and %v", i, c.gained, c.secs,
				got, a.Idle, a.Fresh, c.wantSlice, c.wantIdle)
		}
	}
	if a.Pulls != 7 || a.Gained != 3 {
		t.Errorf("%d pulls, %d gained; want 7 and 3", a.Pulls, a.Gained)
	}
	// Defaults: Base 10 s, MaxSlice 16 Base; a slice below Base is Base.
	var d Scheduler
	if got := d.SliceOf(&Arm{Slice: 1}); got != 10*time.Second {
		t.Errorf("default slice %v", got)
	}
	if got := d.SliceOf(&Arm{Slice: 1e6}); got != 160*time.Second {
		t.Errorf("default largest slice %v", got)
	}
}

func openCat(t *testing.T) *catalogue.Catalogue {
	t.Helper()
	c, err := catalogue.Open(t.TempDir(), catalogue.Options{Warn: func(err error) { t.Error(err) }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPropagate(t *testing.T) {
	cat := openCat(t)
	scope := []tensorgame.Format{fm(2, 2, 2), fm(2, 2, 3), fm(2, 2, 4), fm(2, 3, 3), fm(3, 3, 3), fm(4, 4, 4), fm(6, 6, 6)}
	for _, f := range scope {
		for _, field := range []tensorgame.Field{tensorgame.Z2, tensorgame.Z} {
			if _, err := cat.Offer(tensorgame.Standard(f, field)); err != nil {
				t.Fatal(err)
			}
		}
	}
	var got []string
	p := &Propagator{Cat: cat, Scope: scope, Warn: func(err error) { t.Error(err) },
		Improved: func(s *tensorgame.Scheme) { got = append(got, s.Format.String()+" "+string(s.Origin.Move)) }}
	for _, name := range []string{"2x2x2_r7_Z_strassen.txt", "3x3x3_r23_Z.txt"} {
		s := readScheme(t, name)
		if _, err := cat.Offer(s); err != nil {
			t.Fatal(err)
		}
		p.Propagate(context.Background(), []catalogue.Key{catalogue.KeyOf(s.Format, s.Field)})
	}
	for _, c := range []struct {
		f     tensorgame.Format
		field tensorgame.Field
		want  int
		move  tensorgame.Move
	}{
		{fm(2, 2, 2), tensorgame.Z2, 7, tensorgame.MoveMod2},
		{fm(2, 2, 3), tensorgame.Z, 11, ""}, // extension of Strassen (or restriction of 3x3x3)
		{fm(2, 2, 4), tensorgame.Z, 14, tensorgame.MoveSum},
		{fm(4, 4, 4), tensorgame.Z, 49, tensorgame.MoveProduct},
		{fm(4, 4, 4), tensorgame.Z2, 49, ""},
		{fm(6, 6, 6), tensorgame.Z, 161, tensorgame.MoveProduct},
		{fm(6, 6, 6), tensorgame.Z2, 161, ""},
		{fm(2, 3, 3), tensorgame.Z, -17, ""}, // at most 17: a restriction of 3x3x3 (23) or a sum
	} {
		s := cat.Best(c.f, c.field)
		if c.want < 0 && s.Rank() > -c.want || c.want > 0 && s.Rank() != c.want {
			t.Errorf("%v over %v: rank %d, want %d", c.f, c.field, s.Rank(), c.want)
		}
		if err := tensorgame.Verify(s); err != nil {
			t.Errorf("%v over %v: %v", c.f, c.field, err)
		}
		if s.Origin == nil || c.move != "" && s.Origin.Move != c.move {
			t.Errorf("%v over %v: origin %+v, want move %q", c.f, c.field, s.Origin, c.move)
		}
	}
	// 6x6x6 over Z came from 2x2x2 and 3x3x3's best.
	o := cat.Best(fm(6, 6, 6), tensorgame.Z).Origin
	if len(o.Parents) != 2 || o.Parents[0].Rank*o.Parents[1].Rank != 161 {
		t.Errorf("6x6x6 parents %+v", o.Parents)
	}
	if !slices.Contains(got, "6x6x6 product") {
		t.Errorf("improvements %v lack the product", got)
	}
	// Nothing outside the scope: 4x4x6 would be 2x2x2 ⊗ 2x2x3.
	if cat.Rank(fm(4, 4, 6), tensorgame.Z) != 0 {
		t.Error("a format outside the scope got a scheme")
	}
}

// fakeSearch returns the shipped scheme of the format when there is one
// (as a search would find it), else the best start; it refuses 6x6x6.
func fakeSearch(t *testing.T, calls *[]search.Config) func(context.Context, search.Config) (search.Result, error) {
	return func(ctx context.Context, cfg search.Config) (search.Result, error) {
		*calls = append(*calls, cfg)
		if cfg.Format == fm(6, 6, 6) {
			return search.Result{}, errors.New("search: format 6x6x6 unsupported")
		}
		for _, s := range cfg.Starts {
			if err := tensorgame.Verify(s); err != nil || s.Format != cfg.Format {
				t.Errorf("start %v: %v", s.Format, err)
			}
		}
		res := search.Result{Stopped: "time"}
		if cfg.Format == fm(2, 2, 2) {
			s := readScheme(t, "2x2x2_r7_Z_strassen.txt")
			s.Origin = nil
			if cfg.Field == tensorgame.Z2 {
				s = reduce(t, s)
			}
			res.Best = s
		} else if len(cfg.Starts) > 0 {
			res.Best = cfg.Starts[0]
		}
		return res, nil
	}
}

func reduce(t *testing.T, s *tensorgame.Scheme) *tensorgame.Scheme {
	t.Helper()
	c := s.Clone()
	c.Field = tensorgame.Z2
	for _, term := range c.Terms {
		for _, fac := range [][]tensorgame.Rat{term.U, term.V, term.W} {
			for i, x := range fac {
				fac[i] = tensorgame.Int(x.Num() & 1)
			}
		}
	}
	return c
}

func TestRunResumeAndRecords(t *testing.T) {
	dir := t.TempDir()
	var calls []search.Config
	var log strings.Builder
	// A table that says 2x2x4 needs 15: a sum of two Strassens is a
	// "record".
	known := []ranks.Known{{Format: fm(2, 2, 2), Z2: 7, ZT: 7, Z: 7, Q: 7}, {Format: fm(2, 2, 4), Z2: 15, ZT: 15, Z: 15, Q: 15}}
	cfg := Config{Formats: []tensorgame.Format{fm(2, 2, 4), fm(6, 6, 6)}, Fields: []tensorgame.Field{tensorgame.Z2, tensorgame.Z},
		Dir: dir, Time: time.Hour, Slice: time.Second, Workers: 1, Seed: 3, Log: &log, Known: known,
		Search: fakeSearch(t, &calls)}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	cfg.Progress = func(rows []Row) {
		// Ctrl-C once 6x6x6 (searched last: the most costly) was tried
		// over both fields, or after 40 searches.
		refused := 0
		for _, r := range rows {
			if r.Format == fm(6, 6, 6) && r.Unsupported != "" {
				refused++
			}
		}
		if n++; refused == 2 || n == 40 {
			cancel()
		}
	}
	rep, err := Run(ctx, cfg)
	if !errors.Is(err, context.Canceled) || rep == nil {
		t.Fatalf("Run: %v, %v; want the report and context.Canceled", rep, err)
	}
	for _, name := range []string{ReportMarkdown, ReportJSON, PlotGap, StateFile} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	rank := func(rep *Report, f tensorgame.Format, field tensorgame.Field) Row {
		for _, r := range rep.Rows {
			if r.Format == f && r.Field == field {
				return r
			}
		}
		t.Fatalf("no row %v %v", f, field)
		return Row{}
	}
	// The 6x6x6 search was refused: its row stands on meta moves
	// (2x2x2 ⊗ 3x3x3, whose best is the extension of 2x2x3: 7·26).
	r666 := rank(rep, fm(6, 6, 6), tensorgame.Z)
	if r666.Unsupported == "" || r666.Rank != 182 || r666.Lineage[len(r666.Lineage)-1] != tensorgame.MoveProduct {
		t.Errorf("6x6x6: %+v; want unsupported, rank 182 from a product", r666)
	}
	if r := rank(rep, fm(2, 2, 4), tensorgame.Z2); r.Rank != 14 || r.Gap != -1 || !slices.Contains(r.Lineage, tensorgame.MoveSum) {
		t.Errorf("2x2x4: %+v; want 14 from a sum of Strassens", r)
	}
	if len(rep.Records) != 2 || !rep.Records[0].Checked || rep.Records[0].Rank != 14 || rep.Records[0].Known != 15 {
		t.Errorf("records %+v; want 2x2x4 at 14 over both fields, checked twice", rep.Records)
	}
	if !strings.Contains(log.String(), "NEW RECORD") {
		t.Errorf("no record on the log:\n%s", log.String())
	}
	md, _ := os.ReadFile(filepath.Join(dir, ReportMarkdown))
	if !strings.Contains(string(md), "## Records") || !strings.Contains(string(md), "| 2x2x4 | Z2 | 14 | 15 | -1 |") {
		t.Errorf("report.md:\n%s", md)
	}
	var st state
	b, _ := os.ReadFile(filepath.Join(dir, StateFile))
	if err := json.Unmarshal(b, &st); err != nil || st.Searches != len(calls)-2 && st.Searches != len(calls) {
		t.Errorf("state: %d searches for %d calls (%v)", st.Searches, len(calls), err)
	}
	// The search seeds differ from search to search.
	seeds := map[uint64]bool{}
	for _, c := range calls {
		if c.Format != fm(6, 6, 6) {
			if seeds[c.Seed] {
				t.Errorf("seed %d used twice", c.Seed)
			}
			seeds[c.Seed] = true
		}
	}

	// Resume: the same run goes on where it stopped, losing nothing.
	first := len(calls)
	ctx2, cancel2 := context.WithCancel(context.Background())
	n = 0
	cfg.Progress = func([]Row) {
		if n++; n == 4 {
			cancel2()
		}
	}
	rep2, err := Run(ctx2, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if rep2.Searches <= rep.Searches {
		t.Errorf("resumed run: %d searches in all, before %d", rep2.Searches, rep.Searches)
	}
	if calls[first].Seed <= calls[first-1].Seed {
		t.Errorf("resumed seeds %d after %d: the search count was lost", calls[first].Seed, calls[first-1].Seed)
	}
	if r := rank(rep2, fm(2, 2, 4), tensorgame.Z2); r.Rank != 14 || r.Searches < rank(rep, fm(2, 2, 4), tensorgame.Z2).Searches {
		t.Errorf("resumed 2x2x4: %+v", r)
	}
	if len(rep2.Records) != 2 {
		t.Errorf("resumed records %+v", rep2.Records)
	}

	// A corrupt state file is set aside; the catalogue still holds the
	// schemes.
	if err := os.WriteFile(filepath.Join(dir, StateFile), []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx3, cancel3 := context.WithCancel(context.Background())
	cfg.Progress = func([]Row) { cancel3() }
	log.Reset()
	rep3, err := Run(ctx3, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if r := rank(rep3, fm(2, 2, 4), tensorgame.Z); r.Rank != 14 {
		t.Errorf("after a corrupt state: 2x2x4 at %d", r.Rank)
	}
	if !strings.Contains(log.String(), "set aside") {
		t.Errorf("no warning about the state file:\n%s", log.String())
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Dir: "d"},
		{Formats: []tensorgame.Format{fm(17, 2, 2)}, Dir: "d"},
		{Formats: []tensorgame.Format{fm(2, 2, 2)}},
		{Formats: []tensorgame.Format{fm(2, 2, 2)}, Dir: "d", Fields: []tensorgame.Field{tensorgame.Q}},
	} {
		if _, err := Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v): no error", cfg)
		}
	}
}

// TestReportFiles writes the report of a scope of every format up to 6
// (56 formats: bars) and up to 7 (84: heat maps) and reads the plots back.
func TestReportFiles(t *testing.T) {
	for _, max := range []int{6, 7} {
		fs, err := UpTo(max)
		if err != nil {
			t.Fatal(err)
		}
		r := &Report{Dir: "d", Formats: []string{"all"}}
		for i, f := range fs {
			for _, field := range []tensorgame.Field{tensorgame.Z2, tensorgame.Z} {
				r.Rows = append(r.Rows, Row{Format: f, Field: field, Rank: f.Naive() - i%3, Known: f.Naive() - 2, Listed: true, Gap: 2 - i%3})
			}
		}
		dir := t.TempDir()
		if err := r.WriteFiles(dir); err != nil {
			t.Fatalf("max %d: %v", max, err)
		}
		fh, err := os.Open(filepath.Join(dir, PlotGap))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(fh)
		fh.Close()
		if err != nil || cfg.Width < 400 || cfg.Height < 200 {
			t.Errorf("max %d: %s: %v, %dx%d", max, PlotGap, err, cfg.Width, cfg.Height)
		}
		md, _ := os.ReadFile(filepath.Join(dir, ReportMarkdown))
		if !strings.Contains(string(md), "| 2x2x2 | Z2 | 8 | 6 | 2 |") {
			t.Errorf("max %d: report.md lacks the 2x2x2 row:\n%.400s", max, md)
		}
		var back Report
		b, _ := os.ReadFile(filepath.Join(dir, ReportJSON))
		if err := json.Unmarshal(b, &back); err != nil || len(back.Rows) != len(r.Rows) {
			t.Errorf("max %d: report.json: %v, %d rows", max, err, len(back.Rows))
		}
	}
}

func TestWriteTable(t *testing.T) {
	rows := []Row{
		{Format: fm(2, 2, 2), Field: tensorgame.Z2, Rank: 7, Known: 7, Listed: true},
		{Format: fm(4, 4, 4), Field: tensorgame.Z2, Rank: 49, Known: 47, Gap: 2, Listed: true},
		{Format: fm(5, 5, 5), Field: tensorgame.Z2, Rank: 92, Known: 93, Gap: -1, Listed: true},
		{Format: fm(3, 3, 3), Field: tensorgame.Z, Rank: 23, Known: 23},
	}
	var b strings.Builder
	if err := WriteTable(&b, rows, 2); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "5x5x5") || !strings.Contains(lines[1], "-1 RECORD") ||
		!strings.Contains(lines[2], "4x4x4") || !strings.Contains(lines[3], "2 more") {
		t.Errorf("table with limit 2:\n%s", b.String())
	}
	b.Reset()
	WriteTable(&b, rows, 0)
	if !strings.Contains(b.String(), "23*") {
		t.Errorf("a bound (not listed) is not marked:\n%s", b.String())
	}
}

// TestCyclicOnlyWhereSupported: --cyclic asks for cyclic walkers on the
// square formats from CyclicFrom on that the cyclic walker takes (5x5x5,
// and 9x9x9 with factors of two words), and on no other format.
func TestCyclicOnlyWhereSupported(t *testing.T) {
	var calls []search.Config
	fake := fakeSearch(t, &calls)
	cfg := Config{Formats: []tensorgame.Format{fm(5, 5, 5), fm(9, 9, 9)}, Fields: []tensorgame.Field{tensorgame.Z2},
		Dir: t.TempDir(), Time: time.Hour, Slice: time.Second, Workers: 1, Seed: 1, Cyclic: true,
		Search: func(ctx context.Context, c search.Config) (search.Result, error) {
			if c.Cyclic && cyclic.Supports(c.Format) != nil {
				return search.Result{}, fmt.Errorf("search: cyclic walkers do not support %v", c.Format)
			}
			return fake(ctx, c)
		}}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	cfg.Progress = func([]Row) {
		if n++; n == 4 {
			cancel()
		}
	}
	if _, err := Run(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	seen := map[tensorgame.Format]bool{}
	for _, c := range calls {
		seen[c.Format] = true
		if want := c.Format == fm(5, 5, 5) || c.Format == fm(9, 9, 9); c.Cyclic != want {
			t.Errorf("%v: Cyclic %v, want %v", c.Format, c.Cyclic, want)
		}
	}
	if !seen[fm(5, 5, 5)] || !seen[fm(9, 9, 9)] {
		t.Errorf("searched %v; want both formats", seen)
	}
}

// TestPropagateFixedPoint checks that Propagate offers every improvement to
// every format it reaches: afterwards no meta move from what the catalogue
// holds beats the rank held of any format in scope.
func TestPropagateFixedPoint(t *testing.T) {
	cat := openCat(t)
	scope, err := UpTo(4)
	if err != nil {
		t.Fatal(err)
	}
	scope = append(scope, fm(3, 3, 6), fm(2, 4, 6), fm(4, 4, 6), fm(6, 6, 6))
	fields := []tensorgame.Field{tensorgame.Z2, tensorgame.Z}
	for _, f := range scope {
		for _, field := range fields {
			cat.HoldStandard(f, field)
		}
	}
	p := &Propagator{Cat: cat, Scope: scope, Warn: func(err error) { t.Error(err) }}
	// With no time, the keys wait for the next call.
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range []string{"2x2x2_r7_Z_strassen.txt", "3x3x3_r23_Z.txt", "2x3x4_r20_Z.txt"} {
		s := readScheme(t, name)
		if _, err := cat.Offer(s); err != nil {
			t.Fatal(err)
		}
		if got := p.Propagate(done, []catalogue.Key{catalogue.KeyOf(s.Format, s.Field)}); len(got) != 0 {
			t.Errorf("propagation with no time improved %v", got)
		}
	}
	if p.Pending() != 3 {
		t.Errorf("%d keys pending, want 3", p.Pending())
	}
	p.Propagate(context.Background(), nil)
	if p.Pending() != 0 {
		t.Errorf("%d keys pending after a propagation to the end", p.Pending())
	}
	for _, g := range scope {
		for _, field := range fields {
			held := cat.Rank(g, field)
			if r := meta.SumRank(g, field, cat); r < held {
				t.Errorf("%v over %v: held %d, a sum gives %d", g, field, held, r)
			}
			if r := meta.ProductRank(g, field, cat); r < held {
				t.Errorf("%v over %v: held %d, a product gives %d", g, field, held, r)
			}
			rs, err := meta.Restrictions(g, field, cat, 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) > 0 && rs[0].Rank() < held {
				t.Errorf("%v over %v: held %d, a restriction gives %d", g, field, held, rs[0].Rank())
			}
			if z := cat.Rank(g, tensorgame.Z); field == tensorgame.Z2 && z < held {
				t.Errorf("%v: held %d over Z2, %d over Z", g, held, z)
			}
		}
	}
	// Sums of more than two parts: 6x6x6 over Z is at most 161 (the
	// product), 3x3x6 at most 46 (3x3x3 + 3x3x3), 2x4x6 at most 40 (2x3x4 + 2x3x4).
	for _, c := range []struct {
		f    tensorgame.Format
		want int
	}{{fm(6, 6, 6), 161}, {fm(3, 3, 6), 46}, {fm(2, 4, 6), 40}} {
		if r := cat.Rank(c.f, tensorgame.Z); r > c.want {
			t.Errorf("%v over Z: %d, want at most %d", c.f, r, c.want)
		}
	}
}

// TestRunSlicesResume checks that an arm's slice grows over searches that
// gain nothing, up to MaxSlice, and that it survives a restart through
// the state file: the resumed run's next search has the slice the first
// run left, not Slice.
func TestRunSlicesResume(t *testing.T) {
	dir := t.TempDir()
	// 2x2x2 over Z2 "needs 6": the first search finds 7, none after it
	// gains anything.
	known := []ranks.Known{{Format: fm(2, 2, 2), Z2: 6, ZT: 6, Z: 6, Q: 6}}
	var times []time.Duration
	var cancel context.CancelFunc
	stopAfter := 0
	fake := func(ctx context.Context, cfg search.Config) (search.Result, error) {
		times = append(times, cfg.Time)
		if len(times) == stopAfter {
			cancel()
		}
		return search.Result{Stopped: "time", Best: reduce(t, readScheme(t, "2x2x2_r7_Z_strassen.txt"))}, nil
	}
	cfg := Config{Formats: []tensorgame.Format{fm(2, 2, 2)}, Fields: []tensorgame.Field{tensorgame.Z2}, Dir: dir,
		Time: time.Hour, Slice: time.Second, MaxSlice: 8 * time.Second, Known: known, Search: fake}
	ctx, c1 := context.WithCancel(context.Background())
	defer c1()
	cancel, stopAfter = c1, 4
	if _, err := Run(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	// 8 -> 7 in the first search (its slice stays), then nothing: 2, 4, 8.
	want := []time.Duration{time.Second, time.Second, 2 * time.Second, 4 * time.Second}
	if !slices.Equal(times, want) {
		t.Fatalf("search times %v, want %v", times, want)
	}
	var st state
	b, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &st); err != nil || len(st.Arms) != 1 || st.Arms[0].Slice != 8 {
		t.Fatalf("state arms %+v (%v); want one arm with slice 8 s", st.Arms, err)
	}
	ctx, c2 := context.WithCancel(context.Background())
	defer c2()
	cancel, times, stopAfter = c2, nil, 2
	if _, err := Run(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("resumed Run: %v", err)
	}
	if want := []time.Duration{8 * time.Second, 8 * time.Second}; !slices.Equal(times, want) {
		t.Errorf("resumed search times %v, want %v (MaxSlice)", times, want)
	}
}

// TestRunLiftsZ checks that an arm over Z whose format is held lower over
// Z2 lifts the Z2 scheme (2x2x2 at 7, reduced from Strassen's) before it
// searches, and books the turn as a lift.
func TestRunLiftsZ(t *testing.T) {
	dir := t.TempDir()
	known := []ranks.Known{{Format: fm(2, 2, 2), Z2: 7, ZT: 7, Z: 7, Q: 7}}
	cfg := Config{Formats: []tensorgame.Format{fm(2, 2, 2)}, Dir: dir, Time: time.Hour, Slice: time.Second, Known: known}
	searches, rep := runSearches(t, cfg, 3, func(cfg search.Config) search.Result {
		res := search.Result{Stopped: "time"}
		if cfg.Field == tensorgame.Z2 {
			res.Best = reduce(t, readScheme(t, "2x2x2_r7_Z_strassen.txt"))
		}
		return res
	})
	fields := fieldsOf(searches)
	// The Z2 search first (urgency ties: Z2 before Z); then the Z arm
	// lifts; then both are at the best known rank and search for records.
	if len(fields) < 1 || fields[0] != tensorgame.Z2 {
		t.Errorf("searches over %v; want Z2 first", fields)
	}
	for _, r := range rep.Rows {
		if r.Field == tensorgame.Z && (r.Rank != 7 || len(r.Lineage) == 0 || !slices.Contains(r.Lineage, tensorgame.MoveLift)) {
			t.Errorf("2x2x2 over Z: %+v; want 7 by a lift", r)
		}
	}
	var st state
	b, _ := os.ReadFile(filepath.Join(dir, StateFile))
	if err := json.Unmarshal(b, &st); err != nil || st.Lifts != 1 {
		t.Errorf("state: %d lifts (%v), want 1", st.Lifts, err)
	}
}

// TestRunFreshLineage checks that every second search of an arm is one of
// its fresh lineage (its own run directory, no catalogue starts) while the
// lineage stays within FreshWithin of the catalogue's rank, and none after
// it fell further behind.
func TestRunFreshLineage(t *testing.T) {
	f := fm(2, 3, 4)
	s20 := reduce(t, readScheme(t, "2x3x4_r20_Z.txt"))
	for _, c := range []struct {
		name string
		// freshFinds is what a fresh search returns (nil: nothing, the
		// lineage stays at the standard algorithm's 24).
		freshFinds *tensorgame.Scheme
		want       []bool // fresh or not, search by search
	}{
		{"within reach: every second search", s20, []bool{false, true, false, true, false, true}},
		{"fell behind: no fresh search after the first", nil, []bool{false, true, false, false, false, false}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			known := []ranks.Known{{Format: f, Z2: 19, ZT: 19, Z: 19, Q: 19}}
			cfg := Config{Formats: []tensorgame.Format{f}, Fields: []tensorgame.Field{tensorgame.Z2}, Dir: dir,
				Time: time.Hour, Slice: time.Second, Known: known}
			searches, _ := runSearches(t, cfg, len(c.want), func(cfg search.Config) search.Result {
				if lineageOf(cfg.RunDir) == FreshLineage {
					if c.freshFinds == nil {
						return search.Result{Stopped: "time"}
					}
					return search.Result{Stopped: "time", Best: c.freshFinds.Clone()}
				}
				return search.Result{Stopped: "time", Best: s20.Clone()}
			})
			var got []bool
			for i, sc := range searches {
				fresh := lineageOf(sc.RunDir) == FreshLineage
				if want := filepath.Join(dir, "search", "2x3x4-z2"); !fresh && sc.RunDir != want {
					t.Errorf("search %d: run directory %s, want %s", i, sc.RunDir, want)
				}
				if fresh && len(sc.Starts) > 0 {
					t.Errorf("search %d: fresh with %d starts, want none", i, len(sc.Starts))
				}
				if !fresh && i > 0 && len(sc.Starts) == 0 {
					t.Errorf("search %d: no start from the catalogue", i)
				}
				got = append(got, fresh)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("fresh searches %v, want %v", got, c.want)
			}
		})
	}
}

// TestRunZWaitsForZ2 checks that an arm over Z waits while the arm over Z2
// of its format is open at the same rank: 2x3x4 with both short of a best
// known 19 is searched over Z2 only, and reaches 20 over Z by lifting.
func TestRunZWaitsForZ2(t *testing.T) {
	dir := t.TempDir()
	f := fm(2, 3, 4)
	s20 := reduce(t, readScheme(t, "2x3x4_r20_Z.txt"))
	known := []ranks.Known{{Format: f, Z2: 19, ZT: 19, Z: 19, Q: 19}}
	cfg := Config{Formats: []tensorgame.Format{f}, Dir: dir, Time: time.Hour, Slice: time.Second, Known: known}
	searches, rep := runSearches(t, cfg, 5, func(cfg search.Config) search.Result {
		if cfg.Field == tensorgame.Z2 {
			return search.Result{Stopped: "time", Best: s20.Clone()}
		}
		return search.Result{Stopped: "time"}
	})
	fields := fieldsOf(searches)
	if slices.Contains(fields, tensorgame.Z) {
		t.Errorf("searches over %v, want Z2 only", fields)
	}
	for _, r := range rep.Rows {
		if r.Field == tensorgame.Z && r.Rank != 20 {
			t.Errorf("2x3x4 over Z at %d, want 20 (lifted)", r.Rank)
		}
	}
}

// runSearches runs a frontier of cfg whose searches are res (what a search
// of a config returns) until n searches were made, and returns their
// configs and the report.
func runSearches(t *testing.T, cfg Config, n int, res func(search.Config) search.Result) ([]search.Config, *Report) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var searches []search.Config
	cfg.Search = func(_ context.Context, sc search.Config) (search.Result, error) {
		searches = append(searches, sc)
		if len(searches) == n {
			cancel()
		}
		return res(sc), nil
	}
	rep, err := Run(ctx, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	return searches, rep
}

// fieldsOf returns the fields of searches, in order.
func fieldsOf(searches []search.Config) []tensorgame.Field {
	var out []tensorgame.Field
	for _, sc := range searches {
		out = append(out, sc.Field)
	}
	return out
}
