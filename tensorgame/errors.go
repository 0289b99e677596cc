package tensorgame

// Error is the type of the panics raised by this package for caller bugs.
type Error struct{ string }

func (e Error) Error() string { return e.string }

var (
	// ErrFormat is raised when schemes, terms or tensors of different formats meet.
	ErrFormat = Error{"tensorgame: format mismatch"}
	// ErrLength is raised when a factor has the wrong number of coefficients.
	ErrLength = Error{"tensorgame: factor length mismatch"}
	// ErrZeroDen is raised when a rational is built with a zero denominator.
	ErrZeroDen = Error{"tensorgame: zero denominator"}
	// ErrOverflow is raised when exact int64 rational arithmetic would overflow.
	ErrOverflow = Error{"tensorgame: rational overflow"}
	// ErrGameOver is raised when an action is applied to a finished TensorGame state.
	ErrGameOver = Error{"tensorgame: game is over"}
)
