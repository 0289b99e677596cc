package alphacmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/alphamat/alphamat/search/lift"
	"github.com/alphamat/alphamat/tensorgame"
)

// liftOptions holds the flags of alphamat lift.
type liftOptions struct {
	Files    []string
	Out      string
	JSON     bool
	Attempts int
	MaxBits  int
	Integer  bool
	Order    lift.Order
	Seed     uint64
}

func newLiftCmd(io *IO) *cobra.Command {
	return newLiftCmdRun(io, nil)
}

// newLiftCmdRun builds the lift command; runF, when non-nil, replaces the
// run function (tests capture the options with it).
func newLiftCmdRun(io *IO, runF func(context.Context, *liftOptions) error) *cobra.Command {
	o := &liftOptions{}
	var order string
	cmd := &cobra.Command{
		Use:   "lift FILE...",
		Short: "Lift schemes over Z2 to Z (or Q) by Hensel lifting",
		Long: `Lift solves the Brent equations of each scheme modulo 4, 8, 16, ... (Hensel
lifting from its mod-2 solution), reads integers (or rationals with odd
denominators) off the 2-adic solution, verifies them exactly, and writes each
lifted scheme to --out as <n>x<m>x<p>_r<R>_<Z|Q>.txt.

A scheme over Z or Q is reduced mod 2 first (its denominators must be odd).
When the equations mod 4 have no solution the scheme provably does not lift:
it is reported as "not liftable (inconsistent mod 4)". A failure later on
proves nothing and is reported as "undecided". A failed file does not stop
the batch.

Exit status: 0 when every file lifted, 1 otherwise (the lifted schemes are
still written).`,
		Example: `  alphamat lift runs/4x4x4-Z2/4x4x4_r49_Z2.txt
  alphamat lift --out lifted --json schemes/*_Z2.txt`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("lift: want at least one scheme file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			switch strings.ToLower(order) {
			case "zeros-free", "":
				o.Order = lift.OrderZerosFree
			case "natural":
				o.Order = lift.OrderNatural
			default:
				return usageErrorf("--order %q: want zeros-free or natural", order)
			}
			if o.Attempts < 1 {
				return usageErrorf("--attempts %d: want at least 1", o.Attempts)
			}
			if o.MaxBits < 2 || o.MaxBits > 62 {
				return usageErrorf("--max-bits %d: want 2 to 62", o.MaxBits)
			}
			if o.Out == "" {
				return usageErrorf("--out: want a directory")
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return liftRun(cmd.Context(), io, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "lifted", "directory for the lifted schemes")
	f.BoolVar(&o.JSON, "json", false, "print the results as JSON")
	f.IntVar(&o.Attempts, "attempts", 8, "choices of free variables to try per scheme (more lift more walk-found schemes)")
	f.IntVar(&o.MaxBits, "max-bits", 62, "give up at 2-adic precision 2^max-bits")
	f.BoolVar(&o.Integer, "integer", false, "accept only schemes over Z (no rationals)")
	f.StringVar(&order, "order", "zeros-free", "free-variable choice: zeros-free or natural (naive, for comparison)")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed of the attempts after the first")
	return cmd
}

// liftResult is the outcome for one file (the --json output is a list of them).
type liftResult struct {
	File     string  `json:"file"`
	Format   string  `json:"format,omitempty"`
	Rank     int     `json:"rank,omitempty"`
	From     string  `json:"from_field,omitempty"`
	Status   string  `json:"status"` // lifted, not_liftable, undecided, error
	Field    string  `json:"field,omitempty"`
	MaxCoef  int64   `json:"max_coef,omitempty"`
	MaxDen   int64   `json:"max_den,omitempty"`
	NonZeros int     `json:"nonzeros,omitempty"`
	Out      string  `json:"out,omitempty"`
	Error    string  `json:"error,omitempty"`
	Seconds  float64 `json:"seconds"`
}

// Statuses of liftResult.
const (
	liftLifted      = "lifted"
	liftNotLiftable = "not_liftable"
	liftUndecided   = "undecided"
	liftError       = "error"
)

func liftRun(ctx context.Context, io *IO, o *liftOptions) error {
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return fmt.Errorf("lift: %w", err)
	}
	opts := lift.Options{Attempts: o.Attempts, MaxBits: o.MaxBits, IntegerOnly: o.Integer, Order: o.Order, Seed: o.Seed}
	var results []liftResult
	failed := 0
	for i, path := range o.Files {
		fmt.Fprintf(io.ErrOut, "[%d/%d] %s\n", i+1, len(o.Files), path)
		r := liftFile(ctx, path, o.Out, opts)
		if err := ctx.Err(); err != nil {
			return err
		}
		if r.Status != liftLifted {
			failed++
		}
		results = append(results, r)
		if !o.JSON {
			fmt.Fprintln(io.Out, r.line())
		}
	}
	if o.JSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return err
		}
	}
	fmt.Fprintf(io.ErrOut, "lifted %d of %d\n", len(o.Files)-failed, len(o.Files))
	if failed > 0 {
		return &SilentError{Code: exitFail}
	}
	return nil
}

