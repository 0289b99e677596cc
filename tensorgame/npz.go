package tensorgame

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	py "github.com/nlpodyssey/gopickle/types"
)

// ReadNPZ reads every scheme of an AlphaTensor factorizations .npz file
// (github.com/deepmind/alphatensor, algorithms/factorizations_*.npz). Each
// key "n,m,p" holds the factors either as one array of shape (3, S, R)
// (square formats) or as a pickled list of three arrays of shapes (n·m, R),
// (m·p, R) and (p·n, R). The source indexes w by C transposed (k·n+i);
// ReadNPZ converts it to the row-major C of this package.
//
// field is the arithmetic of the file: Z2 for the mod-2 file
// (factorizations_f2.npz), whose coefficients must be 0 or 1; Z or Q for
// standard arithmetic (factorizations_r.npz), where a scheme becomes Z when
// all its coefficients are integers and Q otherwise (float entries are
// converted exactly; they must be dyadic rationals such as 1/2 and 1/8).
// The schemes are returned sorted by format, not verified. Errors name the
// file and the key.
//
// Archives are untrusted input. Before an entry is decoded its size is
// bounded by what its format needs (see npzEntryLimit), whatever the zip
// directory claims, and its npy header and pickle are checked so that no
// length they claim allocates more than the entry holds.
func ReadNPZ(path string, field Field) (out []*Scheme, err error) {
	if !field.Valid() {
		return nil, fmt.Errorf("read %s: invalid field %v", path, field)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return readNPZ(f, info.Size(), path, field)
}

// readNPZ is ReadNPZ on an archive of size bytes read from r; path names
// it in errors.
func readNPZ(r io.ReaderAt, size int64, path string, field Field) (out []*Scheme, err error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	for _, zf := range zr.File {
		s, err := readNPZEntry(zf, path, field)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read %s: no arrays in the archive", path)
	}
	slices.SortFunc(out, func(a, b *Scheme) int {
		return cmp.Or(cmp.Compare(a.Format.N, b.Format.N), cmp.Compare(a.Format.M, b.Format.M), cmp.Compare(a.Format.P, b.Format.P))
	})
	for i := 1; i < len(out); i++ {
		if out[i].Format == out[i-1].Format {
			return nil, fmt.Errorf("read %s: format %v appears twice", path, out[i].Format)
		}
	}
	return out, nil
}

// Bounds on the entries of an .npz archive.
const (
	// maxNPZEntry is the most bytes one entry may hold, whatever its
	// format; the largest entry of factorizations_r.npz (11,12,12) has
	// 3.2 MB.
	maxNPZEntry = 64 << 20
	// maxNPYHeader is the longest npy header accepted (numpy writes
	// 128 bytes and reads at most 10000 by default).
	maxNPYHeader = 1 << 16
	// npzSlack covers the npy header and the pickle framing of an entry.
	npzSlack = 2*maxNPYHeader + 64<<10
)

// npzEntryLimit returns the most bytes an entry for format f may hold:
// three factors of at most S = max(n·m, m·p, n·p) rows and R = n·m·p (the
// naive rank) terms of 8-byte numbers, plus headers, and never more than
// maxNPZEntry.
func npzEntryLimit(f Format) int64 {
	na, nb, nc := f.Dims()
	s := int64(max(na, nb, nc))
	return min(3*s*int64(f.Naive())*8+npzSlack, maxNPZEntry)
}

// readNPZEntry reads and decodes one entry of the archive. The bytes are
// read through a limit, and npyio and gopickle, which are not hardened
// against malformed input, see only checked data; their remaining panics
// become errors here.
func readNPZEntry(zf *zip.File, path string, field Field) (s *Scheme, err error) {
	name := strings.TrimSuffix(zf.Name, ".npy")
	fail := func(format string, args ...any) error {
		return fmt.Errorf("read %s: key %q: %s", path, name, fmt.Sprintf(format, args...))
	}
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fail("malformed array: %v", p)
		}
	}()
	f, err := ParseFormat(name)
	if err != nil {
		return nil, fail("key is not a format n,m,p: %v", err)
	}
	limit := npzEntryLimit(f)
	if zf.UncompressedSize64 > uint64(limit) {
		return nil, fail("entry of %d bytes, more than the %d bytes a %v scheme needs", zf.UncompressedSize64, limit, f)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fail("%v", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
		return nil, fail("damaged entry (its data does not match the zip directory): %v", err)
	}
	if err != nil {
		return nil, fail("%v", err)
	}
	if int64(len(data)) > limit {
		return nil, fail("entry inflates to more than the %d bytes a %v scheme needs", limit, f)
	}
	arr, err := decodeNPY(data)
	if err != nil {
		return nil, fail("%v", err)
	}
	return npzScheme(arr, f, field, path, name, fail)
}

