// Package search finds matrix-multiplication schemes: flip-graph random walks
// over Z2 and Z, Hensel lifting from Z2 to Z, a tree search over TensorGame
// guided by the agent, and a pool of the best schemes that a run keeps on
// disk and resumes from.
package search
