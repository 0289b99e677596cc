package tensorgame

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const header222 = "# size: n=2 m=2 p=2\n# rank: 1\n# field: Z\n"

func TestParseErrors(t *testing.T) {
	term := "1 0 0 1 ; 1 0 0 1 ; 1 0 0 1\n"
	tests := []struct {
		name  string
		input string
		pos   string // expected position prefix of the first error
		msg   string // expected substring
	}{
		{"wrong count", header222 + "1 0 0 ; 1 0 0 1 ; 1 0 0 1\n", "bad.txt:4:1: ", "factor u has 3 coefficients, want 4 for 2x2x2"},
		{"too many in w", header222 + "1 0 0 1 ; 1 0 0 1 ; 1 0 0 1 1\n", "bad.txt:4:20: ", "factor w has 5 coefficients, want 4"},
		{"semicolon missing", header222 + "1 0 0 1 1 0 0 1 ; 1 0 0 1\n", "bad.txt:4:1: ", "want three factors \"u ; v ; w\" separated by ';', found 2"},
		{"extra semicolon", header222 + "1 0 0 1 ; 1 0 0 1 ; 1 0 0 1 ;\n", "bad.txt:4:1: ", "found 4"},
		{"non-numeric", header222 + "1 0 x 1 ; 1 0 0 1 ; 1 0 0 1\n", "bad.txt:4:5: ", `factor u: bad coefficient "x"`},
		{"non-numeric in v", header222 + "1 0 0 1 ; 1 0.5 0 1 ; 1 0 0 1\n", "bad.txt:4:13: ", `factor v: bad coefficient "0.5"`},
		{"zero denominator", header222 + "1 0 0 1 ; 1 0 0 1 ; 1 0 1/0 1\n", "bad.txt:4:25: ", `bad coefficient "1/0": zero denominator`},
		{"negative denominator", header222 + "1 0 0 1 ; 1 0 0 1 ; 1 0 1/-2 1\n", "bad.txt:4:25: ", "negative denominator"},
		{"huge coefficient", header222 + "1 0 0 1 ; 1 0 0 1 ; 1 0 99999999999999999999 1\n", "bad.txt:4:25: ", "out of range"},
		{"min int64", header222 + "1 0 0 1 ; 1 0 0 1 ; 1 0 -9223372036854775808/3 1\n", "bad.txt:4:25: ", "out of range"},
		{"non-integer over Z", header222 + "1 0 0 1 ; 1 0 0 1 ; 1 0 1/2 1\n", "bad.txt:4:25: ", "not an integer (field Z)"},
		{"rank mismatch", "# size: 2x2x2\n# rank: 2\n# field: Z\n" + term, "bad.txt:2: ", "header rank 2 but the file has 1 terms"},
		{"rank not a number", "# size: 2x2x2\n# rank: seven\n# field: Z\n" + term, "bad.txt:2: ", `header rank "seven" is not a non-negative integer`},
		{"size missing", "# rank: 1\n# field: Z\n" + term, "bad.txt:3:1: ", "term before the # size: header"},
		{"size bad", "# size: 0x2x2\n# field: Z\n" + term, "bad.txt:1: ", "must be at least 1"},
		{"size contradicts terms", "# size: 2x2x3\n# rank: 1\n# field: Z\n" + term, "bad.txt:4:10: ", "factor v has 4 coefficients, want 6 for 2x2x3"},
		{"second size", header222 + "# size: 3x3x3\n" + term, "bad.txt:4: ", "second # size: header"},
		{"field unknown", "# size: 2x2x2\n# rank: 1\n# field: R\n" + term, "bad.txt:3: ", `header field "R": want Z2, Z or Q`},
		{"field empty", "# size: 2x2x2\n# field:\n" + term, "bad.txt:2: ", "header field is empty"},
		{"field missing", "# size: 2x2x2\n" + term, "bad.txt:2:1: ", "term before the # field: header"},
		{"Z2 coefficient", "# size: 2x2x2\n# field: Z2\n1 0 0 1 ; 1 0 2 1 ; 1 0 0 1\n", "bad.txt:3:15: ", "coefficient 2 is not 0 or 1 (field Z2)"},
		{"Z2 negative", "# size: 2x2x2\n# field: Z2\n1 0 0 1 ; 1 0 0 1 ; -1 0 0 1\n", "bad.txt:3:21: ", "coefficient -1 is not 0 or 1 (field Z2)"},
		{"no terms", "# size: 2x2x2\n# field: Z\n", "bad.txt: ", "no terms"},
		{"no field header", "# size: 2x2x2\n", "bad.txt: ", "no # field: header"},
		{"empty file", "", "bad.txt: ", "empty file"},
		{"binary garbage", "\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe\n\x00\x01", "bad.txt:1: ", "not text (binary data or invalid UTF-8)"},
		{"invalid utf8 comment", "# size: 2x2x2\n# caf\xe9\n", "bad.txt:2: ", "not text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(strings.NewReader(tc.input), "bad.txt")
			if err == nil {
				t.Fatalf("Parse succeeded with %d terms, want an error", s.Rank())
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.pos) || !strings.Contains(msg, tc.msg) {
				t.Errorf("error %q, want prefix %q and substring %q", msg, tc.pos, tc.msg)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Pos.File != "bad.txt" {
				t.Errorf("error %v does not unwrap to a *ParseError naming the file", err)
			}
		})
	}
}

