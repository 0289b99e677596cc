package cluster

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// TestJobWire encodes jobs with no, one, several and MaxStarts starts,
// small and gzipped, and decodes them: every field and every start comes
// back, verified.
func TestJobWire(t *testing.T) {
	s7 := strassen(t)
	f2 := s7.Format
	f4 := tensorgame.Format{N: 4, M: 4, P: 4}
	many := make([]*tensorgame.Scheme, MaxStarts)
	for i := range many {
		many[i] = tensorgame.Standard(f2, tensorgame.Z2)
	}
	for _, tc := range []struct {
		name   string
		format tensorgame.Format
		starts []*tensorgame.Scheme
		gz     bool
	}{
		{"none", f2, nil, false},
		{"one", f2, []*tensorgame.Scheme{s7}, false},
		{"three fields", f2, []*tensorgame.Scheme{tensorgame.Standard(f2, tensorgame.Z2), s7, tensorgame.Standard(f2, tensorgame.Q)}, false},
		{"gzipped", f4, []*tensorgame.Scheme{tensorgame.Standard(f4, tensorgame.Z2), tensorgame.Standard(f4, tensorgame.Z), tensorgame.Standard(f4, tensorgame.Q)}, true},
		{"MaxStarts", f2, many, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := Job{ID: "j-" + tc.name, Format: tc.format, Field: tensorgame.Z, Starts: tc.starts,
				From: []tensorgame.Parent{tensorgame.ParentOf(s7)}, Move: tensorgame.MoveFlips,
				Budget: time.Minute, Seed: 42, Target: 5, Lineage: "fresh"}
			body, err := encodeJob(j)
			if err != nil {
				t.Fatal(err)
			}
			if gz := bytes.HasPrefix(body, gzipMagic); gz != tc.gz {
				t.Errorf("gzipped %v, want %v (%d bytes)", gz, tc.gz, len(body))
			}
			g, err := decodeJob(body)
			if err != nil {
				t.Fatal(err)
			}
			if g.ID != j.ID || g.Format != j.Format || g.Field != j.Field || g.Budget != j.Budget || g.Seed != j.Seed ||
				g.Target != j.Target || g.Move != j.Move || len(g.From) != 1 || g.From[0] != j.From[0] || g.Lineage != j.Lineage {
				t.Errorf("job arrived as %+v, sent %+v", g, j)
			}
			if !equalSchemes(g.Starts, j.Starts) {
				t.Errorf("%d starts arrived, %d sent, or they differ", len(g.Starts), len(j.Starts))
			}
		})
	}
}

// startsBody returns the JSON body of job "j" of format 2x2x2 over Z2 with
// the given start texts.
func startsBody(t *testing.T, texts ...string) []byte {
	t.Helper()
	b, err := json.Marshal(texts)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(`{"id":"j","format":"2x2x2","field":"Z2","starts":` + string(b) + `}`)
}

// gzipped returns b gzipped.
func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

