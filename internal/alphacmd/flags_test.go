package alphacmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestWorkersBound gives every command that starts workers a count above
// the bound: each refuses it with a usage error naming the flag and the
// bound, before any work (100000 search workers took 630 MB and ran five
// times past --time).
func TestWorkersBound(t *testing.T) {
	over := fmt.Sprint(maxWorkers() + 1)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"search", "2x2x2", "--time", "1s", "--run", dir + "/s", "--workers", over},
		{"bench", "search", "--formats", "2x2x2", "--time", "1s", "--workers", "1," + over},
		{"reproduce", "--formats", "2x2x2", "--budget", "1s", "--run", dir + "/r", "--workers", over},
		{"train", "2x2x2", "--time", "1s", "--run", dir + "/t", "--workers", over},
		{"play", "2x2x2", "--time", "1s", "--run", dir + "/p", "--games", over},
	} {
		_, _, err := execRoot(context.Background(), t, args...)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), over) || !strings.Contains(err.Error(), fmt.Sprint(maxWorkers())) {
			t.Errorf("%s: error %v, want a usage error naming %s and the bound %d", strings.Join(args, " "), err, over, maxWorkers())
		}
	}
}
