package frontier

import (
	"fmt"
	"slices"

	"github.com/alphamat/alphamat/frontier/meta"
	"github.com/alphamat/alphamat/tensorgame"
)

// MaxSize is the largest size of a format the frontier works on, and
// MaxFactor the most coefficients of a factor (n·m, m·p, n·p): the formats
// of the best known ranks table (package ranks, Frontier).
const (
	MaxSize   = 16
	MaxFactor = 256
)

// CheckFormat returns an error unless every size of f is in 2..MaxSize and
// every factor has at most MaxFactor coefficients.
func CheckFormat(f tensorgame.Format) error {
	for _, d := range [3]int{f.N, f.M, f.P} {
		if d < 2 || d > MaxSize {
			return fmt.Errorf("format %v: size %d is outside 2..%d", f, d, MaxSize)
		}
	}
	a, b, c := f.Dims()
	if a > MaxFactor || b > MaxFactor || c > MaxFactor {
		return fmt.Errorf("format %v: factors of %d, %d and %d coefficients, at most %d each", f, a, b, c, MaxFactor)
	}
	return nil
}

// UpTo returns every format n×m×p with 2 <= n <= m <= p <= max, smallest
// first. max must be in 2..MaxSize.
func UpTo(max int) ([]tensorgame.Format, error) {
	if max < 2 || max > MaxSize {
		return nil, fmt.Errorf("--max %d: want a size in 2..%d", max, MaxSize)
	}
	var out []tensorgame.Format
	for n := 2; n <= max; n++ {
		for m := n; m <= max; m++ {
			for p := m; p <= max; p++ {
				out = append(out, tensorgame.Format{N: n, M: m, P: p})
			}
		}
	}
	sortFormats(out)
	return out, nil
}

// Scope returns the formats a frontier over fs works on: fs (sizes sorted)
// and the factors of their tensor products, the formats a and b with
// a ⊗ b = f and sizes at least 2 (2x2x2 and 3x3x3 for 6x6x6), since those
// are cheap and carry far. Each once, smallest first.
func Scope(fs []tensorgame.Format) []tensorgame.Format {
	var out []tensorgame.Format
	add := func(f tensorgame.Format) {
		if f = f.Canonical(); !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, f := range fs {
		add(f)
		for _, a := range meta.Divisors(f) {
			add(a)
		}
	}
	sortFormats(out)
	return out
}

func sortFormats(fs []tensorgame.Format) {
	slices.SortFunc(fs, compareFormats)
}

func compareFormats(a, b tensorgame.Format) int {
	for _, d := range [...]int{a.Naive() - b.Naive(), a.N - b.N, a.M - b.M, a.P - b.P} {
		if d != 0 {
			return d
		}
	}
	return 0
}
