package tensorgame

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/internal/sharedtest"
)

// sharedDir returns testdata/ at the module root; the test fails when it
// is absent.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	return sharedtest.Dir(tb)
}

// publishedFiles returns every published scheme file (*.txt, recursively)
// under testdata/published/<sub>.
func publishedFiles(tb testing.TB, sub string) []string {
	tb.Helper()
	root := filepath.Join(sharedDir(tb), "published", sub)
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".txt") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Fatalf("no scheme files under %s", root)
	}
	return files
}

// strassenText is Strassen's algorithm (1969) in the text format.
const strassenText = `# Strassen 1969
# size: n=2 m=2 p=2
# rank: 7
# field: Z
1 0 0 1 ; 1 0 0 1 ; 1 0 0 1
0 0 1 1 ; 1 0 0 0 ; 0 0 1 -1
1 0 0 0 ; 0 1 0 -1 ; 0 1 0 1
0 0 0 1 ; -1 0 1 0 ; 1 0 1 0
1 1 0 0 ; 0 0 0 1 ; -1 1 0 0
-1 0 1 0 ; 1 1 0 0 ; 0 0 0 1
0 1 0 -1 ; 0 0 1 1 ; 1 0 0 0
`

func strassen(tb testing.TB) *Scheme {
	tb.Helper()
	s, err := Parse(strings.NewReader(strassenText), "strassen")
	if err != nil {
		tb.Fatal(err)
	}
	if err := Verify(s); err != nil {
		tb.Fatalf("Strassen does not verify: %v", err)
	}
	return s
}
