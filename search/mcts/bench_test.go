package mcts_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/alphamat/alphamat/agent"
	"github.com/alphamat/alphamat/models"
	"github.com/alphamat/alphamat/search/flip"
	"github.com/alphamat/alphamat/search/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

// firstSeed lets BenchmarkShrinkWalk be run in pieces: iteration i uses
// seed firstSeed+i.
var firstSeed = flag.Uint64("shrinkwalk.seed", 1, "first seed of BenchmarkShrinkWalk")

// plateauPlus lets BenchmarkPlateauSubsets allow plus transitions (ceiling
// rank+2) on the plateau.
var plateauPlus = flag.Bool("plateau.plus", false, "BenchmarkPlateauSubsets: plus transitions on the plateau")

// shippedNet loads a model embedded in package models.
func shippedNet(b *testing.B, name string) *agent.Net {
	b.Helper()
	data, err := models.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	net, err := agent.ReadNet(bytes.NewReader(data), name)
	if err != nil {
		b.Fatal(err)
	}
	return net
}

// shrinkVariant is one way of calling Shrink on a plateau.
type shrinkVariant struct {
	name string
	ev   func(b *testing.B) mcts.StateEvaluator // nil: plain flips
	axes [3]int
}

// BenchmarkShrinkWalk measures whether Shrink, the tree search as a move
// inside the flip search, lowers the time to a rank on 4×4×4 over Z2.
// Each iteration is one seed (seeds 1, 2, ..., or from -shrinkwalk.seed): a flip.Walker starts at
// the standard algorithm (rank 64) and walks in chunks of 100k flips
// (plus transitions after 10k flips without a reduction, ceiling rank+2
// over the best); in the shrink variants, every time the rank has not
// dropped for Plateau flips, Shrink (64 candidate subsets, K = 4 and 5 in turn: the sizes
// BenchmarkPlateauSubsets finds reducible subsets of) is tried on the
// current scheme and the walker restarts from its result when it succeeds.
// A seed that has not reached the target after MaxFlips counts as a miss.
// Reported: median flips and seconds to the target over the seeds that
// reached it, misses, and per seed the Shrink calls, their successes, the
// successes that took the rank below the best the walk had reached (others
// only undo plus transitions), subsets searched and games played. Run with
// -benchtime=5x for five seeds, e.g.
//
//	go test -run '^$' -bench 'ShrinkWalk/r49' -benchtime=5x -timeout 30m ./search/mcts/
func BenchmarkShrinkWalk(b *testing.B) {
	f := tensorgame.Format{N: 4, M: 4, P: 4}
	variants := []shrinkVariant{
		{name: "plain"},
		{name: "uniform", ev: func(*testing.B) mcts.StateEvaluator { return mcts.Uniform{} }},
		{name: "net222", ev: func(b *testing.B) mcts.StateEvaluator {
			return mcts.Direct{Evaluator: shippedNet(b, "2x2x2_Z2.model")}
		}, axes: [3]int{4, 4, 4}},
		{name: "net333", ev: func(b *testing.B) mcts.StateEvaluator {
			return mcts.Direct{Evaluator: shippedNet(b, "3x3x3_Z2.model")}
		}, axes: [3]int{9, 9, 9}},
	}
	for _, target := range []int{49, 48} {
		for _, v := range variants {
			b.Run(fmt.Sprintf("r%d/%s", target, v.name), func(b *testing.B) {
				var ev mcts.StateEvaluator
				if v.ev != nil {
					ev = v.ev(b)
				}
				var flips, secs []float64
				var misses, calls, ok, improved, searched, games int
				for i := range b.N {
					r := walkToRank(b, f, target, *firstSeed+uint64(i), ev, v.axes)
					calls += r.calls
					ok += r.ok
					improved += r.improved
					searched += r.searched
					games += r.games
					if !r.reached {
						misses++
						continue
					}
					flips = append(flips, float64(r.flips))
					secs = append(secs, r.elapsed.Seconds())
				}
				b.ReportMetric(median(flips), "median-flips")
				b.ReportMetric(median(secs), "median-s")
				b.ReportMetric(float64(misses), "misses")
				b.ReportMetric(float64(calls)/float64(b.N), "shrinks/op")
				b.ReportMetric(float64(ok)/float64(b.N), "shrunk/op")
				b.ReportMetric(float64(improved)/float64(b.N), "new-best/op")
				b.ReportMetric(float64(searched)/float64(b.N), "searched/op")
				b.ReportMetric(float64(games)/float64(b.N), "games/op")
			})
		}
	}
}

// The walk's settings.
const (
	chunk    = 100_000    // flips between plateau checks
	plateau  = 1_000_000  // flips without a drop before Shrink is tried
	maxFlips = 40_000_000 // a seed gives up after this many flips
)

type walkResult struct {
	reached                              bool
	flips                                int64
	elapsed                              time.Duration
	calls, ok, improved, searched, games int
}

