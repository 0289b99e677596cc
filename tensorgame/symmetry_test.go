package tensorgame

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// TestSymmetriesSmall checks Cyclic and Transpose on the standard algorithm
// of a rectangular format and on Strassen: the images verify, and a broken
// scheme stays broken.
func TestSymmetriesSmall(t *testing.T) {
	for _, s := range []*Scheme{Standard(Format{2, 3, 4}, Z), Standard(Format{1, 2, 5}, Z2), strassen(t)} {
		for name, sym := range map[string]func(*Scheme) *Scheme{"Cyclic": Cyclic, "Transpose": Transpose} {
			img := sym(s)
			if err := Verify(img); err != nil {
				t.Errorf("%s of %v: %v", name, s.Format, err)
			}
			bad := s.Clone()
			bad.Terms[0].U[0] = bad.Terms[0].U[0].Add(Int(1))
			if s.Field == Z2 {
				bad.Terms[0].U[0] = mod2(bad.Terms[0].U[0])
			}
			if Verify(sym(bad)) == nil {
				t.Errorf("%s of a broken %v scheme verifies", name, s.Format)
			}
		}
	}
	if got := Cyclic(Standard(Format{2, 3, 4}, Z)).Format; got != (Format{3, 4, 2}) {
		t.Errorf("Cyclic format %v, want 3x4x2", got)
	}
	if got := Transpose(Standard(Format{2, 3, 4}, Z)).Format; got != (Format{4, 3, 2}) {
		t.Errorf("Transpose format %v, want 4x3x2", got)
	}
}

func TestMatrixInverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, field := range []Field{Z2, Z, Q} {
		for n := 1; n <= 6; n++ {
			m := RandomBasis(rng, n, field)
			inv, err := m.Inverse(field)
			if err != nil {
				t.Fatalf("%v n=%d: %v", field, n, err)
			}
			prod := matMul(m.Data, inv.Data, n, n, n)
			for i := range prod {
				if field == Z2 {
					prod[i] = mod2(prod[i])
				}
				if prod[i] != Identity(n).Data[i] {
					t.Fatalf("%v n=%d: M·M⁻¹ is not the identity: %v", field, n, prod)
				}
			}
		}
	}
	singular := Matrix{N: 2, Data: []Rat{Int(1), Int(2), Int(2), Int(4)}}
	if _, err := singular.Inverse(Q); err == nil || !strings.Contains(err.Error(), "singular") {
		t.Errorf("singular matrix: %v", err)
	}
	// det 2: invertible over Q, not over Z, singular over Z2.
	two := Matrix{N: 2, Data: []Rat{Int(1), Int(1), Int(-1), Int(1)}}
	if _, err := two.Inverse(Q); err != nil {
		t.Errorf("over Q: %v", err)
	}
	if _, err := two.Inverse(Z); err == nil || !strings.Contains(err.Error(), "not unimodular") {
		t.Errorf("over Z: %v, want not unimodular", err)
	}
	if _, err := two.Inverse(Z2); err == nil {
		t.Error("over Z2: a matrix of determinant 2 is invertible")
	}
}

// TestChangeBasis applies random changes of basis to small published
// schemes (and Strassen) over their own field: every image verifies, and
// applying the inverse change gives the scheme back.
func TestChangeBasis(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	schemes := []*Scheme{strassen(t), Standard(Format{2, 3, 2}, Q)}
	dir := sharedDir(t)
	for _, name := range []string{"2x2x3_r11_Z2", "3x3x3_r23_Z", "2x3x4_r20_Z2", "3x4x11_r103_Q"} {
		s, err := ReadFile(filepath.Join(dir, "published", "alphatensor", name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		schemes = append(schemes, s)
	}
	for _, s := range schemes {
		f := s.Format
		x, y, z := RandomBasis(rng, f.N, s.Field), RandomBasis(rng, f.M, s.Field), RandomBasis(rng, f.P, s.Field)
		img, err := ChangeBasis(s, x, y, z)
		if err != nil {
			t.Fatalf("%v %v: %v", f, s.Field, err)
		}
		if err := Verify(img); err != nil {
			t.Errorf("%v %v: image does not verify: %v", f, s.Field, err)
		}
		xi, _ := x.Inverse(s.Field)
		yi, _ := y.Inverse(s.Field)
		zi, _ := z.Inverse(s.Field)
		back, err := ChangeBasis(img, xi, yi, zi)
		if err != nil {
			t.Fatal(err)
		}
		if !back.Equal(s) {
			t.Errorf("%v %v: the inverse change of basis does not give the scheme back", f, s.Field)
		}
		// A broken scheme stays broken.
		bad := s.Clone()
		bad.Terms = bad.Terms[1:]
		if img, err := ChangeBasis(bad, x, y, z); err != nil || Verify(img) == nil {
			t.Errorf("%v %v: change of basis of a broken scheme verifies (err %v)", f, s.Field, err)
		}
	}
	s := strassen(t)
	if _, err := ChangeBasis(s, Identity(3), Identity(2), Identity(2)); err == nil || !strings.Contains(err.Error(), "X is 3×3, want 2×2") {
		t.Errorf("wrong size: %v", err)
	}
	det2 := Matrix{N: 2, Data: []Rat{Int(1), Int(1), Int(-1), Int(1)}}
	if _, err := ChangeBasis(s, Identity(2), det2, Identity(2)); err == nil || !strings.Contains(err.Error(), "Y: matrix is not unimodular") {
		t.Errorf("non-unimodular over Z: %v", err)
	}
	sq := s.Clone()
	sq.Field = Q
	img, err := ChangeBasis(sq, Identity(2), det2, Identity(2))
	if err != nil || Verify(img) != nil {
		t.Errorf("determinant-2 basis over Q: %v", err)
	}
}
