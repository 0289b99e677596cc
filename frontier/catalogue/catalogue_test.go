package catalogue

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// strassenText is Strassen's algorithm (1969).
const strassenText = `# size: 2x2x2
# field: Z
1 0 0 1 ; 1 0 0 1 ; 1 0 0 1
0 0 1 1 ; 1 0 0 0 ; 0 0 1 -1
1 0 0 0 ; 0 1 0 -1 ; 0 1 0 1
0 0 0 1 ; -1 0 1 0 ; 1 0 1 0
1 1 0 0 ; 0 0 0 1 ; -1 1 0 0
-1 0 1 0 ; 1 1 0 0 ; 0 0 0 1
0 1 0 -1 ; 0 0 1 1 ; 1 0 0 0
`

func strassen(t *testing.T) *tensorgame.Scheme {
	t.Helper()
	s, err := tensorgame.Parse(strings.NewReader(strassenText), "strassen")
	if err != nil {
		t.Fatal(err)
	}
	s.Origin = tensorgame.Derive(tensorgame.MovePublished)
	return s
}

func shuffled(s *tensorgame.Scheme, seed uint64) *tensorgame.Scheme {
	c := s.Clone()
	r := rand.New(rand.NewPCG(seed, 2))
	r.Shuffle(len(c.Terms), func(i, j int) { c.Terms[i], c.Terms[j] = c.Terms[j], c.Terms[i] })
	return c
}

func open(t *testing.T, dir string) (*Catalogue, []error) {
	t.Helper()
	var warns []error
	c, err := Open(dir, Options{PerRank: 3, Warn: func(err error) { warns = append(warns, err) }})
	if err != nil {
		t.Fatal(err)
	}
	return c, warns
}

func offer(t *testing.T, c *Catalogue, s *tensorgame.Scheme, want bool) {
	t.Helper()
	got, err := c.Offer(s)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Offer(%v rank %d over %v) improved = %v, want %v", s.Format, s.Rank(), s.Field, got, want)
	}
}

func TestOfferBestAndDedup(t *testing.T) {
	dir := t.TempDir()
	c, _ := open(t, dir)
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	offer(t, c, tensorgame.Standard(f, tensorgame.Z), true)
	offer(t, c, strassen(t), true)
	offer(t, c, tensorgame.Standard(f, tensorgame.Z), false) // worse: not stored
	// The same terms in another order are one scheme.
	for seed := range uint64(5) {
		offer(t, c, shuffled(strassen(t), seed), false)
	}
	if got := len(c.Schemes(f, tensorgame.Z, 0)); got != 1 {
		t.Errorf("%d schemes at rank 7 after offering Strassen shuffled, want 1", got)
	}
	if o := c.Origin(f, tensorgame.Z); o == nil || o.Move != tensorgame.MovePublished {
		t.Errorf("Origin = %+v", o)
	}
	if c.Rank(f, tensorgame.Z) != 7 || c.Rank(f, tensorgame.Z2) != 0 {
		t.Errorf("ranks %d over Z, %d over Z2; want 7 and 0", c.Rank(f, tensorgame.Z), c.Rank(f, tensorgame.Z2))
	}
	best := filepath.Join(dir, "2x2x2-z", "2x2x2_r7_Z.txt")
	s, err := tensorgame.ReadFile(best)
	if err != nil {
		t.Fatal(err)
	}
	if s.Origin == nil || s.Origin.Move != tensorgame.MovePublished {
		t.Errorf("stored origin %+v, want the offered one", s.Origin)
	}
	all, _ := filepath.Glob(filepath.Join(dir, "2x2x2-z", "*", "*"))
	top, _ := filepath.Glob(filepath.Join(dir, "2x2x2-z", "*.txt"))
	if len(all) != 0 || len(top) != 1 {
		t.Errorf("files %v %v: want the rank 7 scheme only (the standard algorithm is not written)", top, all)
	}
	tmp, _ := filepath.Glob(filepath.Join(dir, "*", ".*tmp*"))
	if len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	// A broken scheme is refused and changes nothing.
	bad := strassen(t)
	bad.Terms = bad.Terms[:6]
	if _, err := c.Offer(bad); err == nil {
		t.Error("a broken rank 6 scheme was accepted")
	}
	if c.Rank(f, tensorgame.Z) != 7 {
		t.Errorf("rank %d after a broken offer", c.Rank(f, tensorgame.Z))
	}
}

