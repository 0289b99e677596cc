package mcts

import (
	"context"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// Blocks partitions the entries into parts that sum to the tensor and
// share no coordinate of either axis of the pair.
func TestBlocks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		t     *tensorgame.Tensor
		x, y  int
		parts int
	}{
		// T(n,m,p): a_ik ⊗ b_kj ⊗ c_ij. Along (B, C) the parts are the
		// p columns j, along (A, B) the m indices k, along (A, C) the n
		// rows i.
		{"224-BC", tensorgame.MatMul(tensorgame.Format{N: 2, M: 2, P: 4}), 1, 2, 4},
		{"224-AB", tensorgame.MatMul(tensorgame.Format{N: 2, M: 2, P: 4}), 0, 1, 2},
		{"224-AC", tensorgame.MatMul(tensorgame.Format{N: 2, M: 2, P: 4}), 0, 2, 2},
		{"333-BC", tensorgame.MatMul(tensorgame.Format{N: 3, M: 3, P: 3}), 1, 2, 3},
		{"111", tensorgame.MatMul(tensorgame.Format{N: 1, M: 1, P: 1}), 0, 1, 1},
		{"zero", tensorgame.NewTensor(2, 3, 4), 0, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := Blocks(tc.t, tc.x, tc.y)
			if len(parts) != tc.parts {
				t.Fatalf("%d parts, want %d", len(parts), tc.parts)
			}
			sum := tensorgame.NewTensor(tc.t.A, tc.t.B, tc.t.C)
			var owner [3]map[int]int
			for m := range owner {
				owner[m] = map[int]int{}
			}
			for p, part := range parts {
				for _, e := range part {
					if sum.Data[e] != 0 {
						t.Fatalf("entry %d in two parts", e)
					}
					sum.Data[e] = tc.t.Data[e]
					c := [3]int{e / (tc.t.B * tc.t.C), e / tc.t.C % tc.t.B, e % tc.t.C}
					for _, m := range []int{tc.x, tc.y} {
						if q, ok := owner[m][c[m]]; ok && q != p {
							t.Fatalf("parts %d and %d share coordinate %d of axis %d", q, p, c[m], m)
						}
						owner[m][c[m]] = p
					}
				}
			}
			if !sum.Equal(tc.t) {
				t.Fatal("the parts do not sum to the tensor")
			}
		})
	}
}

// The splitter of T(2,2,4) plays each cropped tensor once: the six pairs
// of columns (T(2,2,2) each) share one class.
func TestSplitterClasses(t *testing.T) {
	s, err := newSplitter(tensorgame.MatMul(tensorgame.Format{N: 2, M: 2, P: 4}), tensorgame.Z2, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[int]bool{}
	for _, tg := range s.targets {
		if len(tg.idx[1]) == 4 && len(tg.idx[2]) == 4 && len(tg.idx[0]) == 4 {
			pairs[tg.class] = true
		}
	}
	if len(pairs) != 1 {
		t.Errorf("the column pairs fall into %d classes, want 1", len(pairs))
	}
	if got := len(s.targets[0].splits); got != 7+1+1 {
		t.Errorf("root has %d splits, want 9 (7 groupings of 4 columns, 1 of 2 rows, 1 of 2 inner indices)", got)
	}
	for _, cl := range s.classes {
		if cl.lower > cl.upper {
			t.Errorf("class %dx%dx%d: lower bound %d above upper %d", cl.crop.A, cl.crop.B, cl.crop.C, cl.lower, cl.upper)
		}
	}
}

// A split Play finds a scheme through the parts alone when the target
// itself is not playable, and never plays the target.
func TestSplitPlayParts(t *testing.T) {
	for _, f := range []tensorgame.Format{{N: 2, M: 2, P: 2}, {N: 1, M: 2, P: 3}} {
		t.Run(f.String(), func(t *testing.T) {
			n := f.Naive()
			rootGames := 0
			var found *tensorgame.Scheme
			st, err := Play(context.Background(), PlayConfig{
				Format: f, Field: tensorgame.Z2, Workers: 2, Games: 200, Seed: 1,
				Search:   Config{Simulations: 20, Samples: 8, StopOnSolve: true},
				Split:    true,
				Playable: func(t *tensorgame.Tensor) bool { return t.NonZeros() < n },
				OnGame:   func(Job, *Result) error { rootGames++; return nil },
			}, Uniform{}, func(s *tensorgame.Scheme) error { found = s; return nil })
			if err != nil {
				t.Fatal(err)
			}
			if found == nil {
				t.Fatalf("no scheme (stats %+v)", st)
			}
			mustVerify(t, found)
			if found.Rank() > n {
				t.Errorf("rank %d above n·m·p = %d", found.Rank(), n)
			}
			if rootGames != 0 {
				t.Errorf("%d games on the unplayable target", rootGames)
			}
			if st.SplitTargets == 0 || st.SplitGames != st.Games {
				t.Errorf("%d games, %d of them on %d sub-targets: want all on sub-targets", st.Games, st.SplitGames, st.SplitTargets)
			}
		})
	}
}

// Without Split, an unplayable target is an error.
func TestPlayUnplayable(t *testing.T) {
	_, err := Play(context.Background(), PlayConfig{
		Format: f222, Field: tensorgame.Z2, Workers: 1, Games: 1, Seed: 1,
		Playable: func(*tensorgame.Tensor) bool { return false },
	}, Uniform{}, nil)
	if err == nil {
		t.Fatal("no error")
	}
}
