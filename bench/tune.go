package bench

// Crossover is the measured crossover of one kernel at one level: the
// smallest size from which it beats gemm at every larger size measured.
type Crossover struct {
	Contender string `json:"contender"`
	Scheme    string `json:"scheme"`
	DType     DType  `json:"dtype"`
	// Size is the largest dimension of the crossover shape (0: the kernel
	// never beat gemm on the sizes measured).
	Size int `json:"size"`
	// Sizes and Speedups are the measurements behind Size.
	Sizes    []int     `json:"sizes"`
	Speedups []float64 `json:"speedups"`
}
