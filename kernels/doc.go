// Package kernels multiplies matrices with fast schemes: generated Go code
// for verified Z and Q schemes, recursing over blocks down to a gonum
// blas64/blas32 base case.
package kernels
