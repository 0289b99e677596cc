package kernels

// Error is the type of the panics raised by this package for caller bugs,
// in the style of mat.Error.
type Error struct{ string }

func (e Error) Error() string { return e.string }

var (
	// ErrShape is raised when the shapes of C, A and B do not conform:
	// A is n×m, B must be m×p and C n×p.
	ErrShape = Error{"kernels: dimension mismatch"}
	// ErrAlias is raised when C shares memory with A or B.
	ErrAlias = Error{"kernels: destination aliases an input"}
	// ErrStride is raised when a matrix has a stride smaller than its number of columns.
	ErrStride = Error{"kernels: bad stride"}
	// ErrShortData is raised when a matrix's data slice is too short for its shape and stride.
	ErrShortData = Error{"kernels: data too short for the shape"}
	// ErrEmpty is raised by Mul when A or B is an empty mat.Dense.
	ErrEmpty = Error{"kernels: empty matrix"}
)
