package tensorgame

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// npyHeader returns an npy version 1 header for dtype descr and shape.
func npyHeader(descr, shape string) []byte {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
	for (10+len(dict)+1)%64 != 0 {
		dict += " "
	}
	dict += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), 0, 0)
	binary.LittleEndian.PutUint16(b[8:], uint16(len(dict)))
	return append(b, dict...)
}

// writeNPZ writes an archive of the given entries (key without ".npy").
func writeNPZ(tb testing.TB, path string, entries map[string][]byte) {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for key, data := range entries {
		w, err := zw.Create(key + ".npy")
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// zipBomb writes an archive whose one entry, key, inflates to n zero bytes
// after a valid npy header, and whose directory claims claimed bytes.
func zipBomb(tb testing.TB, path, key string, n, claimed int64) {
	tb.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestSpeed)
	if err != nil {
		tb.Fatal(err)
	}
	crc := crc32.NewIEEE()
	hdr := npyHeader("<i8", "(3, 4, 7)")
	w := io.MultiWriter(fw, crc)
	w.Write(hdr)
	zeros := make([]byte, 1<<20)
	for left := n - int64(len(hdr)); left > 0; left -= int64(len(zeros)) {
		w.Write(zeros[:min(left, int64(len(zeros)))])
	}
	if err := fw.Close(); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	raw, err := zw.CreateRaw(&zip.FileHeader{Name: key + ".npy", Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(claimed)})
	if err != nil {
		tb.Fatal(err)
	}
	raw.Write(comp.Bytes())
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestReadNPZHostile feeds ReadNPZ archives built to exhaust memory or time:
// each must fail with an error naming the file and the key, having
// allocated a bounded amount.
func TestReadNPZHostile(t *testing.T) {
	dir := t.TempDir()
	// A pickle of a few bytes that claims a 1 TiB byte string
	// (BINBYTES8), and one that claims a 4 GiB string (BINUNICODE).
	bigBytes := append(npyHeader("|O", "()"), 0x80, 0x04, 0x8e)
	bigBytes = binary.LittleEndian.AppendUint64(bigBytes, 1<<40)
	bigBytes = append(bigBytes, "abc."...)
	bigUnicode := append(npyHeader("|O", "()"), 0x80, 0x02, 'X', 0xf0, 0xff, 0xff, 0xff, 'a', '.')
	// An npy version 2 header that claims 4 GiB of header.
	bigHeader := []byte("\x93NUMPY\x02\x00\xf0\xff\xff\xff{'descr': '<i8', ")
	// A header claiming a billion terms for a few bytes of data.
	bigShape := append(npyHeader("<i8", "(3, 4, 1000000000)"), make([]byte, 64)...)
	// A frame claiming more than the pickle holds.
	bigFrame := append(npyHeader("|O", "()"), 0x80, 0x04, 0x95, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, '.')

	cases := []struct {
		name  string
		build func(path string)
		want  string
	}{
		{"pickle 1 TiB bytes", func(p string) { writeNPZ(t, p, map[string][]byte{"2,2,2": bigBytes}) }, "claims"},
		{"pickle 4 GiB string", func(p string) { writeNPZ(t, p, map[string][]byte{"2,2,2": bigUnicode}) }, "claims"},
		{"pickle frame", func(p string) { writeNPZ(t, p, map[string][]byte{"2,2,2": bigFrame}) }, "claims"},
		{"npy header 4 GiB", func(p string) { writeNPZ(t, p, map[string][]byte{"2,2,2": bigHeader}) }, "header claims"},
		{"shape 1e9 terms", func(p string) { writeNPZ(t, p, map[string][]byte{"2,2,2": bigShape}) }, "terms"},
		{"zip bomb, honest size", func(p string) { zipBomb(t, p, "2,2,2", 64<<20, 64<<20) }, "more than"},
		{"zip bomb, size lies", func(p string) { zipBomb(t, p, "2,2,2", 64<<20, 1000) }, "damaged"},
		{"huge format key", func(p string) { zipBomb(t, p, "64,64,64", 256<<20, 1000) }, "damaged"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("hostile%d.npz", i))
			c.build(path)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := ReadNPZ(path, Z)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, path) || !strings.Contains(msg, "key") || !strings.Contains(msg, c.want) {
				t.Errorf("error %q: want the file, the key and %q", msg, c.want)
			}
			// Bounded: a 2x2x2 entry may hold a few KiB and a 64x64x64
			// one maxNPZEntry; reading may use a few times that.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*maxNPZEntry+(16<<20) {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
		})
	}
}

