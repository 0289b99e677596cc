package pool

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

var f222 = tensorgame.Format{N: 2, M: 2, P: 2}

// strassenZ2 is Strassen's algorithm (the repository's schemes/) mod 2,
// rank 7.
func strassenZ2(t *testing.T) *tensorgame.Scheme {
	t.Helper()
	z, err := tensorgame.ReadFile("../../schemes/2x2x2_r7_Z_strassen.txt")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tensorgame.ReduceMod2(z)
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	return s
}

func permuted(s *tensorgame.Scheme, seed uint64) *tensorgame.Scheme {
	c := s.Clone()
	r := rand.New(rand.NewPCG(seed, 1))
	r.Shuffle(len(c.Terms), func(i, j int) { c.Terms[i], c.Terms[j] = c.Terms[j], c.Terms[i] })
	return c
}

func TestHashIgnoresTermOrder(t *testing.T) {
	s := strassenZ2(t)
	for seed := range uint64(10) {
		if Hash(permuted(s, seed)) != Hash(s) {
			t.Fatalf("seed %d: permuted scheme hashes differently", seed)
		}
	}
	std := tensorgame.Standard(f222, tensorgame.Z2)
	if Hash(std) == Hash(s) {
		t.Error("standard and Strassen hash alike")
	}
}

func TestAddDeduplicates(t *testing.T) {
	p := New(f222, tensorgame.Z2, Options{})
	s := strassenZ2(t)
	if ok, err := p.Add(s); !ok || err != nil {
		t.Fatalf("first Add = %v, %v; want true, nil", ok, err)
	}
	for seed := range uint64(5) {
		if ok, err := p.Add(permuted(s, seed)); ok || err != nil {
			t.Fatalf("Add of a permutation = %v, %v; want false, nil", ok, err)
		}
	}
	if n := p.Len()[7]; n != 1 {
		t.Errorf("pool holds %d schemes of rank 7, want 1", n)
	}
	if p.Best() != 7 {
		t.Errorf("Best = %d, want 7", p.Best())
	}
}

func TestAddRejects(t *testing.T) {
	p := New(f222, tensorgame.Z2, Options{})
	bad := tensorgame.Standard(f222, tensorgame.Z2)
	bad.Terms = bad.Terms[1:]
	for name, s := range map[string]*tensorgame.Scheme{
		"unverified": bad,
		"format":     tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2),
		"field":      tensorgame.Standard(f222, tensorgame.Z),
	} {
		if ok, err := p.Add(s); ok || err == nil {
			t.Errorf("Add(%s) = %v, %v; want false and an error", name, ok, err)
		}
	}
	if p.Best() != 0 {
		t.Errorf("Best = %d after rejected adds, want 0", p.Best())
	}
}

// padded returns s with term t of s added twice (which cancels over Z2).
func padded(s *tensorgame.Scheme, ts ...int) *tensorgame.Scheme {
	c := s.Clone()
	for _, t := range ts {
		c.Terms = append(c.Terms, s.Terms[t].Clone(), s.Terms[t].Clone())
	}
	return c
}

func TestBoundsAndDepth(t *testing.T) {
	p := New(f222, tensorgame.Z2, Options{PerRank: 1, Depth: 2})
	s := strassenZ2(t)
	for _, c := range []struct {
		name string
		s    *tensorgame.Scheme
		want bool
	}{
		{"strassen", s, true},
		{"rank 9", padded(s, 0), true},
		{"rank 9 full", padded(s, 1), false},
		{"standard", tensorgame.Standard(f222, tensorgame.Z2), true},
		{"rank 11 too deep", padded(s, 0, 1), false},
	} {
		if ok, err := p.Add(c.s); ok != c.want || err != nil {
			t.Errorf("Add(%s) = %v, %v; want %v, nil", c.name, ok, err, c.want)
		}
	}
	if got := p.Len(); len(got) != 3 || got[7] != 1 || got[8] != 1 || got[9] != 1 {
		t.Errorf("ranks held %v, want one scheme each at 7, 8, 9", got)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ rank, want int }{{0, 7}, {8, 8}, {9, 9}, {10, 0}} {
		got := p.Pick(r, c.rank)
		if (got == nil) != (c.want == 0) || (got != nil && got.Rank() != c.want) {
			t.Errorf("Pick(%d) = %v, want rank %d", c.rank, got, c.want)
		}
	}
	// A new best drops the ranks more than Depth above it.
	q := New(f222, tensorgame.Z2, Options{Depth: 1})
	q.Add(padded(s, 0, 1))
	q.Add(padded(s, 0))
	q.Add(s)
	if got := q.Len(); len(got) != 1 || got[7] != 1 {
		t.Errorf("after a new best, ranks held %v, want only rank 7", got)
	}
}

