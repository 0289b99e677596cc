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
	path     string
	format   tensorgame.Format
	field    tensorgame.Field
	state    State
	had      bool // a state file was read
	lock     *lock
	closed   bool // Close was called: nothing more is written
	warnings []string
}

// damaged is a file Open sets aside, and why.
type damaged struct{ name, why string }

// FileName returns the name of the file of the first scheme of rank r for
// format f over field: "<n>x<m>x<p>_r<R>_<FIELD>.txt".
func FileName(f tensorgame.Format, field tensorgame.Field, r int) string {
	return fmt.Sprintf("%v_r%d_%v.txt", f, r, field)
}

var (
	bestName = regexp.MustCompile(`^(\d+x\d+x\d+)_r(\d+)_(Z2|Z|Q)\.txt$`)
	poolName = regexp.MustCompile(`^(\d+x\d+x\d+)_r(\d+)_(Z2|Z|Q)_[0-9a-f]{16}\.txt$`)
	// tempName matches the temporary files of tensorgame.AtomicWrite.
	tempName = regexp.MustCompile(`^\..+\.tmp[0-9]*$`)
)

// Open opens the run directory path for schemes of format f over field,
// creating it if needed, and returns a pool holding the schemes stored
// there; the pool writes every scheme it accepts into the directory.
//
// Open locks the directory (see [LockFile]) until [Pool.Close] or the end
// of the process: a second process that opens it gets an error naming the
// holder's pid. It then removes the temporary files of writes a killed
// process left, sets aside every file that is damaged (a scheme file that
// does not parse, verify or match its name, a state file that is not
// JSON): renamed to NAME.corrupt, never deleted, and reported by
// [Pool.Warnings]. When the best rank is held only in pool/ (a run killed
// between the two writes of a new best), Open writes its top-level file
// again.
//
// Open returns an error, and changes nothing on disk, when path is not a
// directory, its state file names another format or field, or a scheme
// file names another format; when path is locked by another process it
// returns an error and changes nothing but the lock file. Scheme files of
// other fields are ignored.
func Open(path string, f tensorgame.Format, field tensorgame.Field, opts Options) (_ *Pool, err error) {
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
	// Refuse a directory of another run before creating the lock file;
	// the checks are made again, under the lock, below.
	if err := d.precheck(); err != nil {
		return nil, err
	}
	if d.lock, err = lockDir(path); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			d.lock.release()
		}
	}()
	var aside []damaged // set aside once nothing refuses the directory
	if bad, err := d.readState(); err != nil {
		return nil, err
	} else if bad != nil {
		aside = append(aside, *bad)
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
			rank, _ := strconv.Atoi(m[2])
			s, err := readChecked(schemeFile{name, rank}, f, field)
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil, err // cannot read, not damaged
			}
			if err != nil {
				aside = append(aside, damaged{name, err.Error()})
				continue
			}
			schemes = append(schemes, s)
		}
	}
	// Nothing refuses the directory: change it.
	for _, bad := range aside {
		to, err := setAside(bad.name)
		if err != nil {
			return nil, err
		}
		d.warnings = append(d.warnings, fmt.Sprintf("run directory: set aside %s as %s: %s", bad.name, filepath.Base(to), bad.why))
	}
	if err := removeTemps(path, filepath.Join(path, "pool")); err != nil {
		return nil, err
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
	if best := p.BestScheme(); best != nil {
		name := p.Path(best.Rank())
		if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) {
			if err := tensorgame.WriteFile(name, best); err != nil {
				return nil, fmt.Errorf("run directory: %w", err)
			}
		}
	}
	return p, nil
}

// precheck returns the error of Open for a directory that holds another
// run (by its state file or its file names), reading nothing but names and
// the state file.
func (d *dir) precheck() error {
	probe := &dir{path: d.path, format: d.format, field: d.field}
	if _, err := probe.readState(); err != nil {
		return err
	}
	for _, sub := range []struct {
		dir string
		re  *regexp.Regexp
	}{{d.path, bestName}, {filepath.Join(d.path, "pool"), poolName}} {
		ents, err := os.ReadDir(sub.dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("run directory: %w", err)
		}
		for _, e := range ents {
			if m := sub.re.FindStringSubmatch(e.Name()); m != nil && !e.IsDir() && m[1] != d.format.String() {
				return fmt.Errorf("run directory %s holds %s, a scheme of format %s, not %v: use another directory",
					d.path, filepath.Join(sub.dir, e.Name()), m[1], d.format)
			}
		}
	}
	return nil
}

