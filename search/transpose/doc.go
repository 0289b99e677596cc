// Package transpose is a random walk on the flip graph of
// transpose-symmetric schemes of n×m×n matrix multiplication over Z2, the
// analogue for the symmetry (AB)ᵀ = BᵀAᵀ of the cyclic-symmetric walks of
// search/cyclic (Moosbauer & Poole, "Flip graphs with symmetry and new
// matrix multiplication schemes", 2025).
//
// # Symmetry
//
// In tensorgame's convention a term is u⊗v⊗w with u an n×m matrix (A),
// v m×p (B) and w n×p (C), and the tensor is Σ a_ij·b_jk·c_ik. When
// n == p it is invariant under u⊗v⊗w -> vᵀ⊗uᵀ⊗wᵀ ([tensorgame.Transpose]).
// The walker writes a term in the coordinates x = u, y = vᵀ (both n×m) and
// z = w (n×n), where the symmetry is
//
//	σ(x, y, z) = (y, x, zᵀ).
//
// σ swaps positions 1 and 2 and transposes position 3. A scheme is
// transpose-symmetric when σ maps its terms onto its terms: they fall into
// orbits {t, σt} of two terms and fixed terms (x, x, s) with s = sᵀ. The
// standard algorithm is symmetric: e_ij⊗e_jk⊗e_ik pairs with e_kj⊗e_ji⊗e_ki,
// the n·m terms with i == k are fixed, and (n²m - nm)/2 are orbits.
//
// Over Z2 an orbit whose representative has x == y is t + σt =
// (x, x, z + zᵀ), a fixed term, and one with x == y and z = zᵀ is 2t = 0;
// the walker keeps orbits with x ≠ y only. The fixed terms cannot all go:
// on B = Aᵀ and symmetric C the orbits vanish, a fixed term (x, x, s) is
// (Σ x_ij·a_ij²)·(Σ_i s_ii·c_ii), and the tensor is Σ_i (Σ_j a_ij²)·c_ii,
// a form of rank n in the a_ij² and c_ii, so a symmetric scheme has at
// least n fixed terms.
//
// # Moves
//
// Two terms of different orbits that share a factor in the same position
// share it in their σ-images too, in the mirrored position. Each move below
// is made on the terms named and, implicitly, on their σ-images, so the
// scheme stays symmetric; a rank change counts terms.
//
//   - Flip: members a⊗b⊗c and a⊗b'⊗c' of two orbits (a in any one
//     position) become a⊗(b+b')⊗c + a⊗b'⊗(c+c'). The rank stays the same.
//   - Fixed flip: a fixed term f = (x, x, s) and an orbit with a member
//     t = (x, y, z) sharing x: f + t + σt = f' + t' + σt' with
//     t' = (x, x+y, z), f' = (x, x, s + z + zᵀ). Over Z2 f is three copies
//     of itself; two are flipped with t and σt, and the third merges with
//     what they leave. The rank stays the same, or falls by 1 when f' = 0.
//   - Self flip: an orbit whose z = s is symmetric is two terms sharing s,
//     (x, y, s) + (y, x, s) = (x, x+y, s) + (x+y, x, s).
//   - Triangles: a fixed term and an orbit sharing a symmetric s,
//     x⊗x + a⊗b + b⊗a = (x+a)⊗(x+a) + (x+b)⊗(x+b) + (x+a+b)⊗(x+a+b) (all
//     ⊗ s), become three fixed terms, and three fixed terms sharing s
//     become a fixed term and an orbit. The rank stays the same; these are
//     the moves that change the fixed terms' x and their number, which
//     flips cannot: no flip moves a fixed term's x, and two fixed terms
//     sharing s have no other form of two terms. The self flip is made on
//     half the picks of a fixed term and an orbit sharing s, the triangle
//     on the other half.
//   - Reductions, after every move (the rank falls): two orbits with
//     members sharing two factors merge, a⊗b⊗c + a⊗b⊗c' = a⊗b⊗(c+c')
//     (rank - 2; - 4 when the sum is 0; - 3 when the merged orbit has
//     x == y and so is a fixed term). Two fixed terms with the same x
//     merge into (x, x, s1+s2). A fixed term (x, x, s) and an orbit of
//     (x, y, s) are (x+y, x+y, s) + (y, y, s) (- 1). A fixed flip that
//     leaves f' = 0 is made (- 1). More generally, the terms sharing a
//     symmetric s, fixed terms (x, x, s) and orbits of (a, b, s), sum to
//     S⊗s with S = Σ x·xᵀ + Σ (a·bᵀ + b·aᵀ) symmetric, and are as few as
//     they can be when they are rank(S) terms; when they are more,
//     symmetric elimination over Z2 rewrites them as rank(S) terms (a
//     fixed term with x = a+b and the orbit of (a, b, s) become
//     (a, a, s) + (b, b, s), for one).
//   - Plus transitions, after Options.PlusAfter flips without a
//     reduction, never above the ceiling given to Walk. Half are the plain
//     one on members of two orbits, a⊗b⊗c + a'⊗b'⊗c' = (a+a')⊗b⊗c +
//     a'⊗(b+b')⊗c + a'⊗b'⊗(c+c') in a random order of the positions
//     (rank + 2). Half are the fixed split: a fixed term (x, x, s) and an
//     orbit with a member (x, b, c) become the fixed terms (b, b, s) and
//     (x+b, x+b, s) and the orbit of (x, b, s+c) (rank + 1). The fixed
//     plus (x1, x1, s) + (x2, x2, s) = (x1+x2, x1+x2, s) + the orbit of
//     (x1, x2, s) is not made: the reduction of the terms sharing s undoes
//     it at once.
//
// The triangles matter: with flips, fixed flips, fixed splits and merges
// alone, 3x3x3 walks from the standard algorithm stalled at rank 24-25
// (three seeds, 10 s each) and a 5x3x5 walk did not leave 75 in 20 s; with
// them 3x3x3 reaches 23 in well under a second (17 of 20 seeds within two
// million flips) and 5x3x5 walks reach 62-72 in 60 s.
//
// # Representation
//
// Each orbit is kept as one representative (x, y, z) and zᵀ, each fixed
// term as (x, x, s, s); factors are bit matrices (bit i·cols+j is entry
// (i, j)) packed in one, two or four 64-bit words (walkkit.Factor; n·m <=
// 256 and n·n <= 256): [New] picks the fewest words the format needs, so
// that formats whose factors fit 64 coefficients run the one-word code.
// Symmetric elimination (reduceSlice) works in a basis of at most 64
// vectors; wider factors whose slices span more are left as they are. Two
// open-addressing
// tables, one for x and y values and one for z values, map a value to the
// group of entries that carry it: an orbit has entries x (position 1 of t,
// 2 of σt), y (2 of t, 1 of σt), z (3 of t) and zᵀ (3 of σt, only when
// z ≠ zᵀ), a fixed term x and s. Groups of two or more are listed, so a
// flip partner is found in O(1). Walk allocates nothing.
package transpose
