package reproduce

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/alphamat/alphamat/tensorgame"
)

// stateFile records the rows reproduced so far.
const stateFile = "rows.json"

// resume takes the rows that the state file done records as reproduced,
// and whose scheme files still hold, as done by an earlier run.
func (t *table) resume(runDir string, done map[string]Row) {
	for i := range t.rows {
		if prev, ok := done[key(t.rows[i])]; ok && prev.Reached && schemeHolds(runDir, prev) {
			prev.Resumed, prev.Status = true, StatusReproduced
			prev.format, prev.field = t.rows[i].format, t.rows[i].field
			t.rows[i] = prev
		}
	}
}

// save writes the rows reproduced so far into the state file, atomically.
func (t *table) save(dir string) error {
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	prev, err := readState(dir)
	if err != nil {
		return err
	}
	for _, r := range t.snapshot() {
		if r.Reached && !r.Resumed {
			prev[key(r)] = r
		}
	}
	return tensorgame.AtomicWrite(filepath.Join(dir, stateFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(prev)
	})
}

func readState(dir string) (map[string]Row, error) {
	path := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]Row{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reproduce: %w", err)
	}
	m := map[string]Row{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("reproduce: %s: %w", path, err)
	}
	return m, nil
}

// schemeHolds reports whether the scheme file a state row names is still
// there, of the row's format, field and rank, and verifies.
func schemeHolds(dir string, r Row) bool {
	if r.Scheme == "" {
		return false
	}
	s, err := tensorgame.ReadFile(filepath.Join(dir, r.Scheme))
	if err != nil || s.Format.String() != r.Format || s.Field.String() != r.Field || s.Rank() != r.Found {
		return false
	}
	return tensorgame.Verify(s) == nil
}