func walkToRank(b *testing.B, f tensorgame.Format, target int, seed uint64, ev mcts.StateEvaluator, axes [3]int) walkResult {
	b.Helper()
	ctx := context.Background()
	w, err := flip.New(f, seed, flip.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := w.Start(tensorgame.Standard(f, tensorgame.Z2)); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	var res walkResult
	start := time.Now()
	best := w.Rank()
	var flat int64 // flips since best last dropped
	for w.Rank() > target && res.flips < maxFlips {
		n := w.Walk(chunk, target, best+2)
		res.flips += n
		flat += n
		if w.Rank() < best {
			best, flat = w.Rank(), 0
		}
		if n == 0 {
			break // stuck: no flip possible
		}
		if ev == nil || flat < plateau || w.Rank() <= target {
			continue
		}
		flat = 0
		res.calls++
		cfg := mcts.ShrinkConfig{
			K:          4 + (res.calls-1)%2,
			Candidates: 64,
			Games:      1,
			Axes:       axes,
			Search:     mcts.Config{Simulations: 100, Samples: 32, Lookahead: 2},
			Seed:       rng.Uint64(),
		}
		sr, err := mcts.Shrink(ctx, w.Scheme(), ev, cfg)
		if err != nil {
			b.Fatal(err)
		}
		res.searched += sr.Searched
		res.games += sr.Games
		if sr.Scheme == nil {
			continue
		}
		res.ok++
		if err := w.Start(sr.Scheme); err != nil {
			b.Fatal(err)
		}
		if w.Rank() < best {
			best = w.Rank()
			res.improved++
		}
	}
	res.elapsed = time.Since(start)
	res.reached = w.Rank() <= target
	return res
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	x = slices.Clone(x)
	slices.Sort(x)
	if len(x)%2 == 1 {
		return x[len(x)/2]
	}
	return (x[len(x)/2-1] + x[len(x)/2]) / 2
}

// BenchmarkPlateauSubsets measures how often the tree search finds a
// shrink that exists. Per iteration (one seed) a flip walker goes from the
// standard 4×4×4 algorithm to rank 50 and walks 2M flips more on that
// plateau (without plus transitions, whose three terms are always
// reducible, unless -plateau.plus); mcts.ReducibleSubsets then draws up to 400 subsets of 4 and of
// 5 terms as Shrink does and finds, exhaustively, those of rank below
// their size. ShrinkTerms (2 games, 100 simulations per move, K = 32,
// lookahead 2, as in BenchmarkShrinkWalk) is run on each. Reported per
// seed: subsets checked, reducible, and shrunk by the search. Run it once:
//
//	go test -run '^$' -bench PlateauSubsets -benchtime=2x ./search/mcts/
func BenchmarkPlateauSubsets(b *testing.B) {
	plusRoom := 0 // no plus transitions on the plateau: their terms would be reducible
	if *plateauPlus {
		plusRoom = 2
	}
	f := tensorgame.Format{N: 4, M: 4, P: 4}
	for _, v := range []shrinkVariant{
		{name: "uniform", ev: func(*testing.B) mcts.StateEvaluator { return mcts.Uniform{} }},
		{name: "net222", ev: func(b *testing.B) mcts.StateEvaluator {
			return mcts.Direct{Evaluator: shippedNet(b, "2x2x2_Z2.model")}
		}, axes: [3]int{4, 4, 4}},
	} {
		b.Run(v.name, func(b *testing.B) {
			ev := v.ev(b)
			var checked, reducible, shrunk, ranks int
			for i := range b.N {
				seed := *firstSeed + uint64(i)
				w, err := flip.New(f, seed, flip.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := w.Start(tensorgame.Standard(f, tensorgame.Z2)); err != nil {
					b.Fatal(err)
				}
				for w.Rank() > 50 {
					w.Walk(1_000_000, 50, w.Rank()+2)
				}
				w.Walk(2_000_000, 0, w.Rank()+plusRoom)
				s := w.Scheme()
				ranks += s.Rank()
				n, red, err := mcts.ReducibleSubsets(s, []int{4, 5}, 400, seed)
				if err != nil {
					b.Fatal(err)
				}
				checked += n
				reducible += len(red)
				for j, idx := range red {
					cfg := mcts.ShrinkConfig{Games: 2, Axes: v.axes, Seed: uint64(j),
						Search: mcts.Config{Simulations: 100, Samples: 32, Lookahead: 2}}
					sr, err := mcts.ShrinkTerms(context.Background(), s, idx, ev, cfg)
					if err != nil {
						b.Fatal(err)
					}
					if sr.Scheme != nil {
						shrunk++
					}
				}
			}
			b.ReportMetric(float64(ranks)/float64(b.N), "rank")
			b.ReportMetric(float64(checked)/float64(b.N), "checked/op")
			b.ReportMetric(float64(reducible)/float64(b.N), "reducible/op")
			b.ReportMetric(float64(shrunk)/float64(b.N), "shrunk/op")
		})
	}
}
