// Package sharedtest finds the repository's test data for the tests of any
// package: the folder testdata/ at the module root, which holds the
// published schemes (testdata/published/alphatensor, .../flipgraph). A test
// that needs it fails when it is absent; it never skips.
package sharedtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Find returns the path of testdata/ at the root of the module that holds
// the working directory.
func Find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
	td := filepath.Join(dir, "testdata")
	if _, err := os.Stat(filepath.Join(td, "published")); err != nil {
		return "", fmt.Errorf("test data missing: %w", err)
	}
	return td, nil
}

// Dir returns the path of testdata/ at the module root; the test fails when
// it is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	d, err := Find()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}
