package cyclic

import (
	"fmt"
	"strconv"

	"github.com/alphamat/alphamat/tensorgame"
)

// Product returns the Kronecker product (tensorgame.Product) of the
// cyclic-symmetric Z2 schemes a of a×a×a and b of b×b×b: a scheme of
// (ab)×(ab)×(ab) of rank a.Rank()·b.Rank(), verified, and cyclic-symmetric
// (Symmetric), since the product uses one index convention for all three
// factors and so maps the shift of a term pair to the pair of shifts. Its
// fixed terms are the products of fixed terms: Strassen's 7 = 1 + 3·2 times
// a 3x3x3 23 = 2 + 3·7 is a 6x6x6 161 = 2 + 3·53. It returns an
// error when a or b is not a square cyclic-symmetric Z2 scheme or the
// product's size is above MaxN.
func Product(a, b *tensorgame.Scheme) (*tensorgame.Scheme, error) {
	for _, s := range []*tensorgame.Scheme{a, b} {
		if s.Field != tensorgame.Z2 {
			return nil, fmt.Errorf("cyclic: product of %v and %v: a scheme over %v, not Z2", a.Format, b.Format, s.Field)
		}
		if !Symmetric(s) {
			return nil, fmt.Errorf("cyclic: product of %v and %v: the %v scheme of rank %d is not a cyclic-symmetric scheme of a square format", a.Format, b.Format, s.Format, s.Rank())
		}
	}
	if n := a.Format.N * b.Format.N; n > MaxN {
		return nil, fmt.Errorf("cyclic: product of %v and %v: %dx%dx%d is above %dx%dx%d", a.Format, b.Format, n, n, n, MaxN, MaxN, MaxN)
	}
	p, err := tensorgame.Product(a, b)
	if err != nil {
		return nil, fmt.Errorf("cyclic: %w", err)
	}
	if err := tensorgame.Verify(p); err != nil {
		return nil, fmt.Errorf("cyclic: product of %v and %v: %w", a.Format, b.Format, err)
	}
	if !Symmetric(p) {
		// Product keeps one index convention on every factor; this would
		// be a bug there.
		return nil, fmt.Errorf("cyclic: the product of cyclic-symmetric %v and %v schemes is not cyclic-symmetric", a.Format, b.Format)
	}
	return p, nil
}

// Descend returns the lowest-rank scheme that a cyclic walk from the
// cyclic-symmetric Z2 scheme start, seeded with seed, meets within flips
// flips (start itself if none is lower), verified, with the origin of a
// cyclic walk from start. A walk is a deterministic function of start,
// seed and flips.
func Descend(start *tensorgame.Scheme, seed uint64, flips int64) (*tensorgame.Scheme, error) {
	w, err := New(start.Format, seed, Options{PlusAfter: descendPlusAfter})
	if err != nil {
		return nil, err
	}
	if err := w.Start(start); err != nil {
		return nil, err
	}
	best := w.Scheme()
	for made := int64(0); made < flips; {
		k := w.Walk(min(descendChunk, flips-made), best.Rank()-1, best.Rank()+descendRoom)
		if w.Rank() < best.Rank() {
			best = w.Scheme()
		}
		if k == 0 { // no flip and no plus transition left
			break
		}
		made += k
	}
	best.Origin = tensorgame.Derive(tensorgame.MoveCyclicFlips, start)
	best.Origin.Params = map[string]string{"seed": strconv.FormatUint(seed, 10), "flips": strconv.FormatInt(flips, 10)}
	best.Comments = []string{fmt.Sprintf("cyclic-symmetric flip-graph walk over Z2 from a start of rank %d, seed %d, %d flips", start.Rank(), seed, flips)}
	if err := tensorgame.Verify(best); err != nil {
		return nil, fmt.Errorf("cyclic: descent of %v: %w", start.Format, err)
	}
	return best, nil
}

const (
	// descendChunk is the number of flips of one Walk call of Descend.
	descendChunk = 10000
	// descendPlusAfter is the plateau length after which Descend's walks
	// make a plus transition: short, since its walks are short.
	descendPlusAfter = 2000
	// descendRoom is how far above the best rank so far a plus
	// transition of Descend may go: two orbits.
	descendRoom = 6
)

