// Package agent is the policy/value network that guides the tree search of
// package mcts, and its training (AlphaTensor, Fawzi et al., Nature 2022,
// at the scale of a few CPU minutes). It is the only package that imports
// gorgonia; search sees the network only through mcts.Evaluator.
//
// # Network
//
// A [Net] reads a residual tensor padded to its axes A×B×C (one network
// serves every format whose axes fit: the shipped 3x3x3 model, axes 9×9×9,
// plays 2×2×2 to 3×3×3), a one-hot of the steps left, the actual axis lengths, and six
// exact invariants of the residual: its three flattening ranks (lower
// bounds of the rank) and its three slice-rank sums (upper bounds). A torso
// of residual leaky-ReLU layers feeds two heads:
//
//   - Value: the expected remaining rank, as 48·sigmoid(z), clamped at
//     inference into the exact bounds above.
//   - Policy: a term chosen factor by factor, u then v then w, each split
//     into tokens of up to 4 coefficients over Z2 (vocabulary ≤ 16) or 2
//     over Z (≤ 25), autoregressively. Draws are anchored at a non-zero
//     entry (a, b, c) of the residual, drawn uniformly: the term must be
//     non-zero at it, which every decomposition has a term for. Each
//     token's head adds to the torso's context the embeddings of the
//     tokens before it and features of the anchor and of the factors
//     drawn: the residual's fibre through the anchor for u, the residual
//     contracted with u (normalised) for v, with u and v for w — for a
//     single term these are the next factor exactly.
//
// Inference ([Net.Evaluate]) is plain Go on the weights with gonum's
// float32 BLAS and, on amd64, two small SSE/AVX kernels that add the same
// rounded products in the same order: one pass for the torso and heads'
// context, then each policy samples K actions on the search goroutine,
// sharing the work of common prefixes. Training builds the same function as a gorgonia graph
// (teacher forcing, masked softmax, weighted squared value error) and
// applies AdamW in Go to the shared weight slices; tests check the graph
// against the Go forward pass and its gradients against finite
// differences.
//
// # Training
//
// A [Trainer] alternates SGD steps and self-play. Synthetic
// demonstrations ([RandomDemo]): sparse random terms summed into a tensor,
// under a random change of basis (none, a permutation, elementary moves or,
// over Z2, a uniform one); the target is one of the terms (any is a correct
// first move), the value their number. Self-play ([Trainer.SelfPlay]):
// games on T(n,m,p) under random changes of basis with the current
// network, learning from the search's visit counts and the games' outcomes,
// and from every scheme the search finds (subsets of its terms, as
// demonstrations). No known scheme of a target is used: a [Guard] refuses
// every demonstration whose tensor could be a matmul tensor in some basis
// (a change-of-basis invariant is compared) and every held-out tensor, and
// the trainer reads no scheme files. Checkpoints ([Trainer.Save],
// [LoadTrainer]) hold weights, optimizer moments, progress and the random
// state, written atomically; [Net.Save] writes the weights alone, the
// format of the models shipped in package models.
//
// [HeldOut] is the fixed evaluation set (200+ tensors, 2×2×2 to 3×3×3,
// ranks 3..10) and [SolveHeldOut] the solve rate of a search on it.
//
// # Where the time goes
//
// BenchmarkSearch, BenchmarkSample and BenchmarkPlay report simulations
// (or one expansion's draws) per second and per CPU-second;
// docs/experiments.md ("Simulations per second, and where the time goes")
// has what they measured and BenchmarkPlay's CPU profile. The sampling
// kernels (logits, axpy, axpyRows16, linear) compute bitwise what the
// plain float32 products compute, so a faster kernel never changes a
// game.
package agent