// liftFile lifts one file and writes the result into dir.
func liftFile(ctx context.Context, path, dir string, opts lift.Options) (r liftResult) {
	start := time.Now()
	r.File = path
	defer func() { r.Seconds = time.Since(start).Seconds() }()
	s, err := tensorgame.ReadFile(path)
	if err != nil {
		r.Status, r.Error = liftError, err.Error()
		return r
	}
	r.Format, r.Rank, r.From = s.Format.String(), s.Rank(), s.Field.String()
	got, err := lift.Lift(ctx, s, opts)
	switch {
	case errors.Is(err, lift.ErrNotLiftable):
		r.Status, r.Error = liftNotLiftable, err.Error()
		return r
	case errors.Is(err, lift.ErrUndecided):
		r.Status, r.Error = liftUndecided, err.Error()
		return r
	case err != nil:
		r.Status, r.Error = liftError, err.Error()
		return r
	}
	got.Comments = append(got.Comments, "lifted from: "+path)
	name := fmt.Sprintf("%v_r%d_%v", got.Format, got.Rank(), got.Field)
	out, err := freeName(dir, name, got)
	if err == nil {
		err = tensorgame.WriteFile(out, got)
	}
	if err != nil {
		r.Status, r.Error = liftError, err.Error()
		return r
	}
	r.Status, r.Field, r.Out, r.NonZeros = liftLifted, got.Field.String(), out, got.NonZeros()
	r.MaxCoef, r.MaxDen = got.MaxAbs()
	return r
}

// freeName returns dir/name.txt, or dir/name-2.txt, -3, ... when a file of
// that name holds another scheme, so that a batch never overwrites a
// different lift; a file that holds the same scheme is reused.
func freeName(dir, name string, s *tensorgame.Scheme) (string, error) {
	for i := 1; ; i++ {
		p := filepath.Join(dir, name+".txt")
		if i > 1 {
			p = filepath.Join(dir, fmt.Sprintf("%s-%d.txt", name, i))
		}
		old, err := tensorgame.ReadFile(p)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return p, nil
		case err == nil && old.Equal(s):
			return p, nil
		case i >= 1000:
			return "", fmt.Errorf("no free file name for %s in %s", name, dir)
		}
	}
}

// line is the human-readable summary of r.
func (r liftResult) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", r.File)
	switch r.Status {
	case liftLifted:
		coef := fmt.Sprintf("coefficients up to %d", r.MaxCoef)
		if r.MaxDen > 1 {
			coef += fmt.Sprintf(", denominators up to %d", r.MaxDen)
		}
		fmt.Fprintf(&b, "lifted to %s (%s, %d non-zeros) -> %s", r.Field, coef, r.NonZeros, r.Out)
	case liftNotLiftable:
		b.WriteString("not liftable (inconsistent mod 4)")
	case liftUndecided:
		fmt.Fprintf(&b, "undecided (%s)", strings.TrimPrefix(r.Error, lift.ErrUndecided.Error()+": "))
	default:
		fmt.Fprintf(&b, "error: %s", r.Error)
	}
	fmt.Fprintf(&b, " [%.2fs]", r.Seconds)
	return b.String()
}
