package tensorgame

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// raceLimit is the largest naive rank n·m·p whose published schemes get the
// repeated checks (round trip, symmetries, .npz comparison) under the race
// detector; without it every scheme gets them.
const raceLimit = 200

// TestPublished reads every published scheme once and checks that it
// verifies, that its file name states its format, rank and field, that it
// survives Write and Parse unchanged (and a second Write gives the same
// bytes), and that its cyclic and transposed images verify, with Cyclic³
// and Transpose² the identity.
func TestPublished(t *testing.T) {
	t.Parallel()
	for _, sub := range []struct {
		dir  string
		want int
	}{{"alphatensor", 115}, {"flipgraph", 16}} {
		files := publishedFiles(t, sub.dir)
		if len(files) != sub.want {
			t.Errorf("%s: %d scheme files, want %d", sub.dir, len(files), sub.want)
		}
		for _, path := range files {
			s, err := ReadFile(path)
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			if err := Verify(s); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			name := fmt.Sprintf("%v_r%d_%v.txt", s.Format, s.Rank(), s.Field)
			if filepath.Base(path) != name {
				t.Errorf("%s: parsed as %s", path, name)
			}
			if !raceEnabled || s.Format.Naive() <= raceLimit {
				checkRoundTrip(t, path, s)
				checkSymmetries(t, path, s)
			}
		}
	}
}

func checkRoundTrip(t *testing.T, path string, s *Scheme) {
	t.Helper()
	var b1 bytes.Buffer
	if err := Write(&b1, s); err != nil {
		t.Fatal(err)
	}
	s2, err := Parse(bytes.NewReader(b1.Bytes()), path+" (rewritten)")
	if err != nil {
		t.Errorf("%s: reparse: %v", path, err)
		return
	}
	if !s.Equal(s2) {
		t.Errorf("%s: round trip changed the scheme", path)
	}
	if strings.Join(s.Comments, "\n") != strings.Join(s2.Comments, "\n") {
		t.Errorf("%s: round trip changed the comments", path)
	}
	var b2 bytes.Buffer
	if err := Write(&b2, s2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Errorf("%s: second write differs from the first", path)
	}
}

func checkSymmetries(t *testing.T, path string, s *Scheme) {
	t.Helper()
	c := Cyclic(s)
	if c.Format != s.Format.Cyclic() || c.Rank() != s.Rank() || c.Field != s.Field {
		t.Errorf("%s: Cyclic gives %v rank %d over %v", path, c.Format, c.Rank(), c.Field)
	}
	if err := Verify(c); err != nil {
		t.Errorf("%s: Cyclic: %v", path, err)
	}
	tr := Transpose(s)
	if tr.Format != s.Format.Transpose() || tr.Rank() != s.Rank() || tr.Field != s.Field {
		t.Errorf("%s: Transpose gives %v rank %d over %v", path, tr.Format, tr.Rank(), tr.Field)
	}
	if err := Verify(tr); err != nil {
		t.Errorf("%s: Transpose: %v", path, err)
	}
	if !Cyclic(Cyclic(c)).Equal(s) {
		t.Errorf("%s: Cyclic applied three times is not the identity", path)
	}
	if !Transpose(tr).Equal(s) {
		t.Errorf("%s: Transpose applied twice is not the identity", path)
	}
}

// TestNPZ reads the AlphaTensor archives kept in testdata (all of
// factorizations_f2.npz, 29 entries of factorizations_r.npz covering every
// dtype and layout) and checks that every entry verifies and equals the
// published text file of the same format, rank and field.
func TestNPZ(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(sharedDir(t), "published", "alphatensor")
	for _, c := range []struct {
		file  string
		field Field
		want  int
	}{{"factorizations_r_subset.npz", Z, 29}, {"factorizations_f2.npz", Z2, 20}} {
		path := filepath.Join(dir, "npz", c.file)
		schemes, err := ReadNPZ(path, c.field)
		if err != nil {
			t.Fatal(err)
		}
		if len(schemes) != c.want {
			t.Errorf("%s: %d schemes, want %d", c.file, len(schemes), c.want)
		}
		fields := map[Field]int{}
		for _, s := range schemes {
			fields[s.Field]++
			if raceEnabled && s.Format.Naive() > raceLimit {
				continue
			}
			if err := Verify(s); err != nil {
				t.Errorf("%s %v: %v", c.file, s.Format, err)
				continue
			}
			txt := filepath.Join(dir, fmt.Sprintf("%v_r%d_%v.txt", s.Format, s.Rank(), s.Field))
			ts, err := ReadFile(txt)
			if err != nil {
				t.Errorf("%s %v: %v", c.file, s.Format, err)
				continue
			}
			if !s.Equal(ts) {
				t.Errorf("%s %v: differs from %s", c.file, s.Format, txt)
			}
		}
		if c.field == Z2 && fields[Z2] != c.want || c.field == Z && (fields[Z] != 27 || fields[Q] != 2) {
			t.Errorf("%s: fields %v, want all Z2, or 27 Z and 2 Q (3x4x11 and 9x9x9) as published", c.file, fields)
		}
	}
}

func TestReadNPZErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.npz")
	if _, err := ReadNPZ(missing, Z); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: got %v, want an error naming %s", err, missing)
	}
	garbage := filepath.Join(dir, "garbage.npz")
	if err := AtomicWrite(garbage, func(w io.Writer) error { _, err := w.Write([]byte("not a zip")); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadNPZ(garbage, Z); err == nil || !strings.Contains(err.Error(), garbage) {
		t.Errorf("garbage file: got %v, want an error naming %s", err, garbage)
	}
}
