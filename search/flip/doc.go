// Package flip is a random walk on the flip graph of matrix-multiplication
// schemes over Z2 (Kauers & Moosbauer 2022), with plus transitions to leave
// plateaus (Arai, Ichikawa & Hukushima 2024).
//
// # Representation
//
// Over Z2 a factor with up to 64 coefficients is one word, a [1]uint64
// (bit i is coefficient i of the row-major factor), so a term is three
// words. Wider factors take two or four words: [Walker] is generic over its
// [Factor] type, and [New] picks the width a format needs
// (tensorgame.Words). Go compiles each width to its own code, and only the
// functions of fac.go touch the words, with a fast path for one word, so
// the one-word walker keeps the speed it had as a plain uint64 walker
// (BenchmarkFlip; docs/experiments.md, "Generic walkers"). So formats
// whose n·m, m·p and n·p are all at most 256 are supported (up to
// 16×16×16); [Supports] and [New] return an error for larger ones.
//
// For each mode the walker keeps an index from factor value to the terms that
// carry it: an open-addressing hash table from value to a bucket, and the
// bucket's members in a flat array. Buckets with two or more members are
// listed, so a flip partner is found in O(1): pick a listed bucket, then two
// of its members. The index is updated incrementally as factors change;
// each term knows where its factors sit in it (a table slot, or a bucket and
// a position), so a changed factor is removed without a lookup, and a term
// that joins a bucket is compared with its members there and then, so that
// reductions are looked for only where one may be.
//
// # Moves
//
//   - Flip: two terms sharing a factor, a⊗b⊗c + a⊗b'⊗c', become
//     a⊗(b+b')⊗c + a⊗b'⊗(c+c'); the roles of the two other modes and of the
//     two terms are chosen at random. The rank stays the same.
//   - Reduction: after every change, a term that shares two factors with
//     another is merged into it, a⊗b⊗c + a⊗b⊗c' = a⊗b⊗(c+c'), and zero
//     terms are dropped; each merge lowers the rank by one. Between moves no
//     two terms share two factors and no factor is zero.
//   - Plus transition: after Options.PlusAfter flips without a reduction,
//     two terms a⊗b⊗c + a'⊗b'⊗c' with a≠a', b≠b', c≠c' become
//     (a+a')⊗b⊗c + a'⊗(b+b')⊗c + a'⊗b'⊗(c+c'), raising the rank by one
//     (never above the ceiling given to Walk).
//
// Every move keeps the sum of the terms, so the walk stays a valid scheme;
// [Walker.Scheme] converts back to a tensorgame.Scheme, which verifies.
// Walk allocates nothing.
package flip
