package walkkit

import "testing"

func TestTableSize(t *testing.T) {
	for _, c := range []struct {
		n     int
		size  int
		shift uint
	}{{0, 16, 60}, {16, 16, 60}, {17, 32, 59}, {100, 128, 57}, {4096, 4096, 52}, {4097, 8192, 51}} {
		if size, shift := TableSize(c.n); size != c.size || shift != c.shift {
			t.Errorf("TableSize(%d) = %d, %d, want %d, %d", c.n, size, shift, c.size, c.shift)
		}
	}
}
