package ternary

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

// BenchmarkFlip measures flips per second of one walker on a plateau (see
// walktest.BenchFlip).
func BenchmarkFlip(b *testing.B) {
	walktest.BenchFlip(b, contract, walktest.Cubes)
}

func BenchmarkTries(b *testing.B) { walktest.BenchTries(b, contract, walktest.Cubes) }

// BenchmarkFlipWide is BenchmarkFlip on formats whose factors need two
// words (9x9x9) or four (16x16x16).
func BenchmarkFlipWide(b *testing.B) {
	walktest.BenchFlip(b, contract, []tensorgame.Format{{N: 9, M: 9, P: 9}, {N: 16, M: 16, P: 16}})
}

// targets are AlphaTensor's ranks in standard arithmetic for n, m, p <= 4,
// plus 3x4x5.
var targets = []struct {
	f      tensorgame.Format
	target int
}{
	{tensorgame.Format{N: 2, M: 2, P: 2}, 7},
	{tensorgame.Format{N: 2, M: 2, P: 3}, 11},
	{tensorgame.Format{N: 2, M: 2, P: 4}, 14},
	{tensorgame.Format{N: 2, M: 3, P: 3}, 15},
	{tensorgame.Format{N: 2, M: 3, P: 4}, 20},
	{tensorgame.Format{N: 2, M: 4, P: 4}, 26},
	{tensorgame.Format{N: 3, M: 3, P: 3}, 23},
	{tensorgame.Format{N: 3, M: 3, P: 4}, 29},
	{tensorgame.Format{N: 3, M: 4, P: 4}, 38},
	{tensorgame.Format{N: 4, M: 4, P: 4}, 49},
	{tensorgame.Format{N: 3, M: 4, P: 5}, 47},
}

// descend runs workers walkers from the standard algorithm until one holds
// a scheme of rank <= target or limit passes, sharing a small pool of the
// best schemes: a walker that makes pathLimit flips without improving on
// its path restarts from a pool scheme, and plus transitions stay within
// two ranks of the best. It is a compact stand-in for the search driver. It
// returns the best scheme, the flips made and the time to the target (0
// when missed).
func descend(f tensorgame.Format, target, workers int, seed uint64, limit time.Duration, pathLimit int64) (*tensorgame.Scheme, int64, time.Duration) {
	return descendWith(f, target, workers, seed, limit, pathLimit, Options{Extra: 4}, 2)
}

func descendWith(f tensorgame.Format, target, workers int, seed uint64, limit time.Duration, pathLimit int64, opts Options, above int) (*tensorgame.Scheme, int64, time.Duration) {
	var (
		mu    sync.Mutex
		pool  []*tensorgame.Scheme
		best  = f.Naive()
		flips atomic.Int64
		done  atomic.Bool
		took  time.Duration
	)
	start := time.Now()
	var wg sync.WaitGroup
	for id := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := New(f, seed*1000+uint64(id), opts)
			if err != nil {
				panic(err)
			}
			if err := w.Start(tensorgame.Standard(f, tensorgame.Z)); err != nil {
				panic(err)
			}
			rng := wyrand.Rand{S: seed*7919 + uint64(id)}
			pathBest, since := w.Rank(), int64(0)
			for !done.Load() && time.Since(start) < limit {
				mu.Lock()
				b := best
				mu.Unlock()
				n := w.Walk(1<<16, b-1, b+above)
				flips.Add(n)
				since += n
				r := w.Rank()
				if r < pathBest {
					pathBest, since = r, 0
				}
				mu.Lock()
				switch {
				case r < best:
					best, pool = r, []*tensorgame.Scheme{w.Scheme()}
					if r <= target && !done.Load() {
						took = time.Since(start)
						done.Store(true)
					}
				case r == best && len(pool) < 16 && since == 0:
					pool = append(pool, w.Scheme())
				}
				var restart *tensorgame.Scheme
				if (n == 0 || since >= pathLimit) && len(pool) > 0 {
					restart = pool[wyrand.Below(rng.Next(), len(pool))]
				}
				mu.Unlock()
				if restart != nil {
					if err := w.Start(restart); err != nil {
						panic(err)
					}
					pathBest, since = w.Rank(), 0
				}
			}
		}()
	}
	wg.Wait()
	var out *tensorgame.Scheme
	if len(pool) > 0 {
		out = pool[0]
	}
	return out, flips.Load(), took
}

// BenchmarkDescent measures the time and flips two walkers sharing a pool
// (see descend) take from the standard algorithm to each target rank
// (seeds 1..b.N). Each run is bounded by ALPHAMAT_DESCENT_LIMIT (default
// 60s); ALPHAMAT_DESCENT_FORMAT picks formats (comma-separated). Runs that miss are
// counted in "missed" and logged with the rank they reached.
func BenchmarkDescent(b *testing.B) {
	limit := time.Minute
	if s := os.Getenv("ALPHAMAT_DESCENT_LIMIT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatal(err)
		}
		limit = d
	}
	only := os.Getenv("ALPHAMAT_DESCENT_FORMAT")
	for _, c := range targets {
		if only != "" && !slices.Contains(strings.Split(only, ","), c.f.String()) {
			continue
		}
		b.Run(fmt.Sprintf("%v-%d", c.f, c.target), func(b *testing.B) {
			var flips int64
			var took time.Duration
			missed := 0
			for i := range b.N {
				s, n, d := descend(c.f, c.target, 2, uint64(i+1), limit, 20_000_000)
				if s == nil || s.Rank() > c.target {
					missed++
					b.Logf("%v seed %d: best rank %d after %v (%d flips)", c.f, i+1, s.Rank(), limit, n)
					continue
				}
				if err := tensorgame.Verify(s); err != nil {
					b.Fatal(err)
				}
				if m, _ := s.MaxAbs(); m > 1 {
					b.Fatalf("coefficient %d outside {-1, 0, 1}", m)
				}
				flips += n
				took += d
			}
			if hit := b.N - missed; hit > 0 {
				b.ReportMetric(float64(flips)/float64(hit), "flips/op")
				b.ReportMetric(took.Seconds()/float64(hit), "s/op")
			}
			b.ReportMetric(float64(missed), "missed")
		})
	}
}
