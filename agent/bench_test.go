package agent

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/models"
	"github.com/alphamat/alphamat/tensorgame"
)

// benchNet returns a network of the default size for f with random weights.
func benchNet(b *testing.B, f tensorgame.Format) *Net {
	b.Helper()
	n, err := NewNet(ConfigFor(f, tensorgame.Z2), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkSearch measures simulations per second of one game's search
// with the default network, unbatched, on 2×2×2 and 3×3×3.
func BenchmarkSearch(b *testing.B) {
	for _, f := range []tensorgame.Format{{N: 2, M: 2, P: 2}, {N: 3, M: 3, P: 3}} {
		b.Run(f.String(), func(b *testing.B) {
			net := benchNet(b, f)
			ctx := context.Background()
			sims := 0
			for b.Loop() {
				g := tensorgame.NewGame(f, tensorgame.Z2, f.Naive())
				s := mcts.NewSearch(g, mcts.Direct{Evaluator: net}, mcts.Config{Simulations: 100, Samples: 32}, rand.New(rand.NewPCG(2, 2)))
				if _, err := s.Step(ctx); err != nil {
					b.Fatal(err)
				}
				sims += 100
			}
			b.ReportMetric(float64(sims)/b.Elapsed().Seconds(), "sims/s")
		})
	}
}

// BenchmarkEvaluate measures the network's batched forward pass per state.
func BenchmarkEvaluate(b *testing.B) {
	for _, batch := range []int{1, 16, 64} {
		f := tensorgame.Format{N: 3, M: 3, P: 3}
		b.Run(f.String()+"/batch="+itoa(batch), func(b *testing.B) {
			net := benchNet(b, f)
			g := tensorgame.NewGame(f, tensorgame.Z2, 27)
			states := make([]tensorgame.State, batch)
			for i := range states {
				states[i] = g.Start()
			}
			for b.Loop() {
				if _, _, err := net.Evaluate(context.Background(), states); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "us/state")
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// BenchmarkHeldOut measures the solve rate on the held-out synthetic set
// (200 tensors, formats 2×2×2…3×3×3, ranks 3..10, never trained on) at
// equal simulation budget for the shipped 3×3×3 network and for the same
// search with a uniform prior and zero value, each with and without the
// rank-bound lookahead. Run it once:
//
//	go test -run XXX -bench HeldOut -benchtime 1x ./agent/
func BenchmarkHeldOut(b *testing.B) {
	net := shippedNet(b, tensorgame.Format{N: 3, M: 3, P: 3})
	demos := HeldOut(200, tensorgame.Z2)
	workers := 8 * runtime.GOMAXPROCS(0)
	for _, tc := range []struct {
		name      string
		network   bool
		lookahead float64
	}{
		{"network", true, 0},
		{"uniform", false, 0},
		{"network+lookahead", true, 2},
		{"uniform+lookahead", false, 2},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var ev mcts.StateEvaluator = mcts.Uniform{}
			if tc.network {
				bt := mcts.NewBatcher(net, workers, 1)
				defer bt.Close()
				ev = bt
			}
			cfg := mcts.Config{Simulations: 100, Samples: 32, Lookahead: tc.lookahead}
			var res HeldOutResult
			for b.Loop() {
				var err error
				res, err = SolveHeldOut(context.Background(), demos, tensorgame.Z2, ev, cfg, workers, 1)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Solved)/float64(res.Problems), "solved")
			b.ReportMetric(res.MeanFound(), "rank")
			b.ReportMetric(float64(res.Search.Simulations)/b.Elapsed().Seconds()*float64(b.N), "sims/s")
			line := ""
			for r := 3; r <= 10; r++ {
				c := res.ByRank[r]
				line += fmt.Sprintf(" r%d:%d/%d", r, c[1], c[0])
			}
			b.Logf("%s solved %d/%d (mean rank found %.2f, of those problems' demonstrations %.2f) by rank:%s",
				tc.name, res.Solved, res.Problems, res.MeanFound(), meanDemoRank(res), line)
		})
	}
}

// meanDemoRank returns the mean rank of the demonstrations of the solved
// problems: what MeanFound is at most.
func meanDemoRank(res HeldOutResult) float64 {
	sum := 0
	for r, c := range res.ByRank {
		sum += r * c[1]
	}
	if res.Solved == 0 {
		return 0
	}
	return float64(sum) / float64(res.Solved)
}

// shippedNet loads the shipped model that fits f over Z2.
func shippedNet(b *testing.B, f tensorgame.Format) *Net {
	b.Helper()
	m, ok := models.For(f, tensorgame.Z2)
	if !ok {
		b.Skipf("no shipped model fits %v", f)
	}
	data, err := models.Open(m.Name)
	if err != nil {
		b.Fatal(err)
	}
	n, err := ReadNet(bytes.NewReader(data), m.Name)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkPlay measures simulations per second of mcts.Play on 2×2×2
// with the shipped network behind a Batcher and the rank-bound lookahead
// (the settings of alphamat play), all cores, limit 7.
func BenchmarkPlay(b *testing.B) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	net := shippedNet(b, f)
	workers := 4 * runtime.GOMAXPROCS(0)
	bt := mcts.NewBatcher(net, workers, 1)
	defer bt.Close()
	var st mcts.PlayStats
	cpu0 := cpuTime()
	for b.Loop() {
		s, err := mcts.Play(context.Background(), mcts.PlayConfig{
			Format: f, Field: tensorgame.Z2, Workers: workers, Games: workers, Limit: 7, FixedLimit: true,
			Search: mcts.Config{Simulations: 100, Samples: 32, Lookahead: 2},
		}, bt, nil)
		if err != nil {
			b.Fatal(err)
		}
		st.Search.Add(s.Search)
	}
	b.ReportMetric(float64(st.Search.Simulations)/b.Elapsed().Seconds(), "sims/s")
	reportCPU(b, cpu0, float64(st.Search.Simulations), "sims/cpu-s")
	b.ReportMetric(bt.Stats().MeanBatch(), "batch")
}

// BenchmarkSample measures one expansion's sampling: a fresh policy of
// the shipped 2x2x2 network on T(2,2,2) drawing 128 actions (the
// lookahead pool of 4·32), as mcts.Search.expand does.
func BenchmarkSample(b *testing.B) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	net := shippedNet(b, f)
	g := tensorgame.NewGame(f, tensorgame.Z2, 7)
	ps, _, err := net.Evaluate(context.Background(), []tensorgame.State{g.Start()})
	if err != nil {
		b.Fatal(err)
	}
	base := ps[0].(*policy).base
	rng := rand.New(rand.NewPCG(3, 3))
	var s mcts.Samples
	cpu0 := cpuTime()
	for b.Loop() {
		s.Reset(g.Target.A, g.Target.B, g.Target.C)
		net.newPolicy(base, g.Target).Sample(rng, 128, &s)
	}
	reportCPU(b, cpu0, 0, "")
}

// reportCPU reports the process's CPU time since cpu0 per operation and,
// with a unit, work per CPU-second: on a shared machine, steadier than the
// wall-clock rates.
func reportCPU(b *testing.B, cpu0 time.Duration, work float64, unit string) {
	cpu := cpuTime() - cpu0
	if cpu <= 0 {
		return
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	if unit != "" {
		b.ReportMetric(work/cpu.Seconds(), unit)
	}
}
