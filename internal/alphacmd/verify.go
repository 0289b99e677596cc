package alphacmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/alphamat/alphamat/tensorgame"
)

// verifyOptions holds the arguments of "alphamat verify".
type verifyOptions struct {
	Paths    []string
	JSON     bool
	NPZField string // auto, Z2, Z or Q
}

// verifyResult is one checked scheme: one per text file, one per key of an
// .npz archive. Format is empty and Rank 0 when the file could not be read.
type verifyResult struct {
	File     string `json:"file"`
	Key      string `json:"key,omitempty"`
	Format   string `json:"format"`
	Rank     int    `json:"rank"`
	Field    string `json:"field"`
	OK       bool   `json:"ok"`
	Error    string `json:"error"`
	NonZeros int    `json:"nonzeros"`
}

func newVerifyCmd(io *IO) *cobra.Command {
	opts := &verifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify FILE|DIR...",
		Short: "Check schemes exactly against the Brent equations",
		Long: `verify reads scheme files and checks every scheme exactly: the terms must sum
to the matrix-multiplication tensor over the scheme's field (Z2, Z or Q).

Arguments are text scheme files (*.txt), AlphaTensor .npz archives (one
scheme per key), or directories, searched recursively for both. verify
prints one line per scheme: file, format, rank, field, and OK or the reason
it fails (a parse error names file:line:column, a failing scheme names the
first broken Brent equation). It exits with status 1 if any scheme fails.`,
		Example: `  alphamat verify schemes/4x4x4_r49_Z.txt
  alphamat verify --json testdata/published/flipgraph
  alphamat verify testdata/published/alphatensor/npz/factorizations_f2.npz`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("verify: name at least one scheme file, .npz archive or directory")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return verifyRun(cmd.Context(), io, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print a JSON array of results (file, key, format, rank, field, ok, error, nonzeros)")
	cmd.Flags().StringVar(&opts.NPZField, "npz-field", "auto", "arithmetic of .npz archives: auto (Z2 when the file name contains \"f2\", else Z/Q), Z2, Z or Q")
	return cmd
}

// verifyRun checks every scheme named by opts, in parallel, and prints the
// results in argument order.
func verifyRun(ctx context.Context, io *IO, opts *verifyOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	npzField := tensorgame.Field(0) // auto
	if !strings.EqualFold(opts.NPZField, "auto") {
		f, err := tensorgame.ParseField(opts.NPZField)
		if err != nil {
			return usageErrorf("--npz-field: %v", err)
		}
		npzField = f
	}
	files, walkErrs := expandPaths(opts.Paths)

	results := make([][]verifyResult, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, path := range files {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			results[i] = verifyPath(path, npzField)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	all := walkErrs
	for _, r := range results {
		all = append(all, r...)
	}

	failed := 0
	for _, r := range all {
		if !r.OK {
			failed++
		}
	}
	if opts.JSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		if all == nil {
			all = []verifyResult{}
		}
		if err := enc.Encode(all); err != nil {
			return fmt.Errorf("verify: write results: %w", err)
		}
	} else {
		tw := tabwriter.NewWriter(io.Out, 0, 8, 2, ' ', 0)
		for _, r := range all {
			name := r.File
			if r.Key != "" {
				name += "[" + r.Key + "]"
			}
			format, rank, field := r.Format, fmt.Sprint(r.Rank), r.Field
			if format == "" {
				format, rank, field = "-", "-", "-"
			}
			status := "OK"
			if !r.OK {
				status = "FAIL: " + r.Error
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, format, rank, field, status)
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("verify: write results: %w", err)
		}
	}
	if failed > 0 {
		fmt.Fprintf(io.ErrOut, "verify: %d of %d schemes failed\n", failed, len(all))
		return &SilentError{Code: exitFail}
	}
	fmt.Fprintf(io.ErrOut, "verify: all %d schemes OK\n", len(all))
	return nil
}

// expandPaths replaces directories by the *.txt and *.npz files under
// them (sorted by path). Paths that cannot be walked become failed results.
func expandPaths(paths []string) (files []string, failed []verifyResult) {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil || !info.IsDir() {
			files = append(files, p) // a missing file fails when read
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".txt") || strings.HasSuffix(path, ".npz")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			failed = append(failed, verifyResult{File: p, Error: fmt.Sprintf("read directory: %v", err)})
		}
	}
	return files, failed
}

// verifyPath reads and verifies one file: a text scheme, or every scheme of
// an .npz archive. field is the arithmetic of .npz files (0: from the name).
func verifyPath(path string, field tensorgame.Field) []verifyResult {
	if strings.HasSuffix(strings.ToLower(path), ".npz") {
		if field == 0 {
			field = tensorgame.Z
			if strings.Contains(strings.ToLower(filepath.Base(path)), "f2") {
				field = tensorgame.Z2
			}
		}
		schemes, err := tensorgame.ReadNPZ(path, field)
		if err != nil {
			return []verifyResult{{File: path, Error: err.Error()}}
		}
		out := make([]verifyResult, len(schemes))
		for i, s := range schemes {
			out[i] = check(path, s)
			out[i].Key = fmt.Sprintf("%d,%d,%d", s.Format.N, s.Format.M, s.Format.P)
		}
		return out
	}
	s, err := tensorgame.ReadFile(path)
	if err != nil {
		return []verifyResult{{File: path, Error: err.Error()}}
	}
	return []verifyResult{check(path, s)}
}

// check verifies s read from path.
func check(path string, s *tensorgame.Scheme) verifyResult {
	r := verifyResult{File: path, Format: s.Format.String(), Rank: s.Rank(), Field: s.Field.String(), NonZeros: s.NonZeros()}
	if err := tensorgame.Verify(s); err != nil {
		r.Error = err.Error()
		return r
	}
	r.OK = true
	return r
}