// setAside renames the damaged file name to name.corrupt (or
// name.corrupt2, ... when that exists) and returns the new name.
func setAside(name string) (string, error) {
	to := name + ".corrupt"
	for i := 2; ; i++ {
		if _, err := os.Lstat(to); errors.Is(err, fs.ErrNotExist) {
			break
		}
		to = fmt.Sprintf("%s.corrupt%d", name, i)
	}
	if err := os.Rename(name, to); err != nil {
		return "", fmt.Errorf("run directory: set aside damaged file: %w", err)
	}
	return to, nil
}

// removeTemps removes the temporary files of tensorgame.AtomicWrite from
// dirs: with the directory locked, any there were left by a killed process.
func removeTemps(dirs ...string) error {
	for _, d := range dirs {
		ents, err := os.ReadDir(d)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("run directory: %w", err)
		}
		for _, e := range ents {
			if e.Type().IsRegular() && tempName.MatchString(e.Name()) {
				if err := os.Remove(filepath.Join(d, e.Name())); err != nil {
					return fmt.Errorf("run directory: remove stale temporary file: %w", err)
				}
			}
		}
	}
	return nil
}

// readState reads the state file. One that is not JSON is damaged: the
// state stays empty and readState returns it for Open to set aside.
func (d *dir) readState() (*damaged, error) {
	name := filepath.Join(d.path, StateFile)
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("run directory: %w", err)
	}
	if err := json.Unmarshal(b, &d.state); err != nil {
		d.state = State{}
		return &damaged{name, err.Error()}, nil
	}
	if d.state.Format != d.format.String() || d.state.Field != d.field.String() {
		return nil, fmt.Errorf("run directory %s holds a %s run over %s, not %v over %v: use another directory",
			d.path, d.state.Format, d.state.Field, d.format, d.field)
	}
	d.had = true
	return nil, nil
}

// save writes s, when it is a new best rank and no file of that rank
// exists, as the rank's first scheme, then into the pool folder. The best
// file comes first so that a failure or a kill between the two writes
// never leaves the best rank only in pool/.
func (d *dir) save(s *tensorgame.Scheme, h uint64, newBest bool) error {
	if d.closed {
		return fmt.Errorf("run directory %s: pool closed", d.path)
	}
	if newBest {
		best := filepath.Join(d.path, FileName(d.format, d.field, s.Rank()))
		if _, err := os.Stat(best); errors.Is(err, fs.ErrNotExist) {
			if err := tensorgame.WriteFile(best, s); err != nil {
				return err
			}
		}
	}
	name := filepath.Join(d.path, "pool", fmt.Sprintf("%v_r%d_%v_%016x.txt", d.format, s.Rank(), d.field, h))
	return tensorgame.WriteFile(name, s)
}

// Close releases the run directory's lock; after it Add and SaveState
// return an error. Close does nothing for a pool in memory, or when called
// again. The lock is the process's (a POSIX record lock): closing one of
// two pools of the same directory in one process releases it for both.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dir == nil || p.dir.closed {
		return nil
	}
	p.dir.closed = true
	return p.dir.lock.release()
}

// Warnings returns what Open set aside in the run directory, one message
// per file naming it, its new name and what was wrong; none for a pool in
// memory.
func (p *Pool) Warnings() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dir == nil {
		return nil
	}
	return slices.Clone(p.dir.warnings)
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
	if p.dir.closed {
		return fmt.Errorf("run directory %s: pool closed", p.dir.path)
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
// the scheme files of the run directory path, its pool/ included (a run
// killed between the two writes of a new best left it only there),
// verified, or nil when path does not exist or holds none. It writes
// nothing. It returns an error when the file of lowest rank that names f
// and field does not parse, holds another rank, format or field than its
// name says, or fails Verify.
func ReadBest(path string, f tensorgame.Format, field tensorgame.Field) (*tensorgame.Scheme, error) {
	files, err := schemeFiles(path, f, field, true)
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
