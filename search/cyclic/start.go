package cyclic

import (
	"fmt"

	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// DiagonalStart returns the cyclic-symmetric Z2 scheme of the square format
// f whose fixed terms are x⊗x⊗x, one for each part of parts, x the sum of
// the diagonal units e_ii of the part, after Moosbauer & Poole: the other
// terms are the standard algorithm's e_ij⊗e_jk⊗e_ki that are not fixed and,
// for each part, the e_ii⊗e_jj⊗e_kk with i, j, k in it not all equal, which
// cancel what x⊗x⊗x adds. parts must partition 0, ..., n-1; singletons
// everywhere give the standard algorithm. The result is verified.
//
// The fixed terms are what walks change least: only merges and fixed flips
// touch them, so a walk from the standard algorithm (n fixed terms) mostly
// stays at ranks n + 3k. A start with fewer parts opens the ranks of the
// other residues: 5x5x5 at 96 or 93 (3 + 3k, parts {0,1}, {2,3}, {4}).
func DiagonalStart(f tensorgame.Format, parts [][]int) (*tensorgame.Scheme, error) {
	if f.N != f.M || f.M != f.P || f.N > MaxN || !f.Valid() {
		return nil, fmt.Errorf("cyclic: diagonal start for %v: not a square format with n <= %d", f, MaxN)
	}
	n := f.N
	seen := make([]bool, n)
	for _, p := range parts {
		if len(p) == 0 {
			return nil, fmt.Errorf("cyclic: diagonal start for %v: empty part in %v", f, parts)
		}
		for _, i := range p {
			if i < 0 || i >= n || seen[i] {
				return nil, fmt.Errorf("cyclic: diagonal start for %v: parts %v are not a partition of 0..%d", f, parts, n-1)
			}
			seen[i] = true
		}
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("cyclic: diagonal start for %v: index %d is in no part of %v", f, i, parts)
		}
	}
	s := &tensorgame.Scheme{Format: f, Field: tensorgame.Z2, Comments: []string{
		fmt.Sprintf("cyclic-symmetric diagonal start: fixed terms x⊗x⊗x of the diagonal parts %v", parts)}}
	for _, t := range tensorgame.Standard(f, tensorgame.Z2).Terms {
		if x := tensorgame.TermWords(t); x[0] != x[1] || x[1] != x[2] {
			s.Terms = append(s.Terms, t)
		}
	}
	unit := walkkit.Bit[tensorgame.Wide]
	for _, p := range parts {
		var x tensorgame.Wide
		for _, i := range p {
			x = walkkit.Xor(x, unit(i*n+i))
			for _, j := range p {
				for _, k := range p {
					if i != j || j != k {
						s.Terms = append(s.Terms, tensorgame.WordsTerm(f, [3]tensorgame.Wide{unit(i*n + i), unit(j*n + j), unit(k*n + k)}))
					}
				}
			}
		}
		s.Terms = append(s.Terms, tensorgame.WordsTerm(f, [3]tensorgame.Wide{x, x, x}))
	}
	if err := tensorgame.Verify(s); err != nil {
		return nil, fmt.Errorf("cyclic: diagonal start for %v, parts %v: %w", f, parts, err)
	}
	return s, nil
}

// PairedStart returns the diagonal start (DiagonalStart) of f whose parts
// are the pairs {0,1}, {2,3}, ... and, for odd n, the singleton {n-1}: n/2
// pairs and n-n/2 fixed terms, the residue mod 3 of the best ranks known
// (Strassen's 2x2x2 7 = 1 + 3·2 with I⊗I⊗I, 3x3x3 23 = 2 + 3·7, 4x4x4 47
// over Z2 = 2 + 3·15, 5x5x5 93 = 3 + 3·30, 6x6x6 153 = 3 + 3·50). Which
// pairs does not matter: a permutation of the indices maps one such start
// to another. For n = 1 it is the standard algorithm.
//
// On 5x5x5 (alphamat search 5x5x5 --cyclic --time 90s --target 96, seeds
// 21-28, two workers), cyclic walks taking turns between this start and the
// standard algorithm reached 96 in 2 of 8 runs, in 12 s and 60 s.
func PairedStart(f tensorgame.Format) (*tensorgame.Scheme, error) {
	var parts [][]int
	for i := 0; i < f.N; i += 2 {
		if i+1 < f.N {
			parts = append(parts, []int{i, i + 1})
		} else {
			parts = append(parts, []int{i})
		}
	}
	return DiagonalStart(f, parts)
}
