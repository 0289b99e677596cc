// Package alphacmd implements the alphamat command line: one cobra command
// per file, built by a constructor that takes the shared IO streams.
package alphacmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// IO holds the streams a command reads and writes: data to Out, progress and
// messages to ErrOut.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// Exit codes.
const (
	exitOK     = 0
	exitFail   = 1 // the job ran and reports a failure (a scheme failed, a target missed)
	exitUsage  = 2 // bad flags or arguments
	exitCancel = 130
)

// SilentError is returned by commands that already printed their failure;
// it only sets the exit code.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// usageError marks errors in flags or arguments.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErrorf returns an error that exits with the usage code.
func usageErrorf(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// NewRoot builds the alphamat command tree.
func NewRoot(io *IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "alphamat",
		Short: "Discover fast matrix-multiplication algorithms and ship them as Go kernels",
		Long: `alphamat finds low-rank decompositions of matrix-multiplication tensors
(flip-graph walks, Hensel lifting, an AlphaTensor-style tree search), verifies
them exactly, and generates Go matmul kernels from them.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err}
	})
	root.AddCommand(
		newVersionCmd(io),
		newVerifyCmd(io),
		newSearchCmd(io),
		newLiftCmd(io),
		newGenCmd(io),
		newBenchCmd(io),
		newTrainCmd(io),
		newPlayCmd(io),
		newReproduceCmd(io),
		newFrontierCmd(io),
	)
	return root
}

// Main runs the command line with args and returns the exit code. The first
// SIGINT or SIGTERM cancels the command's context so that long jobs stop
// cleanly; after it the default handling is restored, so a second signal
// ends the process even when the command is stuck outside the context (a
// read from a FIFO, say).
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	root := NewRoot(&IO{In: stdin, Out: stdout, ErrOut: stderr})
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitCode(err, stderr)
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var se *SilentError
	if errors.As(err, &se) {
		return se.Code
	}
	fmt.Fprintln(stderr, "alphamat:", err)
	var ue *usageError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.Is(err, context.Canceled):
		return exitCancel
	}
	return exitFail
}
