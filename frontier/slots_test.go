package frontier

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/tensorgame"
)

// TestRunSlots runs searches that take 100 ms and find nothing, three at a
// time, on 3x3x3 (and 3x3x4, 4x4x4, as scope) over Z2 with best known ranks
// no one reaches, and counts the searches in flight: at most Slots of them,
// of distinct formats unless Twice, and with Twice every slot busy.
func TestRunSlots(t *testing.T) {
	known := []ranks.Known{{Format: fm(3, 3, 3), Z2: 1, ZT: 1, Z: 1, Q: 1}, {Format: fm(4, 4, 4), Z2: 1, ZT: 1, Z: 1, Q: 1}}
	for _, c := range []struct {
		formats []tensorgame.Format
		twice   bool
		most    int // searches in flight at most
	}{
		{[]tensorgame.Format{fm(3, 3, 3)}, false, 1},
		{[]tensorgame.Format{fm(3, 3, 3)}, true, 3},
		{[]tensorgame.Format{fm(3, 3, 3), fm(3, 3, 4), fm(4, 4, 4)}, false, 3},
	} {
		t.Run(fmt.Sprint(c.formats, c.twice), func(t *testing.T) {
			var (
				mu             sync.Mutex
				inflight, most int
				per            = map[tensorgame.Format]int{}
				seeds          = map[uint64]bool{}
			)
			fake := func(ctx context.Context, cfg search.Config) (search.Result, error) {
				mu.Lock()
				inflight++
				per[cfg.Format]++
				most = max(most, inflight)
				if per[cfg.Format] > 1 && !c.twice {
					t.Errorf("%v searched twice at once", cfg.Format)
				}
				if seeds[cfg.Seed] {
					t.Errorf("seed %d used twice", cfg.Seed)
				}
				seeds[cfg.Seed] = true
				mu.Unlock()
				select {
				case <-time.After(100 * time.Millisecond):
				case <-ctx.Done():
				}
				mu.Lock()
				inflight--
				per[cfg.Format]--
				mu.Unlock()
				return search.Result{Stopped: "time"}, nil
			}
			cfg := Config{Formats: c.formats, Fields: []tensorgame.Field{tensorgame.Z2}, Dir: t.TempDir(),
				Time: 1500 * time.Millisecond, Slice: time.Hour, Known: known, Search: fake,
				Slots: func() int { return 3 }, Twice: c.twice}
			if _, err := Run(context.Background(), cfg); err != nil {
				t.Fatal(err)
			}
			if most != c.most {
				t.Errorf("%d searches in flight at most, want %d", most, c.most)
			}
		})
	}
}
