package search

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// timeToRankCases are the formats and Z2 target ranks BenchmarkTimeToRank times.
var timeToRankCases = []struct {
	f      tensorgame.Format
	target int
}{
	{format(2, 2, 2), 7},
	{format(3, 3, 3), 23},
	{format(2, 3, 4), 20},
	{format(3, 3, 4), 29},
	{format(4, 4, 4), 49},
	{format(3, 4, 5), 47},
	{format(4, 4, 5), 63},
	{format(4, 5, 5), 76},
}

// BenchmarkTimeToRank runs b.N searches (seeds 1..b.N) with two workers
// from the standard algorithm to the target, each bounded by ttrLimit, and
// reports the median time and flips to the target (a search that misses it
// counts as ttrLimit) and the fraction that reached it. Run it with
// -benchtime 10x for a median over 10 seeds.
func BenchmarkTimeToRank(b *testing.B) {
	const ttrLimit = 2 * time.Minute
	for _, c := range timeToRankCases {
		b.Run(fmt.Sprintf("%v-%d", c.f, c.target), func(b *testing.B) {
			var ds []time.Duration
			var fs []int64
			reached := 0
			for i := range b.N {
				ctx, cancel := context.WithTimeout(context.Background(), ttrLimit)
				d, flips, err := TimeToRank(ctx, c.f, tensorgame.Z2, c.target, 2, uint64(i+1))
				cancel()
				if err != nil {
					d = ttrLimit
				} else {
					reached++
				}
				ds = append(ds, d)
				fs = append(fs, flips)
			}
			slices.Sort(ds)
			slices.Sort(fs)
			b.ReportMetric(ds[len(ds)/2].Seconds(), "median-s")
			b.ReportMetric(ds[len(ds)-1].Seconds(), "max-s")
			b.ReportMetric(float64(fs[len(fs)/2]), "median-flips")
			b.ReportMetric(float64(reached)/float64(b.N), "reached")
		})
	}
}
