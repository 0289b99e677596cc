// Package search finds matrix-multiplication schemes: flip-graph random walks
// over Z2 (search/flip; search/cyclic and search/transpose for symmetric
// schemes) and over Z with coefficients in {-1, 0, 1} (search/ternary),
// which share their scaffolding (search/walkkit), Hensel lifting from Z2 to
// Z (search/lift), and a pool of the best schemes that a run keeps on disk
// and resumes from (search/pool). The agent's tree search over TensorGame is
// package mcts, which Run does not use.
//
// # Driver
//
// [Run] is the flip-graph search as a library call; `alphamat search`,
// `alphamat reproduce` and `alphamat bench search` are thin layers over it,
// and [TimeToRank], a search in memory to a target rank, is what
// BenchmarkTimeToRank measures. A run has one walker per worker (Config.Workers,
// default GOMAXPROCS), each in its own goroutine under an errgroup; a walker
// is a [Walker], owned by its goroutine, whose hot loop allocates nothing and
// takes no lock. The walkers meet only at the pools:
//
//   - The run's pool (pool.Pool, mirrored in the run directory) keeps the
//     best schemes per rank, deduplicated by a hash that ignores term order.
//     Every scheme it accepts is verified and written at once, atomically,
//     so a killed run loses nothing it had reported and the same command
//     resumes from it.
//   - An epoch pool, in memory, is what the walkers start from. A walk
//     starts from a random scheme of the epoch pool at the pool's level and
//     goes on past every reduction, reporting each new best of the walk to
//     both pools, until it has gone max(Tuning.PathLimit, the flips it took
//     to reach its best) flips without improving. Plus transitions are off
//     while the walk descends and switch on once it stalls (Tuning.
//     DescentStall): on formats with a size 5 reductions come millions of
//     flips apart, and plus transitions every few thousand flips undo them.
//     The level is the lowest rank holding Tuning.Diversity distinct
//     schemes, so every rank is reached from several lineages; a rank whose
//     walks keep failing asks for more (Tuning.FailLimit). When an epoch
//     stalls (Tuning.StallRatio) a new one starts: restarts cut the heavy
//     tail of descents that went down a poor lineage. Epochs take turns
//     between the extra starts of Config.Starts and the run's start.
//
// # Starts from other formats
//
// Large formats descend slowly from the standard algorithm. Config.Starts
// takes schemes built from other formats by the meta moves of
// frontier/meta: direct sums of smaller formats (4x5x5 = 4x5x2 + 4x5x3),
// restrictions of larger ones (tensorgame.RestrictTo), products. `alphamat
// reproduce` and `alphamat frontier` pass them, and `alphamat search
// --compose DIR` and `--restrict DIR` build them from earlier run
// directories. A start from another format can be a trap (a sum may stay
// at its rank), hence the epochs' turns with the run's own start; what
// each kind of start reached is in docs/experiments.md.
//
// # Cyclic walkers
//
// With Config.Cyclic (square formats) the first worker and every second one
// walk the flip graph of cyclic-symmetric schemes (search/cyclic): a lane of
// walkers with epochs and pools of its own, which stores what it finds in
// the run's pool like the others. Each new best of that lane becomes a start
// of the plain Z2 lane (and, when below the plain lane's current epoch, its
// next epoch at once): the symmetric space, about a third the size of the
// plain one, is small enough to descend fast, and plain flips from there
// break the symmetry and reduce further (docs/experiments.md, section
// "search", has the 5x5x5 runs that measured it).
//
// The cyclic lane's fresh descents start from the standard algorithm and
// from a start with fewer fixed terms x⊗x⊗x (cyclic.PairedStart, after
// Moosbauer & Poole's diagonal partitions): walks seldom change the fixed
// terms, so descents from the standard algorithm (n of them) stay at ranks
// n + 3k, and 5x5x5 at 98, 101, 104. The paired start has n - n/2 fixed
// terms, the residue mod 3 of the best ranks known (5x5x5: 3, for 96 and
// 93). Each start has one epoch, then a share of the lane's flips that
// halves with every orbit its best descent is above the best start's, so
// that the flips go where descents go deepest rather than in turns (the
// 5x5x5 runs that compared shares with turns are in docs/experiments.md).
//
// For a composite size the lane also starts from cyclic.ProductStart, the
// Kronecker product of cyclic schemes of the factors (6x6x6: Strassen's 7
// times a 3x3x3 23, rank 161). Such a product is a local optimum that
// cyclic walks do not leave for long (docs/experiments.md, "Cyclic product
// starts (6x6x6)"), so that no walk would report it: a fresh start below
// the run's best rank goes to the pool and to the plain lane when the run
// opens.
//
// # Cyclic walkers above
//
// With Config.Cyclic on a format that is not square, like 4x5x5, the
// cyclic lane walks the square format above it (5x5x5) and keeps what it
// finds in a pool of its own. Whenever one of its epochs ends, the
// restrictions to the run's format of the epoch's best schemes (the best
// hyperplane along each axis, one index at a time) become starts of the
// plain lane, newest first, up to 32, and the plain lane's epochs take
// turns between them and its own starts. A restriction's worth depends on
// the lineage of the larger scheme more than on its rank, so this samples
// many lineages, each for a short epoch. In 20 short runs of one worker
// (cyclic 5x5x5 for 10-20 s, then plain 4x5x5 from restrictions of the
// lowest 32 schemes for 15-40 s), 4 reached 76, from cyclic bests of 93,
// 99, 99 and 102; walks from composites stay at 77. With the lane, 4x5x5
// from the standard algorithm, 2 workers, 60 s, seeds 1-12: 76 in 4 runs
// (34-54 s), the others at 77-89; plain walks alone: 76 in none, 77-91.
//
// # Fields
//
// Over Z2 all walkers are search/flip walkers. Over Z, half the workers
// (rounded up) run search/ternary walkers, whose schemes are over Z as they
// stand, and the others run Z2 walkers whose new schemes below the best rank
// over Z are lifted to Z by search/lift (lowest rank first) in one more
// goroutine.
//
// # Reproducibility
//
// With one worker a fresh run is a deterministic function of its seed: every
// decision depends on flip counts, never on time. With more workers the
// interleaving of the walkers' reports makes runs differ.
package search