// TestParseErrorList checks that one pass reports every bad line.
func TestParseErrorList(t *testing.T) {
	in := header222 + "1 0 x 1 ; 1 0 0 1 ; 1 0 0 1\n1 0 0 1 ; 1 0 0 1 ; 1 0 0 1\n1 0 0 ; 1 0 0 1 ; 1 0 0 1\n"
	_, err := Parse(strings.NewReader(in), "two.txt")
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("Parse = %v, want a list of 2 errors", err)
	}
	if list[0].Pos.Line != 4 || list[1].Pos.Line != 6 {
		t.Errorf("errors at lines %d and %d, want 4 and 6", list[0].Pos.Line, list[1].Pos.Line)
	}
	if !strings.Contains(err.Error(), "(and 1 more errors)") {
		t.Errorf("message %q does not count the other error", err)
	}
}

// repeatReader yields n bytes of a repeated pattern without holding them.
type repeatReader struct {
	pattern string
	n       int64
	off     int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:min(len(p), k+int(min(r.n, int64(len(r.pattern)-r.off))))], r.pattern[r.off:])
		k += c
		r.n -= int64(c)
		r.off = (r.off + c) % len(r.pattern)
	}
	return k, nil
}

// TestParseHugeLine feeds a 100 MB line: the parser must stop at
// MaxLineLen with an error naming the line, reading and keeping only about
// that much.
func TestParseHugeLine(t *testing.T) {
	src := &repeatReader{pattern: "1 0 ", n: 100 << 20}
	in := io.MultiReader(strings.NewReader(header222), src)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Parse(in, "huge.txt")
	runtime.ReadMemStats(&after)
	if err == nil || !strings.HasPrefix(err.Error(), "huge.txt:4: ") || !strings.Contains(err.Error(), "line longer than") {
		t.Fatalf("Parse = %v, want huge.txt:4: line longer than ...", err)
	}
	if read := int64(100<<20) - src.n; read > 4*MaxLineLen {
		t.Errorf("parser read %d bytes of the line, want about %d", read, MaxLineLen)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16*MaxLineLen {
		t.Errorf("parser allocated %d bytes for one over-long line", alloc)
	}
}

func TestParseFormat(t *testing.T) {
	good := map[string]Format{"4x4x4": {4, 4, 4}, "2,3,4": {2, 3, 4}, " 2 X 3 x 5 ": {2, 3, 5}, "3×4×5": {3, 4, 5}}
	for in, want := range good {
		got, err := ParseFormat(in)
		if err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v, want %v", in, got, err, want)
		}
	}
	bad := map[string]string{
		"0x2x2":   "must be at least 1",
		"2x2":     "want three sizes",
		"axbxc":   `size "a" is not a number`,
		"2x2x2x2": "want three sizes",
		"-1,2,2":  "must be at least 1",
		"65x2x2":  "above the maximum 64",
		"":        "want three sizes",
	}
	for in, want := range bad {
		_, err := ParseFormat(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseFormat(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestParseCRLFAndComments(t *testing.T) {
	in := strings.ReplaceAll("# source: here\n# a note without key\n"+strassenText+"\n\n", "\n", "\r\n")
	s, err := Parse(strings.NewReader(in), "crlf.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Equal(strassen(t)) {
		t.Error("CRLF Strassen differs from Strassen")
	}
	want := []string{"source: here", "a note without key", "Strassen 1969"}
	if strings.Join(s.Comments, "|") != strings.Join(want, "|") {
		t.Errorf("comments %q, want %q", s.Comments, want)
	}
}

// TestParseBOM reads files that start with a UTF-8 byte order mark, as
// some editors write them: the mark is skipped, and columns still count
// from the first byte after it.
func TestParseBOM(t *testing.T) {
	for _, c := range []struct {
		name, in string
	}{
		{"LF", "\uFEFF" + strassenText},
		{"CRLF", "\uFEFF" + strings.ReplaceAll(strassenText, "\n", "\r\n")},
		{"header only", "\uFEFF# size: 1x1x1\n# field: Z\n1 ; 1 ; 1\n"},
	} {
		s, err := Parse(strings.NewReader(c.in), c.name)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if err := Verify(s); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// Errors after a mark keep their line numbers.
	_, err := Parse(strings.NewReader("\uFEFF# size: 2x2x2\n# field: Z\n1 x\n"), "bad.txt")
	if err == nil || !strings.HasPrefix(err.Error(), "bad.txt:3:1: ") {
		t.Errorf("got %v, want an error at bad.txt:3:1", err)
	}
}

func TestWriteFileRefusesUnverified(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.txt")
	s := strassen(t)
	s.Terms = s.Terms[1:]
	if err := WriteFile(path, s); err == nil {
		t.Fatal("WriteFile wrote a scheme that fails Verify")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("file exists after a refused write: %v", err)
	}
	good := filepath.Join(dir, "good.txt")
	if err := WriteFile(good, strassen(t)); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(good)
	if err != nil || !back.Equal(strassen(t)) {
		t.Errorf("read back: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only good.txt (no temporary files)", len(entries))
	}
}

// FuzzParse checks that Parse never panics, and that a parsed scheme
// survives Write and Parse unchanged.
func FuzzParse(f *testing.F) {
	f.Add([]byte(strassenText))
	f.Add([]byte(header222 + "1 0 0 1 ; 1 0 0 1 ; 1 0 0 1\n"))
	f.Add([]byte("# size: 1x1x1\n# field: Q\n# note: x\n-3/4 ; 4/-3 ; 1\n"))
	f.Add([]byte("# size: n=1 m=2 p=1\n# field: Z2\n1 1 ; 1 0 ; 1\n"))
	f.Add([]byte("\x00\xff# size"))
	f.Add([]byte("\uFEFF" + strassenText))
	dir := sharedDir(f)
	for _, sub := range []string{"alphatensor", "flipgraph"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "published", sub, "*.txt"))
		if len(paths) == 0 {
			f.Fatalf("no published schemes under %s", dir)
		}
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil && len(data) < 16<<10 { // small seeds keep minimisation fast
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, s); err != nil {
			t.Fatalf("Write: %v", err)
		}
		s2, err := Parse(bytes.NewReader(buf.Bytes()), "rewritten")
		if err != nil {
			t.Fatalf("Parse of written scheme: %v\n%s", err, buf.Bytes())
		}
		if !s.Equal(s2) || strings.Join(s.Comments, "\n") != strings.Join(s2.Comments, "\n") {
			t.Fatalf("round trip changed the scheme:\n%s", buf.Bytes())
		}
		_ = Verify(s) // must not panic either
	})
}