// decodeNPY decodes an npy array held in memory after checking that its
// header length fits the data and, for object arrays, that its pickle
// claims no more bytes than it holds.
func decodeNPY(data []byte) (*npy.Array, error) {
	const magic = "\x93NUMPY"
	if len(data) < len(magic)+4 || string(data[:len(magic)]) != magic {
		return nil, fmt.Errorf("not an npy array (no \\x93NUMPY magic)")
	}
	var hdrLen, start int
	switch major := data[6]; major {
	case 1:
		hdrLen, start = int(binary.LittleEndian.Uint16(data[8:])), 10
	case 2:
		if len(data) < 12 {
			return nil, fmt.Errorf("npy header truncated")
		}
		hdrLen, start = int(binary.LittleEndian.Uint32(data[8:])), 12
	default:
		return nil, fmt.Errorf("npy version %d is not supported (want 1 or 2)", major)
	}
	if hdrLen > maxNPYHeader || hdrLen > len(data)-start {
		return nil, fmt.Errorf("npy header claims %d bytes, %d remain (at most %d allowed)", hdrLen, len(data)-start, maxNPYHeader)
	}
	r, err := npy.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if strings.Contains(r.Header.Descr.Type, "O") {
		if err := checkPickle(data[start+hdrLen:]); err != nil {
			return nil, err
		}
	}
	var arr npy.Array
	if err := r.Read(&arr); err != nil {
		return nil, err
	}
	return &arr, nil
}

// npzScheme builds the scheme of format f from a decoded entry: one array
// of shape (3, S, R) or a list of three (S, R) arrays.
func npzScheme(arr *npy.Array, f Format, field Field, path, name string, fail func(string, ...any) error) (*Scheme, error) {
	na, nb, nc := f.Dims()
	wantLen := [3]int{na, nb, nc}
	var factors [3]*npy.Array
	switch d := arr.Data().(type) {
	case *py.List:
		if d.Len() != 3 {
			return nil, fail("object array holds %d items, want 3 (u, v, w)", d.Len())
		}
		for i := range 3 {
			a, ok := d.Get(i).(*npy.Array)
			if !ok {
				return nil, fail("item %d is a %T, want an array", i, d.Get(i))
			}
			factors[i] = a
		}
	default:
		factors = [3]*npy.Array{arr, arr, arr}
	}
	// mats[mode] reads the factor of one mode as a (len, R) matrix.
	var rank = -1
	var mats [3]func(i, r int) (Rat, error)
	for mode := range 3 {
		a := factors[mode]
		shape := a.Shape()
		var rows, cols, total int
		var at func(i, r int) int // flat index into the data
		if a == arr {
			if len(shape) != 3 || shape[0] != 3 {
				return nil, fail("array of shape %v, want (3, S, R)", shape)
			}
			rows, cols = shape[1], shape[2]
		} else {
			if len(shape) != 2 {
				return nil, fail("factor %c has shape %v, want (%d, R)", "uvw"[mode], shape, wantLen[mode])
			}
			rows, cols = shape[0], shape[1]
		}
		if rows != wantLen[mode] {
			return nil, fail("factor %c has %d rows, want %d for %v", "uvw"[mode], rows, wantLen[mode], f)
		}
		if cols < 0 || cols > f.Naive() {
			return nil, fail("factor %c has %d terms, want 1 to %d (the naive rank of %v)", "uvw"[mode], cols, f.Naive(), f)
		}
		if rank >= 0 && cols != rank {
			return nil, fail("factor %c has %d terms, factor u has %d", "uvw"[mode], cols, rank)
		}
		rank = cols
		if a == arr {
			total = 3 * rows * cols
			off := mode
			if a.Fortran() {
				at = func(i, r int) int { return off + 3*(i+rows*r) }
			} else {
				at = func(i, r int) int { return (off*rows+i)*cols + r }
			}
		} else {
			total = rows * cols
			if a.Fortran() {
				at = func(i, r int) int { return i + rows*r }
			} else {
				at = func(i, r int) int { return i*cols + r }
			}
		}
		get, err := npzElem(a.Data(), total)
		if err != nil {
			return nil, fail("factor %c: %v", "uvw"[mode], err)
		}
		mats[mode] = func(i, r int) (Rat, error) { return get(at(i, r)) }
	}
	if rank == 0 {
		return nil, fail("no terms")
	}
	s := &Scheme{Format: f, Field: field, Terms: make([]Term, rank),
		Comments: []string{fmt.Sprintf("source: %s, key %q (w converted from C transposed to C row-major)", path, name)}}
	integral := true
	for r := range rank {
		t := Term{U: make([]Rat, na), V: make([]Rat, nb), W: make([]Rat, nc)}
		for mode, dst := range [3][]Rat{t.U, t.V, t.W} {
			for i := range dst {
				x, err := mats[mode](i, r)
				if err != nil {
					return nil, fail("factor %c entry (%d, %d): %v", "uvw"[mode], i, r, err)
				}
				if field == Z2 && x != Int(0) && x != Int(1) {
					return nil, fail("factor %c entry (%d, %d): coefficient %v is not 0 or 1 (field Z2)", "uvw"[mode], i, r, x)
				}
				integral = integral && x.IsInt()
				if mode == 2 {
					// Source index k*n+i holds C[i][k]; store it at i*p+k.
					k, ii := i/f.N, i%f.N
					dst[ii*f.P+k] = x
				} else {
					dst[i] = x
				}
			}
		}
		s.Terms[r] = t
	}
	if field != Z2 {
		s.Field = Q
		if integral {
			s.Field = Z
		}
	}
	return s, nil
}

