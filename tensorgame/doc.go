// Package tensorgame states the matrix-multiplication problem exactly: the
// matmul tensor T(n,m,p), schemes (rank-1 decompositions of it) over Z2, Z and
// Q, their exact verification by the Brent equations, the scheme file format,
// and the TensorGame of Fawzi et al. (Nature 2022).
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
// hold exactly over the scheme's field (mod 2 for Z2).
//
// # Fields and coefficients
//
// Coefficients are exact rationals ([Rat]). Over Z2 they are 0 or 1; over Z
// they are integers; over Q they are rationals p/q. Schemes are verified
// before they are stored, lifted or turned into code.
//
// # Errors
//
// Caller bugs (mismatched formats, bad indices) panic with an [Error] whose
// text starts with "tensorgame:". Outcomes that depend on data are returned:
// [Verify] returns a *[VerifyError] naming the first failing Brent equation,
// and the parsers return *[ParseError] values that name file, line and column.
package tensorgame
