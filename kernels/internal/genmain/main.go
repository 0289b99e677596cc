// Command genmain regenerates the kernel files of package kernels from the
// scheme files in ../schemes. It is run by "go generate ./kernels" from the
// kernels directory.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/alphamat/alphamat/kernels/gen"
	"github.com/alphamat/alphamat/tensorgame"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genmain:", err)
		os.Exit(1)
	}
}

func run() error {
	// go generate runs in the directory of the package: kernels/.
	files, err := gen.RenderShipped("..")
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src := files[name]
		err := tensorgame.AtomicWrite(filepath.Join(".", name), func(w io.Writer) error {
			_, err := w.Write(src)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
