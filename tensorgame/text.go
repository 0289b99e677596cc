package tensorgame

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"
)

// MaxLineLen is the longest line the text parser accepts, in bytes.
const MaxLineLen = 1 << 20

// Position is a place in a scheme file: line and column count from 1
// (columns in bytes); a zero Line means the whole file.
type Position struct {
	File   string
	Line   int
	Column int
}

// String returns "file:line:column", degrading like go/token.Position.
func (p Position) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += strconv.Itoa(p.Line)
		if p.Column > 0 {
			s += ":" + strconv.Itoa(p.Column)
		}
	}
	if s == "" {
		s = "-"
	}
	return s
}

// ParseError is an error at a position of a scheme file.
type ParseError struct {
	Pos Position
	Err error
}

// Error returns "file:line:column: message".
func (e *ParseError) Error() string { return e.Pos.String() + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// ErrorList is a list of parse errors of one file, in file order.
type ErrorList []*ParseError

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Unwrap returns the errors of the list.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns l as an error, or nil when l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// maxErrors bounds the errors collected from one file.
const maxErrors = 10

// Parse reads one scheme in the text format from r; name is used in error
// positions. The format is a header of "#" comment lines that must include
// "# size:" (either "n=2 m=2 p=2" or "2x2x2") and "# field:" (Z2, Z or Q;
// the first word counts) and may include "# rank:", followed by one line per
// term, "u ; v ; w", with whitespace-separated coefficients "p" or "p/q".
// Parse checks the lengths of the factors, the field's coefficient range and
// the rank; it does not verify the scheme (see Verify). A UTF-8 byte order
// mark at the start is skipped.
func Parse(r io.Reader, name string) (*Scheme, error) {
	p := parser{name: name, s: &Scheme{}, rank: -1}
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(len(utf8BOM)); string(bom) == utf8BOM {
		br.Discard(len(utf8BOM))
	}
	for {
		line, err := readLine(br)
		if len(line) > 0 || err == nil {
			p.line++
		}
		if errors.Is(err, errLineTooLong) {
			p.line++
			p.errorf(0, "line longer than %d bytes", MaxLineLen)
			break
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if len(line) > 0 {
			p.parseLine(line)
		}
		if err == io.EOF || len(p.errs) >= maxErrors {
			break
		}
	}
	return p.finish()
}

var errLineTooLong = errors.New("line too long")

// utf8BOM is the UTF-8 byte order mark that some editors put at the start
// of a text file.
const utf8BOM = "\uFEFF"

// readLine returns the next line without its terminator, never more than
// MaxLineLen bytes of it.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineLen+2 {
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == nil || (err == io.EOF && len(buf) > 0) {
			buf = bytes.TrimRight(buf, "\r\n")
			if len(buf) == 0 && err == nil {
				return []byte{}, nil
			}
			if err == io.EOF {
				return buf, io.EOF
			}
			return buf, nil
		}
		return buf, err
	}
}

type parser struct {
	name  string
	line  int
	s     *Scheme
	rank  int
	haveF bool // format seen
	rankL int  // line of the rank header
	errs  ErrorList
}

func (p *parser) errorf(col int, format string, args ...any) {
	if len(p.errs) < maxErrors {
		p.errs = append(p.errs, &ParseError{Pos: Position{File: p.name, Line: p.line, Column: col}, Err: fmt.Errorf(format, args...)})
	}
}

// derivedKeys are header keys written by Write and ignored when reading.
var derivedKeys = map[string]bool{"nonzeros": true, "maxcoef": true}

func (p *parser) parseLine(b []byte) {
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		p.errorf(0, "not text (binary data or invalid UTF-8)")
		return
	}
	line := string(b)
	trim := strings.TrimSpace(line)
	if trim == "" {
		return
	}
	if strings.HasPrefix(trim, "#") {
		p.parseComment(strings.TrimSpace(strings.TrimPrefix(trim, "#")))
		return
	}
	p.parseTerm(line)
}