// oversized returns a gzipped job body whose third start runs past n bytes
// of job text.
func oversized(t *testing.T, std string, n int) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	head, _ := json.Marshal([]string{std, std})
	zw.Write([]byte(`{"id":"big","format":"2x2x2","field":"Z2","starts":` + strings.TrimSuffix(string(head), "]") + `,"` + std))
	line := []byte(`1 0 0 0 ; 1 0 0 0 ; 1 0 0 0\n`)
	for i := 0; i <= n; i += len(line) {
		zw.Write(line)
	}
	zw.Write([]byte(`"]}`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

// TestDecodeJobErrors decodes bad job bodies: each is refused with an error
// that names the job and, where the fault is in a start, the start.
func TestDecodeJobErrors(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	text := func(s *tensorgame.Scheme) string {
		var b bytes.Buffer
		if err := tensorgame.Write(&b, s); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	std := text(tensorgame.Standard(f, tensorgame.Z2))
	wrong := tensorgame.Standard(f, tensorgame.Z2)
	wrong.Terms = wrong.Terms[1:]
	tooMany := make([]string, MaxStarts+1)
	for i := range tooMany {
		tooMany[i] = std
	}
	for _, tc := range []struct {
		name string
		body []byte
		want string // in the error
	}{
		{"MaxStarts+1", startsBody(t, tooMany...), "job j: start 64: more than MaxStarts"},
		{"wrong at 2", startsBody(t, std, std, text(wrong), std), "job j start 2"},
		{"truncated at 1", startsBody(t, std, std[:len(std)-9]), "job j start 1"},
		{"garbled at 1", startsBody(t, std, "\x00\x01\x02 ; ; ;"), "job j start 1"},
		{"empty at 0", startsBody(t, ""), "job j start 0"},
		{"other format at 1", startsBody(t, std, text(tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2))), "job j: start 1: a 2x2x3 scheme"},
		{"not a text at 1", []byte(`{"id":"j","format":"2x2x2","field":"Z2","starts":["` + strings.ReplaceAll(std, "\n", `\n`) + `",7]}`), "job j: start 1"},
		{"not a list", []byte(`{"id":"j","format":"2x2x2","field":"Z2","starts":{"a":"b"}}`), "job j: starts: not a list"},
		{"gzipped wrong at 1", gzipped(t, startsBody(t, std, text(wrong))), "job j start 1"},
		{"gzip cut short", gzipped(t, startsBody(t, std))[:40], "job: gzip"},
		{"lineage with a slash", []byte(`{"id":"j","format":"2x2x2","field":"Z2","lineage":"../x"}`), "job j: lineage"},
		{"long lineage", []byte(`{"id":"j","format":"2x2x2","field":"Z2","lineage":"` + strings.Repeat("a", MaxLineage+1) + `"}`), "job j: lineage"},
		{"long ID", []byte(`{"id":"` + strings.Repeat("x", MaxJobID+1) + `","format":"2x2x2","field":"Z2"}`), "more than MaxJobID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, err := decodeJob(tc.body)
			if err == nil {
				t.Fatalf("decoded %+v, want an error", j)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
	// A gzipped body that inflates past the bound: the bound here is 64
	// KiB, not maxJobText, to keep the test fast; decodeJob is readJob
	// with maxJobText.
	const limit = 64 << 10
	big := oversized(t, std, limit)
	if len(big) > limit/8 {
		t.Fatalf("the oversized body is %d bytes gzipped; want a small one that inflates", len(big))
	}
	_, err := readJob(big, limit)
	if want := "job big start 2: more than 65536 bytes of job text"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("oversized gzip: error %v, want one containing %q", err, want)
	}
	if j, err := readJob(gzipped(t, startsBody(t, std, std)), limit); err != nil || len(j.Starts) != 2 {
		t.Errorf("a gzipped body within the bound: %d starts, %v; want 2, no error", len(j.Starts), err)
	}
}

// TestEncodeJobErrors: a job with too many starts or a nil start is not
// encoded, and the error names the start.
func TestEncodeJobErrors(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	std := tensorgame.Standard(f, tensorgame.Z2)
	for _, tc := range []struct {
		name   string
		starts []*tensorgame.Scheme
		want   string
	}{
		{"MaxStarts+1", make([]*tensorgame.Scheme, MaxStarts+1), "65 starts, more than MaxStarts"},
		{"nil at 1", []*tensorgame.Scheme{std, nil}, "start 1: no scheme"},
	} {
		_, err := encodeJob(Job{ID: "j", Format: f, Field: tensorgame.Z2, Starts: tc.starts})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// FuzzDecodeJob: decodeJob never panics, and a job it accepts has a
// valid format and field, at most MaxStarts verified starts of its
// format, and encodes and decodes to itself.
func FuzzDecodeJob(f *testing.F) {
	f22 := tensorgame.Format{N: 2, M: 2, P: 2}
	for _, j := range []Job{
		{ID: "a", Format: f22, Field: tensorgame.Z2},
		{ID: "b", Format: f22, Field: tensorgame.Z2, Starts: []*tensorgame.Scheme{tensorgame.Standard(f22, tensorgame.Z2), tensorgame.Standard(f22, tensorgame.Z)}, Budget: time.Second, Seed: 3},
		{ID: "c", Format: tensorgame.Format{N: 4, M: 4, P: 4}, Field: tensorgame.Z2, Starts: []*tensorgame.Scheme{tensorgame.Standard(tensorgame.Format{N: 4, M: 4, P: 4}, tensorgame.Q), tensorgame.Standard(tensorgame.Format{N: 4, M: 4, P: 4}, tensorgame.Z)}},
	} {
		b, err := encodeJob(j)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"j","format":"2x2x2","field":"Z2","starts":[null,"",1]}`))
	f.Add([]byte(`{"id":"j","format":"2x2x2","field":"Z2","starts":"x"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		j, err := decodeJob(body)
		if err != nil {
			return
		}
		if j.ID == "" || !j.Format.Valid() || !j.Field.Valid() || len(j.Starts) > MaxStarts {
			t.Fatalf("accepted %+v", j)
		}
		for i, s := range j.Starts {
			if s.Format != j.Format {
				t.Fatalf("start %d of format %v in a %v job", i, s.Format, j.Format)
			}
			if err := tensorgame.Verify(s); err != nil {
				t.Fatalf("start %d: %v", i, err)
			}
		}
		b, err := encodeJob(j)
		if err != nil {
			t.Fatalf("re-encoding an accepted job: %v", err)
		}
		g, err := decodeJob(b)
		if err != nil {
			t.Fatalf("decoding a re-encoded job: %v", err)
		}
		if g.ID != j.ID || g.Format != j.Format || g.Field != j.Field || !equalSchemes(g.Starts, j.Starts) {
			t.Fatalf("round trip: %+v, want %+v", g, j)
		}
	})
}

// TestValidLineage checks which names a lineage may have.
func TestValidLineage(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"fresh", true},
		{"a1", true},
		{strings.Repeat("z", MaxLineage), true},
		{strings.Repeat("z", MaxLineage+1), false},
		{"Fresh", false},
		{"a-b", false},
		{"../a", false},
		{"a/b", false},
		{"a b", false},
	} {
		if got := ValidLineage(tc.s); got != tc.want {
			t.Errorf("ValidLineage(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
