// Package bench measures kernels against naive, Strassen-Winograd and gonum
// Dgemm baselines, and searches against published ranks.
package bench