func (p *parser) parseComment(c string) {
	key, val, ok := strings.Cut(c, ":")
	key = strings.ToLower(strings.TrimSpace(key))
	if !ok || strings.ContainsAny(key, " \t") {
		p.s.Comments = append(p.s.Comments, c)
		return
	}
	val = strings.TrimSpace(val)
	switch key {
	case "size":
		if p.haveF {
			p.errorf(0, "second # size: header")
			return
		}
		f, err := parseSize(val)
		if err != nil {
			p.errorf(0, "header size: %v", err)
			return
		}
		if len(p.s.Terms) > 0 {
			p.errorf(0, "# size: header after the first term")
			return
		}
		p.s.Format, p.haveF = f, true
	case "rank":
		tok, _, _ := strings.Cut(val, " ")
		r, err := strconv.Atoi(tok)
		if err != nil || r < 0 {
			p.errorf(0, "header rank %q is not a non-negative integer", val)
			return
		}
		p.rank, p.rankL = r, p.line
	case "field":
		tok := strings.Fields(val)
		if len(tok) == 0 {
			p.errorf(0, "header field is empty: want Z2, Z or Q")
			return
		}
		f, err := ParseField(tok[0])
		if err != nil {
			p.errorf(0, "header %v", err)
			return
		}
		if p.s.Field != 0 && p.s.Field != f {
			p.errorf(0, "second # field: header says %v, first said %v", f, p.s.Field)
			return
		}
		if len(p.s.Terms) > 0 {
			p.errorf(0, "# field: header after the first term")
			return
		}
		p.s.Field = f
	case "origin":
		if p.s.Origin != nil {
			p.errorf(0, "second # origin: header")
			return
		}
		o, err := parseOrigin(val)
		if err != nil {
			p.errorf(0, "%v", err)
			return
		}
		p.s.Origin = o
	default:
		if !derivedKeys[key] {
			p.s.Comments = append(p.s.Comments, c)
		}
	}
}

// parseSize accepts "n=2 m=3 p=4 ..." and "2x3x4 ...".
func parseSize(v string) (Format, error) {
	if strings.HasPrefix(v, "n=") {
		var f Format
		fs := strings.Fields(v)
		if len(fs) < 3 {
			return Format{}, fmt.Errorf("%q: want n=N m=M p=P", v)
		}
		for i, key := range []string{"n=", "m=", "p="} {
			num, ok := strings.CutPrefix(fs[i], key)
			if !ok {
				return Format{}, fmt.Errorf("%q: want n=N m=M p=P", v)
			}
			x, err := strconv.Atoi(num)
			if err != nil || x < 1 || x > MaxDim {
				return Format{}, fmt.Errorf("%q: size %q is not in 1..%d", v, num, MaxDim)
			}
			*[]*int{&f.N, &f.M, &f.P}[i] = x
		}
		return f, nil
	}
	tok, _, _ := strings.Cut(v, " ")
	return ParseFormat(tok)
}

func (p *parser) parseTerm(line string) {
	if !p.haveF {
		p.errorf(1, "term before the # size: header")
		return
	}
	if p.s.Field == 0 {
		p.errorf(1, "term before the # field: header")
		return
	}
	if n := strings.Count(line, ";") + 1; n != 3 {
		p.errorf(1, "want three factors \"u ; v ; w\" separated by ';', found %d", n)
		return
	}
	a, b, c := p.s.Format.Dims()
	want := [3]int{a, b, c}
	var t Term
	start := 0 // byte offset of the current factor in line
	for mode := range 3 {
		end := len(line)
		if mode < 2 {
			end = start + strings.IndexByte(line[start:], ';')
		}
		part := line[start:end]
		f := make([]Rat, 0, want[mode])
		for i := 0; i < len(part); {
			if isSpace(part[i]) {
				i++
				continue
			}
			j := i + 1
			for j < len(part) && !isSpace(part[j]) {
				j++
			}
			x, err := parseCoef(part[i:j])
			if err != nil {
				p.errorf(start+i+1, "factor %c: %v", "uvw"[mode], err)
				return
			}
			if err := p.s.Field.check(x); err != nil {
				p.errorf(start+i+1, "factor %c: %v", "uvw"[mode], err)
				return
			}
			f = append(f, x)
			i = j
		}
		if len(f) != want[mode] {
			p.errorf(start+1, "factor %c has %d coefficients, want %d for %v", "uvw"[mode], len(f), want[mode], p.s.Format)
			return
		}
		switch mode {
		case 0:
			t.U = f
		case 1:
			t.V = f
		case 2:
			t.W = f
		}
		start = end + 1
	}
	p.s.Terms = append(p.s.Terms, t)
}

