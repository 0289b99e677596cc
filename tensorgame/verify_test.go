package tensorgame

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestVerifyCorruptStrassen changes every coefficient of Strassen's scheme,
// one at a time, to every other value in -2..2 (and 1/2): each change must
// break a Brent equation.
func TestVerifyCorruptStrassen(t *testing.T) {
	s := strassen(t)
	values := []Rat{Int(-2), Int(-1), Int(0), Int(1), Int(2), NewRat(1, 2)}
	n := 0
	for r := range s.Terms {
		for mode := range 3 {
			for i := range s.Terms[r].Factor(mode) {
				for _, x := range values {
					c := s.Clone()
					c.Field = Q
					f := c.Terms[r].Factor(mode)
					if f[i] == x {
						continue
					}
					f[i] = x
					n++
					var ve *VerifyError
					if err := Verify(c); !errors.As(err, &ve) || ve.Shape != nil {
						t.Errorf("term %d factor %c entry %d set to %v: Verify = %v, want a failing equation", r, "uvw"[mode], i, x, err)
					}
				}
			}
		}
	}
	if n != 7*12*5 {
		t.Errorf("tried %d corruptions, want %d", n, 7*12*5)
	}
}

func TestVerifyDropTerm(t *testing.T) {
	for _, s := range []*Scheme{strassen(t), Standard(Format{2, 3, 2}, Z), Standard(Format{2, 2, 2}, Z2)} {
		for r := range s.Terms {
			c := s.Clone()
			c.Terms = append(c.Terms[:r], c.Terms[r+1:]...)
			if Verify(c) == nil {
				t.Errorf("%v: dropping term %d still verifies", s.Format, r)
			}
		}
	}
}

// TestVerifyStandard checks the standard algorithm for several formats and
// all fields, and that a duplicated term breaks it in every field.
func TestVerifyStandard(t *testing.T) {
	for _, f := range []Format{{1, 1, 1}, {1, 2, 3}, {3, 1, 2}, {2, 3, 4}, {4, 4, 4}} {
		for _, field := range []Field{Z2, Z, Q} {
			s := Standard(f, field)
			if err := Verify(s); err != nil {
				t.Errorf("Standard(%v, %v): %v", f, field, err)
			}
			// A duplicated term makes an entry 2: 0 mod 2, so it still fails
			// over Z2 (the entry should be 1) as over Z.
			d := s.Clone()
			d.Terms = append(d.Terms, d.Terms[0].Clone())
			if Verify(d) == nil {
				t.Errorf("Standard(%v, %v) with a duplicated term verifies", f, field)
			}
		}
	}
}

// TestVerifyZ2 checks mod-2 arithmetic: a pair of equal extra terms cancels
// over Z2 but not over Z.
func TestVerifyZ2(t *testing.T) {
	s := Standard(Format{2, 2, 2}, Z2)
	extra := Term{U: []Rat{Int(1), Int(1), Int(0), Int(0)}, V: []Rat{Int(0), Int(1), Int(1), Int(0)}, W: []Rat{Int(1), Int(0), Int(0), Int(1)}}
	s.Terms = append(s.Terms, extra, extra.Clone())
	if err := Verify(s); err != nil {
		t.Errorf("over Z2: %v", err)
	}
	s.Field = Z
	if Verify(s) == nil {
		t.Error("over Z the doubled extra term verifies")
	}
}

func TestVerifyErrorMessage(t *testing.T) {
	s := strassen(t)
	s.Terms[0].W[0] = Int(0) // C[0][0] loses A[0][0]·B[0][0] among others
	err := Verify(s)
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("Verify = %v, want a *VerifyError", err)
	}
	// Term 0 is (A00+A11)(B00+B11) into C00 and C11: removing it from C00
	// breaks the equations (a, b, 0) for a, b in {0, 3}; the first is (0,0,0).
	if ve.A != 0 || ve.B != 0 || ve.C != 0 || ve.Got != "0" || ve.Want != "1" || ve.Count != 4 {
		t.Errorf("VerifyError = %+v, want equation (0,0,0) got 0 want 1, 4 in all", *ve)
	}
	for _, want := range []string{"Brent equation (0,0,0)", "A[0][0]·B[0][0] in C[0][0]", "sums to 0 over Z, want 1", "4 equations off"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not contain %q", err, want)
		}
	}
	// A malformed scheme is reported as such.
	s.Terms[1].U = s.Terms[1].U[:3]
	if err := Verify(s); !errors.As(err, &ve) || ve.Shape == nil || !strings.Contains(err.Error(), "malformed") {
		t.Errorf("short factor: Verify = %v, want a malformed-scheme error", err)
	}
}

