package pool

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/alphamat/alphamat/tensorgame"
)

// StateFile is the name of the state file in a run directory.
const StateFile = "state.json"

// State is what a run directory remembers about its run besides the
// schemes, so that the same command resumes it.
type State struct {
	Format  string  `json:"format"`
	Field   string  `json:"field"`
	Seed    uint64  `json:"seed"`
	Starts  int     `json:"starts"`    // how many times the run was started
	Flips   int64   `json:"flips"`     // flips made by all walkers, over all starts
	Elapsed float64 `json:"elapsed_s"` // seconds searched, over all starts
	Best    int     `json:"best"`      // best rank held when the state was saved
}

type dir struct {
	path   string
	format tensorgame.Format
	field  tensorgame.Field
	state  State
	had    bool // a state file was read
}

// FileName returns the name of the file of the first scheme of rank r for
// format f over field: "<n>x<m>x<p>_r<R>_<FIELD>.txt".
func FileName(f tensorgame.Format, field tensorgame.Field, r int) string {
	return fmt.Sprintf("%v_r%d_%v.txt", f, r, field)
}

var (
	bestName = regexp.MustCompile(`^(\d+x\d+x\d+)_r(\d+)_(Z2|Z|Q)\.txt$`)
	poolName = regexp.MustCompile(`^(\d+x\d+x\d+)_r(\d+)_(Z2|Z|Q)_[0-9a-f]{16}\.txt$`)
)

// Open opens the run directory path for schemes of format f over field,
// creating it if needed, and returns a pool holding the schemes stored
// there; the pool writes every scheme it accepts into the directory. Open
// returns an error, and writes nothing, when path is not a readable
// directory, its state file is unreadable or names another format or field,
// a scheme file names another format, or a scheme file of f and field does
// not parse or verify. Scheme files of other fields are ignored.
func Open(path string, f tensorgame.Format, field tensorgame.Field, opts Options) (*Pool, error) {
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("run directory %s: not a directory", path)
	} else if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Join(path, "pool"), 0o755); err != nil {
			return nil, fmt.Errorf("run directory: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("run directory: %w", err)
	}
	d := &dir{path: path, format: f, field: field}
	if err := d.readState(); err != nil {
		return nil, err
	}
	p := New(f, field, opts)
	var schemes []*tensorgame.Scheme
	for _, sub := range []struct {
		dir string
		re  *regexp.Regexp
	}{{path, bestName}, {filepath.Join(path, "pool"), poolName}} {
		ents, err := os.ReadDir(sub.dir)
		if errors.Is(err, fs.ErrNotExist) && sub.dir != path {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("run directory: %w", err)
		}
		for _, e := range ents {
			m := sub.re.FindStringSubmatch(e.Name())
			if m == nil || e.IsDir() {
				continue
			}
			name := filepath.Join(sub.dir, e.Name())
			if m[1] != f.String() {
				return nil, fmt.Errorf("run directory %s holds %s, a scheme of format %s, not %v: use another directory", path, name, m[1], f)
			}
			if m[3] != field.String() {
				continue
			}
			s, err := tensorgame.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("run directory: %w", err)
			}
			if want, _ := strconv.Atoi(m[2]); s.Rank() != want || s.Format != f || s.Field != field {
				return nil, fmt.Errorf("run directory: %s holds a rank %d %v scheme over %v, not what its name says", name, s.Rank(), s.Format, s.Field)
			}
			if err := tensorgame.Verify(s); err != nil {
				return nil, fmt.Errorf("run directory: %s: %w", name, err)
			}
			schemes = append(schemes, s)
		}
	}
	if err := os.MkdirAll(filepath.Join(path, "pool"), 0o755); err != nil {
		return nil, fmt.Errorf("run directory: %w", err)
	}
	slices.SortStableFunc(schemes, func(a, b *tensorgame.Scheme) int { return a.Rank() - b.Rank() })
	for _, s := range schemes {
		key := canonical(s)
		if _, err := p.addLocked(s, hashKey(key), key, false); err != nil {
			return nil, err
		}
	}
	p.dir = d
	return p, nil
}

func (d *dir) readState() error {
	name := filepath.Join(d.path, StateFile)
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	if err := json.Unmarshal(b, &d.state); err != nil {
		return fmt.Errorf("run directory: %s: %w", name, err)
	}
	if d.state.Format != d.format.String() || d.state.Field != d.field.String() {
		return fmt.Errorf("run directory %s holds a %s run over %s, not %v over %v: use another directory",
			d.path, d.state.Format, d.state.Field, d.format, d.field)
	}
	d.had = true
	return nil
}

// save writes s into the pool folder and, when it is a new best rank and no
// file of that rank exists, as the rank's first scheme.
func (d *dir) save(s *tensorgame.Scheme, h uint64, newBest bool) error {
	name := filepath.Join(d.path, "pool", fmt.Sprintf("%v_r%d_%v_%016x.txt", d.format, s.Rank(), d.field, h))
	if err := tensorgame.WriteFile(name, s); err != nil {
		return err
	}
	if !newBest {
		return nil
	}
	best := filepath.Join(d.path, FileName(d.format, d.field, s.Rank()))
	if _, err := os.Stat(best); err == nil {
		return nil
	}
	return tensorgame.WriteFile(best, s)
}

