package kernels

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Table chooses the kernel for a product from its shape. It is JSON,
// measured for one leaf implementation (see Leaf) and written by
// `alphamat bench kernels --tune`:
//
//	{
//	  "leaf": "packed",
//	  "comment": "how and where it was measured",
//	  "rules": [
//	    {"min": 0, "kernel": "gemm"},
//	    {"precision": "float64", "min": 2048, "kernel": "winograd", "cutoff": 1024, "workers": 1}
//	  ]
//	}
//
// For an n×m by m×p product, the rules that apply are those whose
// Precision is empty or matches, whose Min is at most min(n, m, p), and
// whose MaxAspect is 0 or at least max(n, m, p)/min(n, m, p). Among them
// the rule with the largest Min wins, the first one in the file on a tie.
// When no rule applies the product goes to plain Gemm.
type Table struct {
	// Leaf names the leaf implementation the table was measured with
	// (see Leaf); empty for a table that is not tied to one.
	Leaf    string `json:"leaf,omitempty"`
	Comment string `json:"comment,omitempty"`
	Rules   []Rule `json:"rules"`
}

// Rule is one line of a Table.
type Rule struct {
	// Precision is "float64", "float32" or "" for both.
	Precision string `json:"precision,omitempty"`
	// Min is the smallest min(n, m, p) the rule applies to.
	Min int `json:"min"`
	// MaxAspect, when not 0, is the largest max(n,m,p)/min(n,m,p) the
	// rule applies to.
	MaxAspect float64 `json:"maxAspect,omitempty"`
	// Kernel is a name Lookup accepts: "gemm", a plan name, or plan names
	// joined by "+".
	Kernel string `json:"kernel"`
	// Levels, Cutoff and Workers set the Kernel's fields (0: defaults).
	// Cutoff sets the depth: with Levels 0 the kernel recurses while its
	// blocks stay at least Cutoff in every dimension, so a 2x2x2 plan with
	// Cutoff 512 runs three levels at 4096 and four at 8192, on leaves of
	// 512 (what `--tune --tune-leaves` measures and writes).
	Levels  int `json:"levels,omitempty"`
	Cutoff  int `json:"cutoff,omitempty"`
	Workers int `json:"workers,omitempty"`
	// Speedup optionally records the speed-up over Gemm the tuner measured.
	Speedup float64 `json:"speedup,omitempty"`

	k *Kernel // resolved by Table.Validate
}

// Precisions accepted in a Rule.
const (
	Float64 = "float64"
	Float32 = "float32"
)

// ParseTable parses and validates a table in JSON.
func ParseTable(data []byte) (*Table, error) {
	var t Table
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("parse table: %w", err)
	}
	if dec.More() {
		return nil, errors.New("parse table: data after the table")
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

// ReadTable reads and validates a table in JSON from r.
func ReadTable(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read table: %w", err)
	}
	return ParseTable(data)
}

// Write writes t as indented JSON, one rule per line.
func (t *Table) Write(w io.Writer) error {
	var b strings.Builder
	b.WriteString("{\n")
	if t.Leaf != "" {
		l, _ := json.Marshal(t.Leaf)
		fmt.Fprintf(&b, "  \"leaf\": %s,\n", l)
	}
	if t.Comment != "" {
		c, _ := json.Marshal(t.Comment)
		fmt.Fprintf(&b, "  \"comment\": %s,\n", c)
	}
	b.WriteString("  \"rules\": [\n")
	for i, r := range t.Rules {
		line, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("write table: %w", err)
		}
		sep := ","
		if i == len(t.Rules)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    %s%s\n", line, sep)
	}
	b.WriteString("  ]\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Validate checks every rule (known kernel, valid precision, non-negative
// numbers) and resolves its kernel. It must be called on a table built in
// code before the table is used; ParseTable and ReadTable call it.
func (t *Table) Validate() error {
	var errs []error
	for i := range t.Rules {
		r := &t.Rules[i]
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("table rule %d (%q): %s", i+1, r.Kernel, fmt.Sprintf(format, args...)))
		}
		switch r.Precision {
		case "", Float64, Float32:
		default:
			fail("precision %q: want %q, %q or empty", r.Precision, Float64, Float32)
		}
		if r.Min < 0 || r.Levels < 0 || r.Cutoff < 0 || r.Workers < 0 {
			fail("min, levels, cutoff and workers must not be negative")
		}
		if r.MaxAspect != 0 && !(r.MaxAspect >= 1) {
			fail("maxAspect %v: want 0 (any) or at least 1", r.MaxAspect)
		}
		k, err := Lookup(r.Kernel)
		if err != nil {
			fail("%v", err)
			continue
		}
		k.Levels, k.Cutoff, k.Workers = r.Levels, r.Cutoff, r.Workers
		r.k = &k
	}
	return errors.Join(errs...)
}

// Kernel returns the kernel the table chooses for an n×m by m×p product
// in the given precision (Float64 or Float32).
func (t *Table) Kernel(n, m, p int, precision string) Kernel {
	lo := min(n, m, p)
	hi := max(n, m, p)
	best := -1
	for i := range t.Rules {
		r := &t.Rules[i]
		if r.Precision != "" && r.Precision != precision {
			continue
		}
		if r.Min > lo {
			continue
		}
		if r.MaxAspect != 0 && (lo == 0 || float64(hi) > r.MaxAspect*float64(lo)) {
			continue
		}
		if best < 0 || r.Min > t.Rules[best].Min {
			best = i
		}
	}
	if best < 0 {
		return Kernel{}
	}
	r := &t.Rules[best]
	if r.k != nil {
		return *r.k
	}
	k, err := Lookup(r.Kernel) // an unvalidated table: resolve on the fly
	if err != nil {
		return Kernel{}
	}
	k.Levels, k.Cutoff, k.Workers = r.Levels, r.Cutoff, r.Workers
	return k
}

// MulGeneral computes C = A·B with the kernel t chooses for the shape (see
// Kernel.MulGeneral for the conditions).
func (t *Table) MulGeneral(c, a, b blas64.General) {
	t.Kernel(a.Rows, a.Cols, b.Cols, Float64).MulGeneral(c, a, b)
}

// MulGeneral32 is the float32 version of MulGeneral.
func (t *Table) MulGeneral32(c, a, b blas32.General) {
	t.Kernel(a.Rows, a.Cols, b.Cols, Float32).MulGeneral32(c, a, b)
}

// Mul computes dst = A·B with the kernel t chooses (see Kernel.Mul).
func (t *Table) Mul(dst, a, b *mat.Dense) {
	n, m := a.Dims()
	_, p := b.Dims()
	t.Kernel(n, m, p, Float64).Mul(dst, a, b)
}

// Mul computes dst = A·B with the kernel that the table of the float64
// leaf in use (see Leaf and LeafTable) chooses for the shape. If dst is
// empty it is resized; otherwise it must be n×p. dst must not share memory
// with a or b. It panics with ErrEmpty, ErrShape or ErrAlias otherwise.
func Mul(dst, a, b *mat.Dense) { tableFor(Leaf()).Mul(dst, a, b) }

// MulGeneral computes C = A·B with the kernel that the table of the
// float64 leaf in use chooses for the shape. It panics with ErrShape,
// ErrStride, ErrShortData or ErrAlias on bad arguments.
func MulGeneral(c, a, b blas64.General) { tableFor(Leaf()).MulGeneral(c, a, b) }

// MulGeneral32 is the float32 version of MulGeneral; it follows the table
// of the float32 leaf (Leaf32).
func MulGeneral32(c, a, b blas32.General) { tableFor(Leaf32()).MulGeneral32(c, a, b) }
