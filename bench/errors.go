package bench

// Error is the type of the panics raised by this package for caller bugs.
type Error struct{ string }

func (e Error) Error() string { return e.string }

var (
	// ErrShape is raised when the sizes of c, a and b do not match for c = a·b.
	ErrShape = Error{"bench: dimension mismatch"}
	// ErrStride is raised when a matrix's stride is below its column count.
	ErrStride = Error{"bench: bad stride"}
	// ErrData is raised when a matrix's data is too short for its size and stride.
	ErrData = Error{"bench: short data"}
)