// TestCheckPickle checks the pickle walker on the opcodes of the published
// archives' pickles and on truncated ones.
func TestCheckPickle(t *testing.T) {
	for _, c := range []struct {
		name string
		p    []byte
		ok   bool
	}{
		{"empty list", []byte("\x80\x02]q\x00."), true},
		{"global and reduce", []byte("\x80\x02cnumpy.core.multiarray\n_reconstruct\nq\x01K\x00\x85R."), true},
		{"short bytes", []byte("\x80\x02C\x03abc."), true},
		{"binint", []byte("J\x01\x02\x03\x04M\x01\x02K\x01\x88\x89N\x87."), true},
		{"no stop", []byte("\x80\x02]"), false},
		{"short bytes truncated", []byte("\x80\x02C\x05abc."), false},
		{"global without newline", []byte("cnumpy"), false},
		{"unknown opcode", []byte("\x80\x02\xff."), false},
		{"binunicode8 huge", append([]byte("\x80\x04\x8d"), 0, 0, 0, 0, 0, 0, 0, 0x80, '.'), false},
	} {
		err := checkPickle(c.p)
		if (err == nil) != c.ok {
			t.Errorf("%s: got %v, want ok=%v", c.name, err, c.ok)
		}
	}
}

// FuzzReadNPZ stores one npy entry under a key in an archive and reads it:
// whatever the bytes, ReadNPZ must return an error or a scheme of the
// key's format with at most the naive rank, without crashing or
// allocating without bound. The seeds are the small entries of the
// archives in testdata and the hostile entries of TestReadNPZHostile.
func FuzzReadNPZ(f *testing.F) {
	dir := filepath.Join(sharedDir(f), "published", "alphatensor", "npz")
	for _, name := range []string{"factorizations_f2.npz", "factorizations_r_subset.npz"} {
		zr, err := zip.OpenReader(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		for _, zf := range zr.File {
			if zf.UncompressedSize64 > 8<<10 { // small seeds keep minimisation fast
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				f.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				f.Fatal(err)
			}
			f.Add(strings.TrimSuffix(zf.Name, ".npy"), data)
		}
		zr.Close()
	}
	bigBytes := append(npyHeader("|O", "()"), 0x80, 0x04, 0x8e)
	bigBytes = binary.LittleEndian.AppendUint64(bigBytes, 1<<40)
	f.Add("2,2,2", append(bigBytes, "abc."...))
	f.Add("2,2,2", []byte("\x93NUMPY\x02\x00\xf0\xff\xff\xff{'descr': '<i8', "))
	f.Add("2,2,2", append(npyHeader("<i8", "(3, 4, 1000000000)"), make([]byte, 64)...))
	f.Add("1,1,1", append(npyHeader("<f8", "(3, 1, 1)"), make([]byte, 24)...))

	f.Fuzz(func(t *testing.T, key string, entry []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: key + ".npy", Method: zip.Store})
		if err != nil {
			t.Skip()
		}
		w.Write(entry)
		if err := zw.Close(); err != nil {
			t.Skip()
		}
		schemes, err := readNPZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "fuzz.npz", Z)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "read fuzz.npz: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(schemes) != 1 {
			t.Fatalf("%d schemes from one entry", len(schemes))
		}
		s := schemes[0]
		want, err := ParseFormat(key)
		if err != nil || s.Format != want {
			t.Fatalf("key %q gave format %v", key, s.Format)
		}
		if s.Rank() < 1 || s.Rank() > want.Naive() {
			t.Fatalf("rank %d for %v", s.Rank(), want)
		}
		na, nb, nc := want.Dims()
		for _, term := range s.Terms {
			if len(term.U) != na || len(term.V) != nb || len(term.W) != nc {
				t.Fatalf("term of lengths %d, %d, %d for %v", len(term.U), len(term.V), len(term.W), want)
			}
		}
	})
}