// isSpace reports whether c separates coefficients: ASCII white space.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'
}

// parseCoef is ParseRat with a fast path for short decimal integers.
func parseCoef(tok string) (Rat, error) {
	if len(tok) == 0 || len(tok) > 18 {
		return ParseRat(tok)
	}
	neg := tok[0] == '-'
	digits := tok
	if neg {
		digits = tok[1:]
		if len(digits) == 0 {
			return ParseRat(tok)
		}
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		d := digits[i] - '0'
		if d > 9 {
			return ParseRat(tok)
		}
		n = n*10 + int64(d)
	}
	if neg {
		n = -n
	}
	return Int(n), nil
}

func (p *parser) finish() (*Scheme, error) {
	if p.line == 0 {
		return nil, &ParseError{Pos: Position{File: p.name}, Err: errors.New("empty file")}
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	fileErr := func(line int, format string, args ...any) error {
		return ErrorList{{Pos: Position{File: p.name, Line: line}, Err: fmt.Errorf(format, args...)}}
	}
	if !p.haveF {
		return nil, fileErr(0, "no # size: header")
	}
	if p.s.Field == 0 {
		return nil, fileErr(0, "no # field: header")
	}
	if len(p.s.Terms) == 0 {
		return nil, fileErr(0, "no terms")
	}
	if p.rank >= 0 && p.rank != len(p.s.Terms) {
		return nil, fileErr(p.rankL, "header rank %d but the file has %d terms", p.rank, len(p.s.Terms))
	}
	return p.s, nil
}

// ReadFile parses the scheme file at path (see Parse).
func ReadFile(path string) (*Scheme, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path)
}

// Write writes s in the text format: its comments, then the size, rank,
// field, nonzeros and maxcoef header lines, then one "u ; v ; w" line per term.
func Write(w io.Writer, s *Scheme) error {
	bw := bufio.NewWriter(w)
	for _, c := range s.Comments {
		for _, l := range strings.Split(c, "\n") {
			fmt.Fprintf(bw, "# %s\n", l)
		}
	}
	if s.Origin != nil {
		b, err := json.Marshal(s.Origin)
		if err != nil {
			return fmt.Errorf("write origin: %w", err)
		}
		fmt.Fprintf(bw, "# origin: %s\n", b)
	}
	f := s.Format
	num, den := s.MaxAbs()
	fmt.Fprintf(bw, "# size: n=%d m=%d p=%d\n", f.N, f.M, f.P)
	fmt.Fprintf(bw, "# rank: %d\n", s.Rank())
	fmt.Fprintf(bw, "# field: %v\n", s.Field)
	fmt.Fprintf(bw, "# nonzeros: %d\n", s.NonZeros())
	if den > 1 {
		fmt.Fprintf(bw, "# maxcoef: %d (largest |numerator|), largest denominator %d\n", num, den)
	} else {
		fmt.Fprintf(bw, "# maxcoef: %d\n", num)
	}
	var buf []byte
	for _, t := range s.Terms {
		buf = buf[:0]
		for mode, fac := range [3][]Rat{t.U, t.V, t.W} {
			if mode > 0 {
				buf = append(buf, " ;"...)
			}
			for i, x := range fac {
				if i > 0 || mode > 0 {
					buf = append(buf, ' ')
				}
				buf = append(buf, x.String()...)
			}
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// WriteFile verifies s and writes it to path atomically: to a temporary file
// in the same directory, synced, then renamed over path. A scheme that fails
// Verify is not written.
func WriteFile(path string, s *Scheme) error {
	if err := Verify(s); err != nil {
		return fmt.Errorf("write %s: refusing unverified scheme: %w", path, err)
	}
	return AtomicWrite(path, func(w io.Writer) error { return Write(w, s) })
}

// AtomicWrite writes a file by calling fill on a temporary file in the same
// directory, syncing it, renaming it to path and syncing the directory, so
// that readers (and a crash) see either the old or the new content, never a
// part, and the new name survives a power loss once AtomicWrite returns.
// The temporary file is named "." + base(path) + ".tmp" and a random
// suffix; one left by a killed process can be removed by the owner of the
// directory (see search/pool).
func AtomicWrite(path string, fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := fill(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// syncDir flushes the entries of dir (a rename) to disk. File systems that
// cannot sync a directory (EINVAL) are left as they are.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
