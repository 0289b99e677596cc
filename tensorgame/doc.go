// Package tensorgame states the matrix-multiplication problem exactly: the
// matmul tensor T(n,m,p), schemes (rank-1 decompositions of it) over Z2, Z and
// Q, their exact verification by the Brent equations, the scheme file format,
// the symmetries of schemes, and the TensorGame of Fawzi et al. (Nature 2022).
//
// # Axes
//
// For a format n×m×p, C (n×p) = A (n×m) · B (m×p). The tensor has three axes:
// A with n·m entries, B with m·p entries and C with n·p entries, each
// row-major, and C is not transposed:
//
//	T[i*m+j][j*p+k][i*p+k] = 1, all other entries 0.
//
// A term (u, v, w) contributes C[i][k] += w[i*p+k] · (u·A) · (v·B), where
// u·A = Σ u[i*m+j] A[i][j] and v·B = Σ v[j*p+k] B[j][k]. A scheme of rank R is
// R terms whose outer products sum to T; the Brent equations
//
//	Σ_r u_r[a] v_r[b] w_r[c] = T[a][b][c]   for all a, b, c
//
// hold exactly over the scheme's field (mod 2 for Z2). A [Tensor] stores
// entry (a, b, c) at (a*B+b)*C+c.
//
// # Fields and coefficients
//
// Coefficients are exact rationals ([Rat]). Over Z2 they are 0 or 1; over Z
// they are integers; over Q they are rationals p/q. Schemes are verified
// ([Verify]) before they are stored, lifted or turned into code;
// [WriteFile] refuses a scheme that fails.
//
// # Files
//
// The text format (see [Parse] and [Write]) is a header of "#" lines
// (size, rank, field, free comments) and one "u ; v ; w" line per term.
// [ReadNPZ] reads AlphaTensor's own factorizations_*.npz, whose w indexes C
// transposed; it converts them to the convention above.
//
// # Symmetries
//
// [Cyclic] maps a scheme of format (n, m, p) to one of (m, p, n), and
// [Transpose] to one of (p, m, n); both keep the field and the rank.
// [ChangeBasis] maps a scheme to another of the same format through
// A -> X A Y⁻¹, B -> Y B Z⁻¹, C -> X C Z⁻¹; [RandomBasis] draws X, Y and Z
// for data augmentation. Each returns a scheme that verifies whenever its
// input does. [ReduceMod2] maps a scheme over Z or Q to one over Z2. A
// [TensorBasis] changes the basis of any tensor's three axes and maps its
// terms (actions) there and back: the tree search plays targets under it.
//
// # TensorGame
//
// A [Game] holds a target tensor (usually [MatMul] of a format), a field (Z2
// or Z) and a step limit. A [State] is the residual still to decompose and
// the number of steps played. An [Action] is a term (u, v, w) with int8
// coefficients in [Coefficients]: {0, 1} over Z2, {-2, -1, 0, 1, 2} over Z.
// [State.Apply] subtracts u ⊗ v ⊗ w from the residual (mod 2 over Z2) and
// returns reward -1. The episode ends when the residual is zero, or at the
// step limit; in that case the last step also earns -[RankBound] of the
// residual, which is, over the game's field,
//
//	min over the three modes of Σ_slices rank(slice),
//
// an upper bound of the rank still missing (each slice of rank r is r
// rank-one terms). Ranks are exact: bit-packed elimination mod 2 over Z2,
// fraction-free elimination (int64, then math/big) over Z. So the return of
// an episode is -(steps) when it solves the target and
// -(MaxSteps) - RankBound(residual) when it does not. States copy with
// [State.Clone] or, without allocating, [State.CopyFrom]; Apply allocates
// nothing except for the terminal penalty. [Game.Scheme] turns the actions
// of a solved game back into a scheme.
//
// # Errors
//
// Caller bugs (mismatched formats, bad indices, applying an action to a
// finished game) panic with an [Error] whose text starts with "tensorgame:".
// Outcomes that depend on data are returned: [Verify] returns a
// *[VerifyError] naming the first failing Brent equation, and the parsers
// return *[ParseError] values (collected in an [ErrorList]) that name file,
// line and column.
//
// # Aliasing
//
// Functions return new schemes and tensors and never modify their
// arguments, except the receivers of [State.Apply], [State.CopyFrom] and
// [Tensor.SubTerm], which are updated in place.
package tensorgame