// npzElem returns an exact reader of element i of a numpy data slice of
// length n (integer or float dtypes).
func npzElem(data any, n int) (func(i int) (Rat, error), error) {
	length := -1
	var get func(i int) (Rat, error)
	ints := func(l int, f func(i int) int64) {
		length = l
		get = func(i int) (Rat, error) {
			x := f(i)
			if x == minInt64 {
				return Rat{}, fmt.Errorf("coefficient %d is out of range", x)
			}
			return Int(x), nil
		}
	}
	switch d := data.(type) {
	case []int8:
		ints(len(d), func(i int) int64 { return int64(d[i]) })
	case []int16:
		ints(len(d), func(i int) int64 { return int64(d[i]) })
	case []int32:
		ints(len(d), func(i int) int64 { return int64(d[i]) })
	case []int64:
		ints(len(d), func(i int) int64 { return d[i] })
	case []uint8:
		ints(len(d), func(i int) int64 { return int64(d[i]) })
	case []uint16:
		ints(len(d), func(i int) int64 { return int64(d[i]) })
	case []uint32:
		ints(len(d), func(i int) int64 { return int64(d[i]) })
	case []float64:
		length = len(d)
		get = func(i int) (Rat, error) { return exactRat(d[i]) }
	case []float32:
		length = len(d)
		get = func(i int) (Rat, error) { return exactRat(float64(d[i])) }
	default:
		return nil, fmt.Errorf("unsupported element type %T", data)
	}
	if length != n {
		return nil, fmt.Errorf("%d elements, want %d", length, n)
	}
	return get, nil
}

// exactRat converts a float64 to the Rat of the same value, failing for
// non-finite values and values that do not fit an int64 fraction. Doubling
// a float is exact, so the loop finds the power-of-two denominator.
func exactRat(x float64) (Rat, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Rat{}, fmt.Errorf("coefficient %v is not finite", x)
	}
	den := int64(1)
	for x != math.Trunc(x) {
		if den == 1<<62 {
			return Rat{}, fmt.Errorf("coefficient %v does not fit an int64 fraction", x)
		}
		x *= 2
		den *= 2
	}
	if math.Abs(x) >= 1<<62 {
		return Rat{}, fmt.Errorf("coefficient %v does not fit an int64 fraction", x/float64(den))
	}
	return NewRat(int64(x), den), nil
}
