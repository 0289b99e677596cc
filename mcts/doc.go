// Package mcts is the tree search of AlphaTensor (Fawzi et al., Nature 2022)
// over TensorGame: sampled AlphaZero (Hubert et al., ICML 2021) on the
// residual tensor, guided by a policy and value that it sees only through
// the batched [Evaluator] interface.
//
// # The seam
//
// The search never imports the network. An [Evaluator] takes a batch of
// states and returns, for each, a [Policy] (a distribution over actions the
// search can sample from) and a value: the predicted remaining rank, that is
// how many more steps (plus the terminal penalty) the state will cost.
// [Uniform] is the evaluator without a network: uniform prior over the legal
// actions, zero value. A [Batcher] turns an Evaluator into the blocking
// single-state [StateEvaluator] that each search goroutine calls (KataGo's
// design): a server goroutine pops up to MaxBatch waiting requests and
// evaluates them in one call, so many games played in parallel share the
// per-call overhead of a small network.
//
// # The search
//
// A [Search] plays one game. At each new node it draws K actions from the
// policy; the distinct ones become the node's edges, with prior = draws/K
// (the sample-based policy of sampled AlphaZero). Selection is PUCT with Q
// normalised to [0, 1] by the smallest and largest values seen in the tree
// (MuZero). Nodes live in slices addressed by int32 index (as in
// gorgonia/agogo); a transposition table maps (residual, step count) to the
// node, so the k! orders of the same k terms share one node. Values are
// returns in TensorGame's units: -1 per step and, at the step limit, minus
// tensorgame.RankBound of the residual; an edge's Q is -1 plus its child's
// mean return, which stays exact when a child has several parents. After
// Config.Simulations simulations the game commits a move (the most visited
// edge, or a visit-proportional draw in the opening of self-play), keeps
// the subtree below it and discards the rest. Dirichlet noise is mixed into
// the root prior. Any simulation that reaches a zero residual is a scheme:
// the search keeps the shortest one it has met, whether or not the
// committed moves follow it.
//
// Two departures from the paper, both off by default in [Config]: a
// lookahead that reweights the policy's draws by exp(-β·Δ), Δ the change of
// TensorGame's own terminal penalty (tensorgame.RankBound) when the action
// is played (Config.Lookahead; resampled from a larger pool of draws), and
// a mix of the best return seen into Q (Config.BestWeight), since a
// deterministic one-player game is worth its best continuation. The
// lookahead is what let the 2×2×2 agent reach rank 7: along Strassen-type
// decompositions the bound mostly drops by one per term, and only a few
// percent of all terms lower it.
//
// [Run] plays many games at once (one goroutine each) against one shared
// StateEvaluator, normally a Batcher. [Play] plays a target under random
// changes of basis of its three axes (tensorgame.TensorBasis) and maps the
// schemes found back.
//
// # Compress and sub-games: smaller networks for smaller residuals
//
// Over Z2 a residual lies in the tensor product of the column spaces of
// its three unfoldings; in a basis of those spaces it is a smaller tensor
// of the same rank, its effective size. [Compress] is an Evaluator over
// several evaluators, smallest first, that hands each state to the first
// one whose axes hold the residual, compressing it (in a random basis of
// the spans) when only its effective size fits, and maps the sampled
// actions back. [SubGames] is a [Finisher]: a search offers it each state
// it expands, and it plays a residual that compresses to a smaller
// evaluator, with slack in the steps left, as games of their own, whose
// decomposition completes the path to a scheme. With the shipped models
// and [PermutedBases] this is what takes `alphamat play 2x2x3` to rank 11
// (Strassen plus the four products of one column): under permuted bases
// the 3x3x3 model takes sparse terms and often splits one column off, and
// the T(2,2,2) left is played by the 2x2x2 model (docs/experiments.md,
// "2x2x3 at rank 11").
//
// # Split: sums of blocks as targets of their own
//
// With PlayConfig.Split, [Play] also plays sub-targets of the target.
// [Blocks] splits a tensor's support along an axis pair into parts on
// disjoint coordinates of both axes (T(n,m,p) along its B and C axes: the
// p columns); any two groups of the parts are smaller tensors whose
// decompositions together decompose it, so its rank is at most the sum of
// theirs. Play registers every tensor reachable this way (each grouping
// into two, recursively, along every axis pair), plays each, cropped to
// its support, as games of its own (equal crops once: the six pairs of
// columns of T(2,2,4) are one game, T(2,2,2)), shares the time among them
// by their games' mean length, and reports the best combination as it
// would a game's scheme. Nothing names a format or a known scheme: with
// the shipped models this is what takes `alphamat play 2x2x4` from 15 to
// 14, the 2x2x2 model finding rank 7 on a pair of columns
// (docs/experiments.md, "2x2x4 at 14: split targets").
//
// # Invariants
//
// For every expanded non-terminal node, its visit count is 1 (the visit
// that expanded it) plus the visits of its edges; a terminal node counts
// every visit. An edge's visit count equals the visits its child received
// through it. [Search.Check] verifies these and is used by the tests.
package mcts
