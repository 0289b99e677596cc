// Package lift lifts matrix-multiplication schemes from Z2 to Z (or Q) by
// Hensel lifting of the Brent equations.
//
// # Method
//
// The unknowns are the coefficients of the R terms, 3·R·(nm+mp+np) of them in
// all, and the Brent equations B(X) = T are (nm)(mp)(np) trilinear equations.
// A scheme over Z2 is a solution X₀ mod 2. If X solves them mod 2^k, then
// X + 2^k·y solves them mod 2^(k+1) exactly when
//
//	J y = ((T - B(X)) / 2^k) mod 2,
//
// where J is the Jacobian of the Brent equations at X₀ mod 2
// (∂E[a,b,c]/∂u_r[a] = v_r[b]·w_r[c], and so on). J is the same at every
// step, so it is factored once, by bit-packed Gaussian elimination, and each
// step solves it for a new right-hand side. B(X) is computed exactly mod 2^64
// in uint64 arithmetic, so the lift goes up to 2^62.
//
// After each step the 2-adic approximation is read as integers (symmetric
// representatives in (-2^(k-1), 2^(k-1)]) and as rationals p/q with odd q
// (Wang's rational reconstruction), and a candidate that passes the Brent
// equations exactly over Z or Q is the result.
//
// # Free variables
//
// The system J y = r is underdetermined: Lift takes the solution whose free
// (non-pivot) unknowns are 0, so the free unknowns keep their value mod 2
// for good. Which unknowns are free is set by the column order of the
// elimination (a column is a pivot when it is not in the span of the columns
// before it). [OrderZerosFree] puts the ones first, so that they are pivots
// and can become -1, and the zeros last, so that they stay zero. With it
// (and the sign search below) every published Z2 scheme with n, m, p <= 5
// that lifts at all, and every published Z scheme with n, m, p <= 4 reduced
// mod 2, lifts to coefficients in {-1, 0, 1}. The naive order ([OrderNatural]) often converges to solutions with denominators
// 3 or coefficients ±2, ±3.
//
// Ones that must be free are +1 or -1 for good. The first one of u and of v
// in a term can always be +1 (a term's sign symmetry), but other free ones
// can be rigid: only some sign patterns extend past step 2. When step 2 fails,
// Lift writes the step-2 consistency conditions as quadratic equations over
// GF(2) in the signs and solves them (branching with Gaussian elimination),
// then lifts from the solutions it finds.
//
// # Outcomes
//
// When step 1 (mod 4) is inconsistent, no solution over the 2-adic integers
// reduces to X₀, so no scheme over Z, or over Q with odd denominators, does:
// Lift returns an error wrapping [ErrNotLiftable] (AlphaTensor's mod-2
// schemes for 4x4x4 rank 47, 4x4x5 rank 63 and 5x5x5 rank 96 are such). A
// failure at a later step, or a 2-adic solution that is not recognised as a
// small rational by 2^62, depends on the choices made and proves nothing:
// the error wraps [ErrUndecided]. Lift tries several column orders
// (Options.Attempts) before it gives up, and keeps the best lift it finds:
// over Z before Q, then smaller coefficients, then fewer non-zeros.
//
// The result is verified exactly (tensorgame.Verify) before it is returned.
package lift