// Dir returns the run directory, or "" for a pool in memory.
func (p *Pool) Dir() string {
	if p.dir == nil {
		return ""
	}
	return p.dir.path
}

// Path returns the file of the first scheme of rank r in the run directory,
// or "" for a pool in memory.
func (p *Pool) Path(r int) string {
	if p.dir == nil {
		return ""
	}
	return filepath.Join(p.dir.path, FileName(p.format, p.field, r))
}

// State returns the state read from the run directory and whether there was
// one.
func (p *Pool) State() (State, bool) {
	if p.dir == nil {
		return State{}, false
	}
	return p.dir.state, p.dir.had
}

// SaveState writes st (with the pool's format, field and best rank) to the
// run directory's state file, atomically. It does nothing for a pool in
// memory.
func (p *Pool) SaveState(st State) error {
	if p.dir == nil {
		return nil
	}
	st.Format, st.Field, st.Best = p.format.String(), p.field.String(), p.Best()
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	b = append(b, '\n')
	return tensorgame.AtomicWrite(filepath.Join(p.dir.path, StateFile), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// ReadBest returns the scheme of lowest rank for format f over field among
// the best-scheme files of the run directory path (its pool/ is not read),
// verified, or nil when path does not exist or holds none. It writes
// nothing. It returns an error when a file that names f and field does not
// parse, holds another rank, format or field than its name says, or fails
// Verify.
func ReadBest(path string, f tensorgame.Format, field tensorgame.Field) (*tensorgame.Scheme, error) {
	files, err := schemeFiles(path, f, field, false)
	if err != nil || len(files) == 0 {
		return nil, err
	}
	return readChecked(files[0], f, field)
}

// ReadLowest returns up to n distinct schemes of the lowest ranks for format
// f over field among the scheme files of the run directory path, its pool/
// included, lowest rank first, each verified; none when path does not
// exist. Errors are those of ReadBest.
func ReadLowest(path string, f tensorgame.Format, field tensorgame.Field, n int) ([]*tensorgame.Scheme, error) {
	files, err := schemeFiles(path, f, field, true)
	if err != nil {
		return nil, err
	}
	var out []*tensorgame.Scheme
	seen := map[string]bool{}
	for _, sf := range files {
		if len(out) >= n {
			break
		}
		s, err := readChecked(sf, f, field)
		if err != nil {
			return nil, err
		}
		if key := canonical(s); !seen[key] {
			seen[key] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// schemeFile is a scheme file of a run directory and the rank its name says.
type schemeFile struct {
	path string
	rank int
}

// schemeFiles lists the best-scheme files (and with pool, those of pool/)
// of the run directory path that name format f and field, by rank; none
// when path does not exist.
func schemeFiles(path string, f tensorgame.Format, field tensorgame.Field, pool bool) ([]schemeFile, error) {
	type sub struct {
		dir string
		re  *regexp.Regexp
	}
	subs := []sub{{path, bestName}}
	if pool {
		subs = append(subs, sub{filepath.Join(path, "pool"), poolName})
	}
	var files []schemeFile
	for _, sub := range subs {
		ents, err := os.ReadDir(sub.dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("run directory: %w", err)
		}
		for _, e := range ents {
			m := sub.re.FindStringSubmatch(e.Name())
			if m == nil || e.IsDir() || m[1] != f.String() || m[3] != field.String() {
				continue
			}
			r, _ := strconv.Atoi(m[2])
			files = append(files, schemeFile{filepath.Join(sub.dir, e.Name()), r})
		}
	}
	slices.SortStableFunc(files, func(a, b schemeFile) int { return a.rank - b.rank })
	return files, nil
}

// readChecked reads, checks and verifies the scheme file sf of format f
// over field.
func readChecked(sf schemeFile, f tensorgame.Format, field tensorgame.Field) (*tensorgame.Scheme, error) {
	s, err := tensorgame.ReadFile(sf.path)
	if err != nil {
		return nil, fmt.Errorf("run directory: %w", err)
	}
	if s.Rank() != sf.rank || s.Format != f || s.Field != field {
		return nil, fmt.Errorf("run directory: %s holds a rank %d %v scheme over %v, not what its name says", sf.path, s.Rank(), s.Format, s.Field)
	}
	if err := tensorgame.Verify(s); err != nil {
		return nil, fmt.Errorf("run directory: %s: %w", sf.path, err)
	}
	return s, nil
}

// RunName returns the conventional name of the run directory of format f
// over field, "<n>x<m>x<p>-<field>" in lower case (4x4x4-z2): the default
// under runs/ of `alphamat search` and `play`, and the name of a row's
// directory in a reproduction.
func RunName(f tensorgame.Format, field tensorgame.Field) string {
	return f.String() + "-" + strings.ToLower(field.String())
}