func TestOpenResume(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run")
	p, err := Open(path, f222, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*tensorgame.Scheme{tensorgame.Standard(f222, tensorgame.Z2), strassenZ2(t)} {
		if ok, err := p.Add(s); !ok || err != nil {
			t.Fatalf("Add = %v, %v", ok, err)
		}
	}
	if err := p.SaveState(State{Seed: 5, Flips: 100}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []int{7, 8} {
		if _, err := tensorgame.ReadFile(p.Path(r)); err != nil {
			t.Errorf("rank %d file: %v", r, err)
		}
	}
	q, err := Open(path, f222, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Best() != 7 || q.Len()[8] != 1 || q.Len()[7] != 1 {
		t.Errorf("reopened pool: best %d, ranks %v; want 7 and one scheme each at 7, 8", q.Best(), q.Len())
	}
	st, ok := q.State()
	if !ok || st.Seed != 5 || st.Flips != 100 || st.Best != 7 {
		t.Errorf("state = %+v, %v", st, ok)
	}
	if !q.BestScheme().Equal(strassenZ2(t)) {
		t.Error("reopened best scheme differs")
	}
}

func TestOpenBadDirectories(t *testing.T) {
	write := func(t *testing.T, dir, name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	std := func(f tensorgame.Format) string {
		var b strings.Builder
		tensorgame.Write(&b, tensorgame.Standard(f, tensorgame.Z2))
		return b.String()
	}
	// Damaged files are set aside, not refused (TestOpenSetsAsideCorrupt).
	broken := strings.Replace(std(f222), "1 0 0 0 ; 1 0 0 0 ; 1 0 0 0", "1 0 0 0 ; 1 0 0 0 ; 1 1 0 0", 1)
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string
	}{
		{"file", func(t *testing.T, dir string) { write(t, filepath.Dir(dir), filepath.Base(dir), "x") }, "not a directory"},
		{"state format", func(t *testing.T, dir string) {
			write(t, dir, StateFile, `{"format":"3x3x3","field":"Z2"}`)
		}, "3x3x3"},
		{"other format", func(t *testing.T, dir string) {
			write(t, dir, "2x2x3_r12_Z2.txt", std(tensorgame.Format{N: 2, M: 2, P: 3}))
		}, "2x2x3"},
		{"other format and a damaged file", func(t *testing.T, dir string) {
			write(t, dir, "2x2x2_r8_Z2.txt", broken)
			write(t, dir, "pool/2x2x3_r12_Z2_0123456789abcdef.txt", std(tensorgame.Format{N: 2, M: 2, P: 3}))
		}, "2x2x3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			c.setup(t, dir)
			before := snapshot(t, dir)
			_, err := Open(dir, f222, tensorgame.Z2, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Open: %v, want an error mentioning %q", err, c.want)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("Open changed the directory:\n%s\nto\n%s", before, after)
			}
		})
	}
}

// snapshot lists the files under dir with their contents.
func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.WalkDir(filepath.Dir(dir), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		b.WriteString(path + "\n")
		if !d.IsDir() {
			data, _ := os.ReadFile(path)
			b.Write(data)
		}
		return nil
	})
	return b.String()
}

