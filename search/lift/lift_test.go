package lift

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/internal/sharedtest"
	"github.com/alphamat/alphamat/tensorgame"
)

// sharedDir returns testdata/ at the module root (published schemes); the
// test fails when it is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	return sharedtest.Dir(t)
}

// publishedFiles returns the published scheme files of field (alphatensor,
// flipgraph and the benchmarking subfolders) whose dimensions are all at most
// maxDim.
func publishedFiles(t testing.TB, field tensorgame.Field, maxDim int) []string {
	t.Helper()
	root := filepath.Join(sharedDir(t), "published")
	var out []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_"+field.String()+".txt") {
			return err
		}
		s, err := tensorgame.ReadFile(path)
		if err != nil {
			return err
		}
		if f := s.Format; max(f.N, f.M, f.P) <= maxDim {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no published %v files with dimensions <= %d under %s", field, maxDim, root)
	}
	return out
}

func readScheme(t testing.TB, path string) *tensorgame.Scheme {
	t.Helper()
	s, err := tensorgame.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkLift checks the properties every lift must have: it verifies over
// its field (Z or Q), and reduces mod 2 to the Z2 scheme it was lifted from.
func checkLift(t *testing.T, name string, from, got *tensorgame.Scheme) {
	t.Helper()
	if got.Field != tensorgame.Z && got.Field != tensorgame.Q {
		t.Errorf("%s: lifted to field %v, want Z or Q", name, got.Field)
	}
	if err := tensorgame.Verify(got); err != nil {
		t.Errorf("%s: lifted scheme does not verify: %v", name, err)
	}
	want, err := tensorgame.ReduceMod2(from)
	if err != nil {
		t.Fatal(err)
	}
	back, err := tensorgame.ReduceMod2(got)
	if err != nil {
		t.Errorf("%s: lifted scheme does not reduce mod 2: %v", name, err)
		return
	}
	if !back.Equal(want) {
		t.Errorf("%s: lifted scheme does not reduce mod 2 to the scheme it was lifted from", name)
	}
}

// TestLiftPublishedZ reduces every published scheme over Z with n, m, p <= 4
// mod 2 and lifts it back. Measured: 12 of 12 lift (with the default
// options all to Z with coefficients in {-1, 0, 1}; with OrderNatural,
// several lift only to Q or with coefficients ±2, ±3). The two
// hardware-tuned 4x4x4 schemes (benchmarking_*) need the sign search: all
// 143 free ones stay +1 and step 2 fails. Two attempts keep the test fast;
// under the race detector the TPU one is skipped (6 s there; the GPU one
// covers the sign search).
func TestLiftPublishedZ(t *testing.T) {
	files := publishedFiles(t, tensorgame.Z, 4)
	mustLift := map[string]bool{"2x2x2_r7_Z.txt": true, "3x3x3_r23_Z.txt": true, "2x3x4_r20_Z.txt": true}
	lifted, tried := 0, 0
	for _, path := range files {
		name := filepath.Base(path)
		if raceEnabled && strings.Contains(path, "benchmarking_tpu") {
			t.Logf("%s: skipped under the race detector", path)
			continue
		}
		tried++
		s := readScheme(t, path)
		z2, err := tensorgame.ReduceMod2(s)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got, err := Lift(context.Background(), z2, Options{Attempts: 2})
		if err != nil {
			if mustLift[name] {
				t.Errorf("%s: %v", path, err)
			} else {
				t.Logf("%s: %v", path, err)
			}
			continue
		}
		lifted++
		delete(mustLift, name)
		checkLift(t, path, z2, got)
		if got.Field != tensorgame.Z {
			t.Logf("%s: lifted to %v", path, got.Field)
		}
	}
	for name := range mustLift {
		t.Errorf("%s: not among the published files", name)
	}
	frac := float64(lifted) / float64(tried)
	t.Logf("%d of %d published Z schemes with n,m,p <= 4 lift back from Z2 (%.0f%%)", lifted, tried, 100*frac)
	// Measured 100%; a drop below 90% means the free variables are chosen badly.
	if frac < 0.9 {
		t.Errorf("only %d of %d lift (%.0f%%), want at least 90%%", lifted, tried, 100*frac)
	}
}

// TestLiftPublishedZ2 lifts every published Z2 scheme with n, m, p <= 5:
// all lift to Z except AlphaTensor's 4x4x4 r47, 4x4x5 r63 and 5x5x5 r96,
// which provably do not (inconsistent mod 4). 5x5x5 is skipped with -short
// and under the race detector (about 1 s without it, 8 s with it).
func TestLiftPublishedZ2(t *testing.T) {
	notLiftable := map[string]bool{"4x4x4_r47_Z2.txt": true, "4x4x5_r63_Z2.txt": true, "5x5x5_r96_Z2.txt": true}
	for _, path := range publishedFiles(t, tensorgame.Z2, 5) {
		name := filepath.Base(path)
		s := readScheme(t, path)
		if s.Format == (tensorgame.Format{N: 5, M: 5, P: 5}) && (testing.Short() || raceEnabled) {
			t.Logf("%s: skipped in short mode and under the race detector", name)
			delete(notLiftable, name)
			continue
		}
		got, err := Lift(context.Background(), s, Options{})
		switch {
		case notLiftable[name]:
			delete(notLiftable, name)
			if !errors.Is(err, ErrNotLiftable) || errors.Is(err, ErrUndecided) {
				t.Errorf("%s: got %v, want ErrNotLiftable", name, err)
			}
		case err != nil:
			t.Errorf("%s: %v", name, err)
		default:
			checkLift(t, name, s, got)
			if got.Field != tensorgame.Z {
				t.Errorf("%s: lifted to %v, want Z", name, got.Field)
			}
		}
	}
	for name := range notLiftable {
		t.Errorf("%s: not among the published files", name)
	}
}

// TestLiftRational lifts with the naive order, which converges to a
// solution with denominators 3 for AlphaTensor's 3x3x4 r29 Z2 scheme.
func TestLiftRational(t *testing.T) {
	path := filepath.Join(sharedDir(t), "published", "alphatensor", "3x3x4_r29_Z2.txt")
	s := readScheme(t, path)
	got, err := Lift(context.Background(), s, Options{Order: OrderNatural, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkLift(t, path, s, got)
	if _, den := got.MaxAbs(); got.Field != tensorgame.Q || den == 1 || den%2 == 0 {
		t.Fatalf("lifted to %v with largest denominator %d, want Q with odd denominators", got.Field, den)
	}
	out := filepath.Join(t.TempDir(), "q.txt")
	if err := tensorgame.WriteFile(out, got); err != nil {
		t.Fatal(err)
	}
	back := readScheme(t, out)
	if back.Field != tensorgame.Q || !back.Equal(got) {
		t.Fatalf("written and read back: field %v, equal %v", back.Field, back.Equal(got))
	}
	if err := tensorgame.Verify(back); err != nil {
		t.Fatal(err)
	}

	// The same order with too little precision to recognise the rationals.
	_, err = Lift(context.Background(), s, Options{Order: OrderNatural, Attempts: 1, MaxBits: 7})
	if !errors.Is(err, ErrUndecided) || errors.Is(err, ErrNotLiftable) {
		t.Errorf("MaxBits 7: got %v, want ErrUndecided", err)
	}
	// Integers only: the first attempt does not count.
	_, err = Lift(context.Background(), s, Options{Order: OrderNatural, Attempts: 1, IntegerOnly: true, MaxBits: 20})
	if !errors.Is(err, ErrUndecided) {
		t.Errorf("IntegerOnly: got %v, want ErrUndecided", err)
	}
}

func TestLiftStandard(t *testing.T) {
	for _, f := range []tensorgame.Format{{N: 1, M: 1, P: 1}, {N: 2, M: 3, P: 4}, {N: 3, M: 3, P: 3}} {
		s := tensorgame.Standard(f, tensorgame.Z2)
		got, err := Lift(context.Background(), s, Options{})
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		checkLift(t, f.String(), s, got)
		if n, d := got.MaxAbs(); got.Field != tensorgame.Z || n != 1 || d != 1 {
			t.Errorf("%v: got %v with max coefficient %d/%d, want the standard algorithm over Z", f, got.Field, n, d)
		}
	}
}

func TestLiftErrors(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	broken := tensorgame.Standard(f, tensorgame.Z2)
	broken.Terms = broken.Terms[1:]
	half := tensorgame.Standard(f, tensorgame.Q)
	half.Terms[0].U[0] = tensorgame.NewRat(1, 2)
	half.Terms = append(half.Terms, half.Terms[0].Clone())
	half.Terms[len(half.Terms)-1].U[0] = tensorgame.NewRat(1, 2)
	if err := tensorgame.Verify(half); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		s    *tensorgame.Scheme
		want string
		is   error
	}{
		{"unverified", context.Background(), broken, "fails verification", nil},
		{"even denominator", context.Background(), half, "even denominator", nil},
		{"cancelled", cancelled, tensorgame.Standard(f, tensorgame.Z2), "", context.Canceled},
	}
	for _, tt := range tests {
		_, err := Lift(tt.ctx, tt.s, Options{})
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if errors.Is(err, ErrNotLiftable) || errors.Is(err, ErrUndecided) {
			t.Errorf("%s: %v, want an input error", tt.name, err)
		}
		if !strings.Contains(err.Error(), tt.want) || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("%s: got %v, want %q / %v", tt.name, err, tt.want, tt.is)
		}
	}
}

func TestRatRecon(t *testing.T) {
	const k = 40
	m := int64(1) << k
	n := int64(1)<<((k-1)/2) - 1
	tests := []struct {
		p, q int64
		ok   bool
	}{
		{0, 1, true}, {1, 1, true}, {-1, 1, true}, {5, 1, true}, {-7, 3, true}, {2, 3, true},
		{1, 5, true}, {-3, 25, true}, {n, 1, true}, {-n, 1, true}, {1, n, true},
		{12345678, 1, false}, // too large for the bound at 2^40
	}
	for _, tt := range tests {
		// a = p/q mod 2^k, with q odd.
		inv := int64(1)
		for range k {
			inv = (inv * (2 - tt.q*inv)) & (m - 1) // Newton iteration for 1/q mod 2^k
		}
		a := (tt.p % m * inv) & (m - 1)
		if tt.p < 0 {
			a = (m - (-tt.p%m*inv)&(m-1)) & (m - 1)
		}
		p, q, ok := ratRecon(a, m, n)
		if ok != tt.ok || (ok && (p != tt.p || q != tt.q)) {
			t.Errorf("%d/%d: got %d/%d ok %v, want ok %v", tt.p, tt.q, p, q, ok, tt.ok)
		}
	}
}

// TestGF2 checks the factored solver on random systems against their
// definition: a solution solves, and an inconsistent system has none (by
// enumeration on small column counts).
func TestGF2(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		nrows, ncols := 1+rng.IntN(70), 1+rng.IntN(10)
		if trial%10 == 0 {
			nrows, ncols = 1+rng.IntN(200), 60+rng.IntN(80)
		}
		density := rng.Float64()
		rw := words(ncols)
		a := make([]uint64, nrows*rw)
		for i := range nrows {
			for j := range ncols {
				if rng.Float64() < density {
					a[i*rw+j>>6] |= 1 << (j & 63)
				}
			}
		}
		m := append([]uint64(nil), a...)
		g, err := factorGF2(context.Background(), m, nrows, ncols)
		if err != nil {
			t.Fatal(err)
		}
		mul := func(x []uint64) []uint64 {
			b := make([]uint64, words(nrows))
			for i := range nrows {
				par := 0
				for k := range rw {
					par ^= popParity(a[i*rw+k] & x[k])
				}
				b[i>>6] |= uint64(par) << (i & 63)
			}
			return b
		}
		x := make([]uint64, rw)
		// A consistent right-hand side: b = A y.
		y := make([]uint64, rw)
		for j := range ncols {
			y[j>>6] |= uint64(rng.IntN(2)) << (j & 63)
		}
		b := mul(y)
		if !g.solve(append([]uint64(nil), b...), x) {
			t.Fatalf("trial %d: consistent system reported inconsistent", trial)
		}
		if got := mul(x); !equalWords(got, b) {
			t.Fatalf("trial %d: solution does not solve", trial)
		}
		// Free columns stay 0.
		piv := map[int32]bool{}
		for _, c := range g.pivCol {
			piv[c] = true
		}
		for j := range ncols {
			if !piv[int32(j)] && x[j>>6]>>(j&63)&1 != 0 {
				t.Fatalf("trial %d: free column %d set", trial, j)
			}
		}
		if ncols > 12 {
			continue
		}
		// A random right-hand side, against enumeration.
		for i := range b {
			b[i] = rng.Uint64()
		}
		if r := nrows & 63; r != 0 {
			b[len(b)-1] &= 1<<r - 1
		}
		want := false
		for v := range uint64(1) << ncols {
			if equalWords(mul([]uint64{v}), b) {
				want = true
				break
			}
		}
		got := g.solve(append([]uint64(nil), b...), x)
		if got != want {
			t.Fatalf("trial %d: consistent %v, want %v", trial, got, want)
		}
		if got && !equalWords(mul(x), b) {
			t.Fatalf("trial %d: solution does not solve", trial)
		}
	}
}