// Factor descents of ProductStart: walks from PairedStart with the seeds
// 1..factorSeeds (1 for a prime of 5 or more), factorFlips flips each,
// enough for Strassen's 7 on 2x2x2 and a 3x3x3 23 (2 fixed terms, 7
// orbits); TestProductStart checks the ranks. A composite factor is built
// as a product, not descended: walks of 4x4x4 stay above 7·7 = 49.
const (
	factorSeeds = 4
	factorFlips = 100_000
)

// ProductStart returns a cyclic-symmetric Z2 scheme of the square format f,
// n×n×n with n = a·b composite, built by Product from cyclic-symmetric
// schemes of its prime factors: for a prime p, the best of descents
// (Descend) from PairedStart with fixed seeds, 2x2x2 at 7 and 3x3x3 at 23;
// for a composite, the best product of two factors, recursively. 4x4x4 is
// 7·7 = 49, 6x6x6 7·23 = 161 (2 fixed terms, 53 orbits), 8x8x8 343, 9x9x9
// 529, 12x12x12 1127, 16x16x16 2401; a prime factor of 5 or more gets only
// one short descent, so that the start takes a fraction of a second, and
// so is far above that factor's best known rank. The result is
// deterministic (but for its origin's time) and verified. ProductStart returns an error when f is not
// a square format that the walker supports (Supports) or n is prime or 1.
func ProductStart(f tensorgame.Format) (*tensorgame.Scheme, error) {
	if err := Supports(f); err != nil {
		return nil, fmt.Errorf("cyclic: product start: %w", err)
	}
	if !HasProductStart(f) {
		return nil, fmt.Errorf("cyclic: product start for %v: %d is not a product of two sizes of at least 2", f, f.N)
	}
	memo := map[int]*tensorgame.Scheme{}
	return bestCyclic(f.N, memo)
}

// HasProductStart reports whether ProductStart builds a start for f: a
// square format that the walker supports whose size is composite.
func HasProductStart(f tensorgame.Format) bool {
	return Supports(f) == nil && f.N >= 4 && smallestFactor(f.N) < f.N
}

// bestCyclic returns the cyclic-symmetric scheme of n×n×n that
// ProductStart builds for n (the factor descent when n is prime), each
// size's scheme computed once per call through memo.
func bestCyclic(n int, memo map[int]*tensorgame.Scheme) (*tensorgame.Scheme, error) {
	if s, ok := memo[n]; ok {
		return s, nil
	}
	var best *tensorgame.Scheme
	if smallestFactor(n) == n {
		f := tensorgame.Format{N: n, M: n, P: n}
		start, err := PairedStart(f)
		if err != nil {
			return nil, err
		}
		seeds := uint64(factorSeeds)
		if n >= 5 {
			seeds = 1 // a rough factor: its descent takes the time
		}
		for seed := uint64(1); seed <= seeds; seed++ {
			s, err := Descend(start, seed, factorFlips)
			if err != nil {
				return nil, fmt.Errorf("cyclic: factor %v of a product start: %w", f, err)
			}
			if best == nil || s.Rank() < best.Rank() {
				best = s
			}
		}
	} else {
		for a := 2; a*a <= n; a++ {
			if n%a != 0 {
				continue
			}
			x, err := bestCyclic(a, memo)
			if err != nil {
				return nil, err
			}
			y, err := bestCyclic(n/a, memo)
			if err != nil {
				return nil, err
			}
			if best != nil && x.Rank()*y.Rank() >= best.Rank() {
				continue
			}
			p, err := Product(x, y)
			if err != nil {
				return nil, err
			}
			best = p
		}
	}
	memo[n] = best
	return best, nil
}

// smallestFactor returns the least divisor of n that is at least 2 (n for
// a prime), for n >= 2.
func smallestFactor(n int) int {
	for d := 2; d*d <= n; d++ {
		if n%d == 0 {
			return d
		}
	}
	return n
}