func TestLevel(t *testing.T) {
	p := New(f222, tensorgame.Z2, Options{Depth: 4})
	if got := p.Level(func(int) int { return 1 }); got != 0 {
		t.Errorf("Level of an empty pool = %d, want 0", got)
	}
	s := strassenZ2(t)
	p.Add(padded(s, 0))                             // rank 9
	p.Add(padded(s, 1))                             // rank 9
	p.Add(tensorgame.Standard(f222, tensorgame.Z2)) // rank 8
	for _, c := range []struct {
		name string
		need func(int) int
		want int
	}{
		{"one each", func(int) int { return 1 }, 8},
		{"two each", func(int) int { return 2 }, 9},
		{"none has three", func(int) int { return 3 }, 9}, // the highest rank
		{"per rank", func(r int) int { return map[int]int{8: 1, 9: 5}[r] }, 8},
	} {
		if got := p.Level(c.need); got != c.want {
			t.Errorf("%s: Level = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestReadBest(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	dir := filepath.Join(t.TempDir(), "run")
	if s, err := ReadBest(dir, f, tensorgame.Z2); s != nil || err != nil {
		t.Fatalf("missing directory: %v, %v", s, err)
	}
	p, err := Open(dir, f, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	std := tensorgame.Standard(f, tensorgame.Z2)
	if _, err := p.Add(std); err != nil {
		t.Fatal(err)
	}
	s, err := ReadBest(dir, f, tensorgame.Z2)
	if err != nil || s == nil || s.Rank() != 8 {
		t.Fatalf("ReadBest: %v, %v", s, err)
	}
	if s, err := ReadBest(dir, f, tensorgame.Z); s != nil || err != nil {
		t.Errorf("no Z scheme: %v, %v", s, err)
	}
	// A file whose name promises rank 7 but holds the standard algorithm.
	if err := tensorgame.WriteFile(filepath.Join(dir, FileName(f, tensorgame.Z2, 7)), std); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadBest(dir, f, tensorgame.Z2); err == nil || !strings.Contains(err.Error(), "not what its name says") {
		t.Errorf("mislabelled file: err %v", err)
	}
}

func TestReadLowest(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	dir := filepath.Join(t.TempDir(), "run")
	if ss, err := ReadLowest(dir, f, tensorgame.Z2, 4); len(ss) != 0 || err != nil {
		t.Fatalf("missing directory: %v, %v", ss, err)
	}
	p, err := Open(dir, f, tensorgame.Z2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The standard algorithm, one rank-9 scheme that is not the same (a term
	// split in two), and Strassen mod 2.
	std := tensorgame.Standard(f, tensorgame.Z2)
	split := std.Clone()
	t0 := split.Terms[0]
	a, b := t0.Clone(), t0.Clone()
	a.W[1] = tensorgame.Int(1)
	b.W = make([]tensorgame.Rat, len(b.W))
	b.W[1] = tensorgame.Int(1)
	split.Terms = append(split.Terms[1:], a, b)
	if err := tensorgame.Verify(split); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*tensorgame.Scheme{std, split, strassenZ2(t)} {
		if _, err := p.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		n     int
		ranks []int
	}{{1, []int{7}}, {2, []int{7, 8}}, {10, []int{7, 8, 9}}} {
		ss, err := ReadLowest(dir, f, tensorgame.Z2, c.n)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, s := range ss {
			got = append(got, s.Rank())
		}
		if !slices.Equal(got, c.ranks) {
			t.Errorf("ReadLowest(%d): ranks %v, want %v", c.n, got, c.ranks)
		}
	}
	if err := tensorgame.WriteFile(filepath.Join(dir, FileName(f, tensorgame.Z2, 6)), std); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLowest(dir, f, tensorgame.Z2, 3); err == nil || !strings.Contains(err.Error(), "not what its name says") {
		t.Errorf("mislabelled file: err %v", err)
	}
}
