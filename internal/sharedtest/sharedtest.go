// Package sharedtest finds the project's read-only ground truth for tests:
// the folder shared/ beside the module root (published schemes, the ranks
// table). Tests that need it skip with a message when it is absent.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// SkipMessage is the reason tests give when shared/ is absent.
const SkipMessage = "../shared not found: published schemes are not available"

// Find returns the path of shared/ beside the module root that holds the
// working directory, or "" when there is none (or it has no published/).
func Find() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "published")); err != nil {
		return ""
	}
	return shared
}

// Dir returns the path of shared/, or skips the test when it is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	d := Find()
	if d == "" {
		tb.Skip(SkipMessage)
	}
	return d
}
