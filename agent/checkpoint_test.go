package agent

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// TestReadNetHostile reads checkpoints whose config claims a huge network
// but which hold few weights: ReadNet must fail with an error naming the
// file, having allocated little more than the file holds.
func TestReadNetHostile(t *testing.T) {
	small := DefaultConfig(4, 4, 4, tensorgame.Z2)
	good := newNet(small).checkpoint()
	for _, c := range []struct {
		name string
		ck   *checkpoint
		want string
	}{
		{"hidden 20000", &checkpoint{Config: Config{Field: tensorgame.Z2, A: 4, B: 4, C: 4, Hidden: 20000, Layers: 2, Head: 8}}, "hidden"},
		{"layers 1e6", &checkpoint{Config: Config{Field: tensorgame.Z2, A: 4, B: 4, C: 4, Hidden: 64, Layers: 1e6, Head: 8}}, "layers"},
		{"head 1e6", &checkpoint{Config: Config{Field: tensorgame.Z2, A: 4, B: 4, C: 4, Hidden: 64, Layers: 1, Head: 1e6}}, "head"},
		{"largest config, no weights", &checkpoint{Config: Config{Field: tensorgame.Z, A: 64, B: 64, C: 64, Hidden: maxHidden, Layers: maxLayers, Head: maxHead}}, "weight tensors"},
		{"good names, short weights", &checkpoint{Config: small, Names: good.Names, Weights: make([][]float32, len(good.Names))}, "values"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := writeCheckpoint(&buf, c.ck); err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := ReadNet(&buf, "hostile.model")
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "hostile.model") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadNet: %v, want an error naming the file and %q", err, c.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
		})
	}
}