func TestOrientation(t *testing.T) {
	dir := t.TempDir()
	c, _ := open(t, dir)
	s, err := tensorgame.Extend(strassen(t), tensorgame.AxisN, 1) // 3x2x2, rank 11
	if err != nil {
		t.Fatal(err)
	}
	offer(t, c, s, true)
	if _, err := os.Stat(filepath.Join(dir, "2x2x3-z", "2x2x3_r11_Z.txt")); err != nil {
		t.Errorf("not stored as 2x2x3: %v", err)
	}
	for _, f := range []tensorgame.Format{{N: 3, M: 2, P: 2}, {N: 2, M: 3, P: 2}, {N: 2, M: 2, P: 3}} {
		b := c.Best(f, tensorgame.Z)
		if b == nil || b.Format != f || b.Rank() != 11 {
			t.Fatalf("Best(%v) = %v", f, b)
		}
		if err := tensorgame.Verify(b); err != nil {
			t.Errorf("Best(%v): %v", f, err)
		}
		if b.Origin == nil || b.Origin.Move != tensorgame.MoveExtend {
			t.Errorf("Best(%v) origin %+v", f, b.Origin)
		}
		// Any orientation of the same scheme is the same entry.
		offer(t, c, b, false)
	}
	if n := len(c.Schemes(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z, 0)); n != 1 {
		t.Errorf("%d schemes after offering every orientation, want 1", n)
	}
}

func TestResumeAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	c, _ := open(t, dir)
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	offer(t, c, tensorgame.Standard(f, tensorgame.Z2), true) // in memory only
	offer(t, c, tensorgame.Standard(f, tensorgame.Z), true)
	offer(t, c, strassen(t), true)
	g := tensorgame.Format{N: 2, M: 2, P: 3}
	ext, err := tensorgame.Extend(strassen(t), tensorgame.AxisP, 1) // 2x2x3, rank 11
	if err != nil {
		t.Fatal(err)
	}
	offer(t, c, ext, true)
	if s := c.Best(f, tensorgame.Z2); s == nil || s.Rank() != 8 || s.Origin.Move != tensorgame.MoveStandard || tensorgame.Verify(s) != nil {
		t.Errorf("Best over Z2 = %v, want the standard algorithm", s)
	}
	h := tensorgame.Format{N: 3, M: 2, P: 4}
	if !c.HoldStandard(h, tensorgame.Z) || c.HoldStandard(h, tensorgame.Z) || c.HoldStandard(f, tensorgame.Z) {
		t.Error("HoldStandard: want true for a new entry only")
	}
	if s := c.Best(tensorgame.Format{N: 4, M: 3, P: 2}, tensorgame.Z); s == nil || s.Rank() != 24 || s.Format != (tensorgame.Format{N: 4, M: 3, P: 2}) {
		t.Errorf("Best after HoldStandard = %v", s)
	}

	c2, warns := open(t, dir)
	if len(warns) != 0 {
		t.Errorf("warnings on a clean catalogue: %v", warns)
	}
	if c2.Rank(f, tensorgame.Z) != 7 || c2.Rank(f, tensorgame.Z2) != 0 || c2.Rank(g, tensorgame.Z) != 11 {
		t.Errorf("reopened: ranks %d over Z, %d over Z2 (the standard is not kept), 2x2x3 %d", c2.Rank(f, tensorgame.Z), c2.Rank(f, tensorgame.Z2), c2.Rank(g, tensorgame.Z))
	}
	if len(c2.Keys()) != 2 {
		t.Errorf("keys %v", c2.Keys())
	}

	// Corrupt the rank 7 file, add a good rank 8 file of 2x2x2 by hand
	// (the standard algorithm, written as if found), a garbage file and a
	// file whose name lies about its rank: Open sets the bad ones aside,
	// warns, and falls back to the next file by rank.
	broken := strings.Replace(strassenText, "1 0 0 1 ; 1 0 0 1 ; 1 0 0 1", "1 0 0 1 ; 1 0 0 1 ; 1 1 0 1", 1)
	if err := os.WriteFile(filepath.Join(dir, "2x2x2-z", "2x2x2_r7_Z.txt"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.WriteFile(filepath.Join(dir, "2x2x2-z", "2x2x2_r8_Z.txt"), tensorgame.Standard(f, tensorgame.Z)); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "2x2x2-z2", "2x2x2_r5_Z2.txt")
	if err := os.MkdirAll(filepath.Dir(garbage), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(garbage, []byte("not a scheme ; at all\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	misnamed := filepath.Join(dir, "2x2x3-z", "2x2x3_r10_Z.txt") // holds rank 11
	b, _ := os.ReadFile(filepath.Join(dir, "2x2x3-z", "2x2x3_r11_Z.txt"))
	if err := os.WriteFile(misnamed, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c3, warns := open(t, dir)
	if len(warns) != 3 {
		t.Errorf("%d warnings, want 3: %v", len(warns), warns)
	}
	if c3.Rank(f, tensorgame.Z) != 8 || c3.Rank(f, tensorgame.Z2) != 0 || c3.Rank(g, tensorgame.Z) != 11 {
		t.Errorf("after corruption: ranks %d over Z, %d over Z2, 2x2x3 %d; want 8, 0, 11", c3.Rank(f, tensorgame.Z), c3.Rank(f, tensorgame.Z2), c3.Rank(g, tensorgame.Z))
	}
	if _, err := os.Stat(garbage); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the garbage file is still in place: %v", err)
	}
	aside, _ := filepath.Glob(filepath.Join(dir, "corrupt", "*"))
	if len(aside) != 3 {
		t.Errorf("set aside: %v", aside)
	}
	// A file that goes bad after Open is set aside when read.
	if err := os.WriteFile(filepath.Join(dir, "2x2x2-z", "2x2x2_r8_Z.txt"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := c3.Best(f, tensorgame.Z); s != nil || c3.Rank(f, tensorgame.Z) != 0 {
		t.Errorf("a file corrupted after Open: Best = %v", s)
	}
	// Read-only: nothing moves.
	if err := os.WriteFile(garbage, []byte("junk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var n int
	ro, err := Open(dir, Options{ReadOnly: true, Warn: func(error) { n++ }})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || ro.Rank(g, tensorgame.Z) != 11 {
		t.Errorf("read-only: %d warnings, 2x2x3 rank %d", n, ro.Rank(g, tensorgame.Z))
	}
	if _, err := os.Stat(garbage); err != nil {
		t.Errorf("read-only open moved a file: %v", err)
	}
	if _, err := ro.Offer(strassen(t)); err == nil {
		t.Error("read-only Offer: no error")
	}
	only, err := Open(dir, Options{ReadOnly: true, Only: []Key{KeyOf(g, tensorgame.Z)}, Warn: func(err error) { t.Error(err) }})
	if err != nil || len(only.Keys()) != 1 || only.Rank(tensorgame.Format{N: 3, M: 2, P: 2}, tensorgame.Z) != 11 {
		t.Errorf("Open with Only: %v, keys %v", err, only.Keys())
	}
	if c, err := Open(filepath.Join(dir, "missing"), Options{ReadOnly: true}); err != nil || len(c.Keys()) != 0 {
		t.Errorf("read-only open of a missing directory: %v", err)
	}
}