func popParity(x uint64) int {
	x ^= x >> 32
	x ^= x >> 16
	x ^= x >> 8
	x ^= x >> 4
	x ^= x >> 2
	x ^= x >> 1
	return int(x & 1)
}

func equalWords(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestStepAllocs checks that a lifting step allocates nothing.
func TestStepAllocs(t *testing.T) {
	s := tensorgame.Standard(tensorgame.Format{N: 2, M: 3, P: 2}, tensorgame.Z2)
	l := newLifter(s)
	pos := l.order(0, nil, OrderZerosFree)
	g, err := factorGF2(context.Background(), l.jacobian(pos), len(l.target), l.nv)
	if err != nil {
		t.Fatal(err)
	}
	x := append([]uint64(nil), l.x0...)
	d := make([]uint64, len(l.target))
	b := make([]uint64, g.bw)
	sol := make([]uint64, g.rw)
	k := 1
	allocs := testing.AllocsPerRun(20, func() {
		if !l.step(g, pos, k, x, d, b, sol) {
			t.Fatal("step failed")
		}
		k++
	})
	if allocs != 0 {
		t.Errorf("a lifting step allocates %v times, want 0", allocs)
	}
}

// BenchmarkLift lifts each published Z2 scheme with n, m, p <= 5.
func BenchmarkLift(b *testing.B) {
	for _, path := range publishedFiles(b, tensorgame.Z2, 5) {
		s := readScheme(b, path)
		b.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(b *testing.B) {
			for b.Loop() {
				Lift(context.Background(), s, Options{})
			}
		})
	}
}
