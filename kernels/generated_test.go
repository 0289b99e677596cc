package kernels_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/kernels/gen"
)

// TestGeneratedUpToDate regenerates the kernel files in memory from
// ../schemes and fails if a file on disk differs or is missing, or if a
// generated file is no longer produced (like cmd/go's TestDocsUpToDate).
// Run "go generate ./kernels" to fix it.
func TestGeneratedUpToDate(t *testing.T) {
	root := moduleRoot(t)
	files, err := gen.RenderShipped(root)
	if err != nil {
		t.Fatal(err)
	}
	marker := regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, "kernels", name))
		if err != nil {
			t.Errorf("%v: run go generate ./kernels", err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("kernels/%s is stale: run go generate ./kernels", name)
		}
		if !marker.Match(want[:bytes.IndexByte(want, '\n')+1]) {
			t.Errorf("kernels/%s: first line is not a generated-code marker", name)
		}
	}
	onDisk, err := filepath.Glob(filepath.Join(root, "kernels", "gen_*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range onDisk {
		name := filepath.Base(path)
		if _, ok := files[name]; !ok && !strings.HasSuffix(name, "_test.go") {
			t.Errorf("kernels/%s is not generated any more: delete it", name)
		}
	}
}