// TestVerifyPathsAgree corrupts published schemes at random and checks that
// the int64 path and the math/big path report the same first equation and
// count.
func TestVerifyPathsAgree(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	files := publishedFiles(t, "alphatensor")
	for trial := range 40 {
		path := files[rng.IntN(len(files))]
		s, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if s.Format.Naive() > 64 {
			continue // keep the big.Rat path cheap
		}
		if trial%4 != 0 { // one in four stays correct
			term := &s.Terms[rng.IntN(len(s.Terms))]
			f := term.Factor(rng.IntN(3))
			f[rng.IntN(len(f))] = Int(int64(rng.IntN(2)))
			if s.Field != Z2 {
				f[rng.IntN(len(f))] = NewRat(int64(rng.IntN(5)-2), int64(1+rng.IntN(2)))
			}
			if s.Field != Z2 {
				s.Field = Q
			}
		}
		ok, e1 := verifyInt(s)
		if !ok {
			t.Fatalf("%s: int64 path declined", path)
		}
		e2 := verifyBig(s)
		if fmt.Sprint(e1) != fmt.Sprint(e2) {
			t.Errorf("%s: int64 path says %v, big path says %v", path, e1, e2)
		}
	}
}

// TestVerifyBigCoefficients forces the math/big path on a correct scheme:
// term 0 of the standard algorithm rewritten as (2^40·A00)·(2^-40·B00).
func TestVerifyBigCoefficients(t *testing.T) {
	s := Standard(Format{2, 2, 2}, Q)
	big := int64(1) << 40
	s.Terms[0].U[0] = Int(big)
	s.Terms[0].V[0] = NewRat(1, big)
	if ok, _ := verifyInt(s); ok {
		// lcm 2^40 > 2^20: the int64 path must decline.
		t.Fatal("int64 path accepted denominators 2^40")
	}
	if err := Verify(s); err != nil {
		t.Errorf("Verify: %v", err)
	}
	s.Terms[0].W[0] = Int(2)
	if err := Verify(s); err == nil || !strings.Contains(err.Error(), "sums to 2 over Q, want 1") {
		t.Errorf("Verify = %v, want equation (0,0,0) summing to 2", err)
	}
}

// TestVerifySampled checks the random-evaluation guard: a huge malformed
// scheme (one dense term for 20x20x20) is rejected quickly, with the C
// entry named, and correct schemes pass the sampled check.
func TestVerifySampled(t *testing.T) {
	f := Format{20, 20, 20}
	a, b, c := f.Dims()
	ones := func(n int) []Rat {
		x := make([]Rat, n)
		for i := range x {
			x[i] = Int(1)
		}
		return x
	}
	for _, field := range []Field{Z2, Z, Q} {
		s := &Scheme{Format: f, Field: field, Terms: []Term{{U: ones(a), V: ones(b), W: ones(c)}}}
		if work(s) <= sampleWork {
			t.Fatalf("work %d is not above the sampling threshold", work(s))
		}
		err := Verify(s)
		var ve *VerifyError
		if !errors.As(err, &ve) || !ve.Sampled || !strings.Contains(err.Error(), "random matrices") {
			t.Errorf("%v: Verify = %v, want a sampled failure", field, err)
		}
	}
	for _, s := range []*Scheme{strassen(t), Standard(Format{3, 4, 5}, Z2), Standard(Format{3, 2, 4}, Q)} {
		if err := verifySampled(s); err != nil {
			t.Errorf("%v %v: sampled check fails a correct scheme: %v", s.Format, s.Field, err)
		}
		bad := s.Clone()
		bad.Terms[0].W[0] = Int(0)
		if err := verifySampled(bad); err == nil {
			t.Errorf("%v %v: sampled check passes a broken scheme", s.Format, s.Field)
		}
	}
}

// BenchmarkVerify verifies a few of the largest published schemes.
func BenchmarkVerify(b *testing.B) {
	dir := sharedDir(b)
	for _, name := range []string{"4x4x4_r47_Z2", "5x5x5_r98_Z", "10x10x10_r682_Z", "11x12x12_r990_Q"} {
		s, err := ReadFile(dir + "/published/alphatensor/" + name + ".txt")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := Verify(s); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.Rank()), "terms")
		})
	}
}
