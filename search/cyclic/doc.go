// Package cyclic is a random walk on the flip graph of cyclic-symmetric
// schemes of square matrix multiplication over Z2, after Moosbauer & Poole,
// "Flip graphs with symmetry and new matrix multiplication schemes" (2025).
//
// # Symmetry
//
// Written as the trilinear form Σ A[i][j]·B[j][k]·C'[k][i] with C' = Cᵀ (the
// trace form tr(A·B·C')), the n×n×n matrix-multiplication tensor is
// invariant under the cyclic shift of its three factors,
// a⊗b⊗c' -> b⊗c'⊗a. A scheme is cyclic-symmetric when the shift maps its
// terms onto its terms: they fall into orbits of three terms
// {a⊗b⊗c', b⊗c'⊗a, c'⊗a⊗b} and fixed terms x⊗x⊗x. In tensorgame's
// convention (C, not Cᵀ) the shift is [tensorgame.Cyclic]. The standard
// algorithm is symmetric: n fixed terms and (n³-n)/3 orbits.
//
// The walker keeps one representative a⊗b⊗c' per orbit. A move made on one
// term of an orbit and one of another is made on all three shifted copies
// at once, so the scheme stays symmetric, and the search space is about a
// third of the plain one (search/flip): a reduction lowers the rank by 3.
//
// # Moves
//
//   - Flip: two terms of different orbits sharing a factor, a⊗b⊗c +
//     a⊗b'⊗c', become a⊗(b+b')⊗c + a⊗b'⊗(c+c'), together with their shifts.
//     The rank stays the same.
//   - Reduction: two orbits whose terms share two factors merge,
//     a⊗b⊗c + a⊗b⊗c' = a⊗b⊗(c+c') with their shifts (rank - 3; - 6 when
//     the sum is zero). An orbit whose representative becomes x⊗x⊗x is three
//     copies of one term, which over Z2 is that term once: a fixed term
//     (rank - 2). A fixed term merges with an orbit that has a term x⊗x⊗c
//     into the orbit of x⊗x⊗(x+c) (rank - 1), and two equal fixed terms
//     cancel (rank - 2).
//   - Plus transition: after Options.PlusAfter flips without a reduction,
//     two orbits with terms a⊗b⊗c and a'⊗b'⊗c' (a≠a', b≠b', c≠c') become
//     the three orbits of (a+a')⊗b⊗c, a'⊗(b+b')⊗c and a'⊗b'⊗(c+c')
//     (rank + 3, never above the ceiling given to Walk).
//   - Fixed flip, tried first by half the plus transitions: a fixed term
//     x⊗x⊗x and an orbit with a term x⊗b⊗c. Over Z2 the fixed term is
//     three copies of itself (3 = 1 mod 2), and each copy is flipped with
//     one shift of x⊗b⊗c: the two become the orbits of x⊗(x+b)⊗x and
//     x⊗b⊗(c+x) (rank + 2).
//
// Fixed terms take part in no other flip: one of x⊗x⊗x with a single term
// of an orbit would need its three equal copies flipped with three
// different partners. Without fixed flips only merges would change the
// fixed terms, and those of the standard algorithm, e_ii⊗e_ii⊗e_ii, are
// not Strassen's symmetric I⊗I⊗I.
//
// # Starts
//
// Since walks change the fixed terms seldom, where a walk starts sets them:
// [DiagonalStart] builds a symmetric scheme whose fixed terms are the sums
// of the diagonal units of the parts of a partition (Moosbauer & Poole), and
// [PairedStart] the one with pairs, n - n/2 fixed terms: Strassen's I⊗I⊗I
// for 2x2x2, and for 5x5x5 the 3 that ranks 96 and 93 (3 + 3k) need.
// [ProductStart] builds one for a composite n from the Kronecker product
// ([Product]) of cyclic schemes of its factors, each found by a short
// walk ([Descend]): the product of cyclic-symmetric schemes is
// cyclic-symmetric, and 6x6x6 gets 7·23 = 161 = 2 + 3·53 (2 fixed terms),
// 4x4x4 7·7 = 49, where walks from the diagonal starts stay at 50.
//
// # Representation
//
// Factors are n×n matrices over Z2 (bit i·n+j is entry (i, j), C' stored as
// Cᵀ), packed in one, two or four 64-bit words (walkkit.Factor; n <= 16):
// [New] picks the fewest words the format needs, so that formats up to
// 8x8x8 run the one-word code. One open-addressing table maps a factor
// value to the group of (orbit, position) entries that carry it, across all
// three positions, since the shift moves factors between them; groups of
// two or more are listed, so a flip partner is found in O(1). Walk
// allocates nothing.
package cyclic
