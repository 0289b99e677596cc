// Package ternary is a random walk on the ternary flip graph of
// matrix-multiplication schemes: schemes over Z whose coefficients all stay
// in {-1, 0, 1} (Kauers & Moosbauer's flip graph over Z, restricted as in
// Perminov's ternary flip graph). Its schemes need no lifting, and their
// coefficients suit kernels: a ±1 is an addition or a subtraction.
//
// # Representation
//
// A factor with up to 64 coefficients is two uint64 masks, p (the +1
// entries) and n (the -1 entries), so a term is six words. The sum of two
// factors is a few bit operations, with the range check
// (p₁&p₂)|(n₁&n₂) == 0. Wider factors take two or four words per mask: as
// in search/flip, [New] picks the width a format needs and returns the
// walker of that width, this package's walker for one word and otherwise
// the same walker generic over its width (internal/wide), so formats
// whose n·m, m·p and n·p are all at most 256 are supported (up to
// 16×16×16); [Supports] and [New] return an error for larger ones.
//
// For each mode the walker keeps an index from factor value up to sign (the
// key is ±x with its lowest non-zero coefficient +1) to the terms that carry
// it: an open-addressing hash table and buckets in a flat array, with the
// buckets of two or more terms listed, so a flip partner is found in O(1).
//
// # Moves
//
//   - Flip: terms a⊗b⊗c and (σa)⊗b'⊗c', σ = ±1, become
//     a⊗(b+λσb')⊗c + (σa)⊗b'⊗(c'-λc) for λ = ±1, drawn at random (the other
//     is tried when a coefficient would leave {-1, 0, 1}; when both would,
//     the flip is rejected). The rank stays the same, or drops when a
//     factor becomes zero.
//   - Reduction: after every change, a term that shares two factors up to
//     sign with another is merged into it, a⊗b⊗c + (σ₁a)⊗(σ₂b)⊗c' =
//     (σ₁a)⊗(σ₂b)⊗(c'+σ₁σ₂c), when the merged factor stays in range, and
//     zero terms are dropped; each merge lowers the rank.
//   - Plus transition: after Options.PlusAfter flips without a reduction,
//     two terms a⊗b⊗c + (σa')⊗b'⊗(σc') with no factor shared up to sign
//     become (a-σa')⊗b⊗c + (σa')⊗(b-b')⊗c + (σa')⊗b'⊗(c+σc'), when all three
//     stay in range, raising the rank by one (never above the ceiling given
//     to Walk).
//
// Every move keeps the sum of the terms exactly, so the walk stays a valid
// scheme over Z; [Walker.Scheme] converts back to a tensorgame.Scheme, which
// verifies. Walk allocates nothing. [Walker] implements search.Walker, so the
// search driver runs it like the Z2 walker of search/flip.
package ternary
