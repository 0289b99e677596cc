// Package catalogue keeps the best schemes known for every matrix
// multiplication format worked on, over each field, in one directory.
//
// The rank of T(n,m,p) is the same for every order of its sizes, so the
// catalogue keeps one orientation, sizes ascending (Format.Canonical), and
// gives the others by tensorgame.Permute. Its layout is that of search/pool
// run directories, one per format and field, so that `alphamat search
// --compose DIR` and `--restrict DIR` read a catalogue too:
//
//	DIR/<n>x<m>x<p>-<field>/<n>x<m>x<p>_r<R>_<FIELD>.txt              the first scheme of the best rank R
//	DIR/<n>x<m>x<p>-<field>/pool/<n>x<m>x<p>_r<R>_<FIELD>_<hash>.txt  more distinct schemes of rank R
//	DIR/corrupt/...                                                    files set aside
//
// A new best rank removes the files of the old one. The standard algorithm
// (rank n·m·p) is held in memory only, and schemes are read from their
// files when asked for, so that a catalogue of all formats up to 16 stays
// small in memory and on disk.
//
// Every scheme is verified (tensorgame.Verify) before it is stored and when
// it is read, and written atomically. Schemes are deduplicated by
// tensorgame.Scheme.Hash (terms in any order). A file that does not parse,
// does not verify or is not what its name says is set aside under
// DIR/corrupt and reported through Options.Warn; it does not stop Open.
package catalogue

import (
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
	"sync"

	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// Key names one entry of the catalogue: a format with ascending sizes and a
// field.
type Key struct {
	Format tensorgame.Format
	Field  tensorgame.Field
}

// KeyOf returns the key of format f over field (f's sizes sorted).
func KeyOf(f tensorgame.Format, field tensorgame.Field) Key {
	return Key{f.Canonical(), field}
}

func (k Key) String() string { return pool.RunName(k.Format, k.Field) }

// Options configure a catalogue.
type Options struct {
	// PerRank is the most distinct schemes kept at the best rank of an
	// entry (default 8): the starts a search gets from it.
	PerRank int
	// Warn, when non-nil, is told of each file set aside (or, read-only,
	// skipped) and why.
	Warn func(error)
	// ReadOnly opens the catalogue without creating, moving or writing
	// anything: corrupt files are skipped, and Offer fails.
	ReadOnly bool
	// Only, when non-nil, limits Open to these keys: the others are not
	// read (a search that wants one format's starts).
	Only []Key
}

// Catalogue is the set of best schemes of each format and field, mirrored
// in a directory. It is safe for concurrent use.
type Catalogue struct {
	dir  string
	opts Options

	mu      sync.Mutex
	entries map[Key]*entry
}

// entry is what the catalogue holds of a key: the best rank and the files
// of its distinct schemes (the first one's at the top level), or, for the
// standard algorithm, nothing on disk. Schemes are read (and verified)
// when asked for, so that a catalogue of large formats stays small in
// memory.
type entry struct {
	rank     int
	files    []string
	hashes   map[uint64]bool
	origin   *tensorgame.Origin // of the first scheme
	standard bool               // the standard algorithm, in memory only
}

var (
	dirName  = regexp.MustCompile(`^(\d+x\d+x\d+)-(z2|z|q)$`)
	bestName = regexp.MustCompile(`^(\d+x\d+x\d+)_r(\d+)_(Z2|Z|Q)\.txt$`)
	poolName = regexp.MustCompile(`^(\d+x\d+x\d+)_r(\d+)_(Z2|Z|Q)_[0-9a-f]{16}\.txt$`)
)

// Open reads the catalogue in dir, creating the directory unless
// opts.ReadOnly (a missing directory is an empty catalogue then). Of each
// entry only the files of the lowest rank that holds a good scheme are read
// (up to PerRank distinct ones). Bad files are set aside, not fatal; Open
// fails only when dir cannot be read or created.
func Open(dir string, opts Options) (*Catalogue, error) {
	if opts.PerRank <= 0 {
		opts.PerRank = 8
	}
	c := &Catalogue{dir: dir, opts: opts, entries: map[Key]*entry{}}
	if !opts.ReadOnly {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("catalogue: %w", err)
		}
	}
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) && opts.ReadOnly {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	for _, e := range ents {
		m := dirName.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		f, err := tensorgame.ParseFormat(m[1])
		if err != nil || f != f.Canonical() {
			c.warn(fmt.Errorf("catalogue: %s: not a format with ascending sizes; ignored", filepath.Join(dir, e.Name())))
			continue
		}
		field, _ := tensorgame.ParseField(m[2])
		if opts.Only != nil && !slices.Contains(opts.Only, Key{f, field}) {
			continue
		}
		if err := c.readEntry(Key{f, field}, filepath.Join(dir, e.Name())); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Catalogue) warn(err error) {
	if c.opts.Warn != nil {
		c.opts.Warn(err)
	}
}

// file is a scheme file of an entry and the rank its name says.
type file struct {
	path string
	rank int
}

// readEntry reads the lowest-rank good schemes of key from sub.
func (c *Catalogue) readEntry(key Key, sub string) error {
	var files []file
	for _, d := range []struct {
		path string
		re   *regexp.Regexp
	}{{sub, bestName}, {filepath.Join(sub, "pool"), poolName}} {
		ents, err := os.ReadDir(d.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("catalogue: %w", err)
		}
		for _, e := range ents {
			m := d.re.FindStringSubmatch(e.Name())
			if m == nil || e.IsDir() {
				continue
			}
			path := filepath.Join(d.path, e.Name())
			if m[1] != key.Format.String() || m[3] != key.Field.String() {
				c.setAside(path, fmt.Errorf("its name says %s over %s, its directory %v", m[1], m[3], key))
				continue
			}
			r, _ := strconv.Atoi(m[2])
			files = append(files, file{path, r})
		}
	}
	slices.SortStableFunc(files, func(a, b file) int { return a.rank - b.rank })
	var e *entry
	for _, f := range files {
		if e != nil && (f.rank > e.rank || len(e.files) >= c.opts.PerRank) {
			break
		}
		s, err := readChecked(f, key)
		if err != nil {
			c.setAside(f.path, err)
			continue
		}
		if e == nil {
			e = &entry{rank: s.Rank(), hashes: map[uint64]bool{}, origin: s.Origin}
		}
		if h := s.Hash(); !e.hashes[h] {
			e.hashes[h] = true
			e.files = append(e.files, f.path)
		}
	}
	if e != nil {
		c.entries[key] = e
	}
	return nil
}

// readChecked reads the scheme file f of key and checks that it is what its
// name says and verifies.
func readChecked(f file, key Key) (*tensorgame.Scheme, error) {
	s, err := tensorgame.ReadFile(f.path)
	if err != nil {
		return nil, err
	}
	if s.Rank() != f.rank || s.Format != key.Format || s.Field != key.Field {
		return nil, fmt.Errorf("holds a rank %d %v scheme over %v, not what its name says", s.Rank(), s.Format, s.Field)
	}
	if err := tensorgame.Verify(s); err != nil {
		return nil, err
	}
	return s, nil
}

// setAside moves a bad file to DIR/corrupt/<entry>/ and warns, or, read
// only, just warns.
func (c *Catalogue) setAside(path string, why error) {
	if c.opts.ReadOnly {
		c.warn(fmt.Errorf("catalogue: %s: %v; skipped", path, why))
		return
	}
	rel, err := filepath.Rel(c.dir, path)
	if err != nil {
		rel = filepath.Base(path)
	}
	to := filepath.Join(c.dir, "corrupt", strings.ReplaceAll(rel, string(filepath.Separator), "_"))
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err == nil {
		err = os.Rename(path, to)
	}
	if err != nil {
		c.warn(fmt.Errorf("catalogue: %s: %v; could not set it aside: %v", path, why, err))
		return
	}
	c.warn(fmt.Errorf("catalogue: %s: %v; set aside as %s", path, why, to))
}

// Dir returns the catalogue's directory.
func (c *Catalogue) Dir() string { return c.dir }

// Offer verifies s and stores it when it beats the entry of its format and
// field (a new best rank) or, at the best rank, is distinct from the
// schemes held and the entry holds fewer than PerRank. It reports whether
// the best rank improved. s is carried to the canonical orientation first;
// its Origin is kept. A scheme of rank n·m·p (the standard algorithm's) is
// held in memory only, as the standard algorithm. Offer returns an error
// when s fails Verify or cannot be written (then nothing changes), or the
// catalogue is read-only.
func (c *Catalogue) Offer(s *tensorgame.Scheme) (improved bool, err error) {
	if c.opts.ReadOnly {
		return false, fmt.Errorf("catalogue %s: read-only", c.dir)
	}
	key := KeyOf(s.Format, s.Field)
	if !c.wants(key, s.Rank()) {
		return false, nil
	}
	if err := tensorgame.Verify(s); err != nil {
		return false, fmt.Errorf("catalogue: rank %d %v scheme over %v fails verification: %w", s.Rank(), s.Format, s.Field, err)
	}
	if s.Rank() >= key.Format.Naive() {
		return c.HoldStandard(key.Format, key.Field), nil
	}
	cs, err := tensorgame.Permute(s, key.Format)
	if err != nil {
		return false, fmt.Errorf("catalogue: %w", err)
	}
	cs.Origin = s.Origin.Clone()
	if n := len(cs.Comments); n > 2 {
		cs.Comments = cs.Comments[n-2:]
	}
	h := cs.Hash()
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	switch {
	case e == nil || cs.Rank() < e.rank:
		path, err := c.write(key, cs, h, true)
		if err != nil {
			return false, err
		}
		c.entries[key] = &entry{rank: cs.Rank(), files: []string{path}, hashes: map[uint64]bool{h: true}, origin: cs.Origin.Clone()}
		c.prune(key, cs.Rank())
		return true, nil
	case cs.Rank() == e.rank && !e.hashes[h] && len(e.files) < c.opts.PerRank:
		path, err := c.write(key, cs, h, false)
		if err != nil {
			return false, err
		}
		e.hashes[h] = true
		e.files = append(e.files, path)
	}
	return false, nil
}

// HoldStandard makes the standard algorithm the entry of f over field when
// there is none, without building it (it is held in memory only), and
// reports whether it did.
func (c *Catalogue) HoldStandard(f tensorgame.Format, field tensorgame.Field) bool {
	key := KeyOf(f, field)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[key] != nil || !key.Format.Valid() {
		return false
	}
	c.entries[key] = &entry{rank: key.Format.Naive(), standard: true, origin: tensorgame.Derive(tensorgame.MoveStandard)}
	return true
}

// wants reports whether a scheme of rank r could be stored for key.
func (c *Catalogue) wants(key Key, r int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	return e == nil || r < e.rank || r == e.rank && !e.standard && len(e.files) < c.opts.PerRank
}

// write stores s (canonical, verified): the first scheme of a new best rank
// at the top level, the others in pool/. It returns the file's path.
func (c *Catalogue) write(key Key, s *tensorgame.Scheme, h uint64, best bool) (string, error) {
	sub := filepath.Join(c.dir, key.String())
	path := filepath.Join(sub, pool.FileName(key.Format, key.Field, s.Rank()))
	if !best {
		path = filepath.Join(sub, "pool", fmt.Sprintf("%v_r%d_%v_%016x.txt", key.Format, s.Rank(), key.Field, h))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("catalogue: %w", err)
	}
	if err := tensorgame.AtomicWrite(path, func(w io.Writer) error { return tensorgame.Write(w, s) }); err != nil {
		return "", fmt.Errorf("catalogue: %w", err)
	}
	return path, nil
}

// prune removes the scheme files of key of ranks other than best, superseded
// by a new best, so that the catalogue holds the best schemes only.
func (c *Catalogue) prune(key Key, best int) {
	sub := filepath.Join(c.dir, key.String())
	for _, d := range []struct {
		path string
		re   *regexp.Regexp
	}{{sub, bestName}, {filepath.Join(sub, "pool"), poolName}} {
		ents, _ := os.ReadDir(d.path)
		for _, e := range ents {
			if m := d.re.FindStringSubmatch(e.Name()); m != nil && m[2] != strconv.Itoa(best) {
				os.Remove(filepath.Join(d.path, e.Name()))
			}
		}
	}
}

// Rank returns the best rank held for format f (any orientation) over
// field, or 0 when there is none.
func (c *Catalogue) Rank(f tensorgame.Format, field tensorgame.Field) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[KeyOf(f, field)]; e != nil {
		return e.rank
	}
	return 0
}

// Origin returns the origin of the first scheme of the best rank held for
// f over field (nil when there is none or it has none), without reading it.
func (c *Catalogue) Origin(f tensorgame.Format, field tensorgame.Field) *tensorgame.Origin {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[KeyOf(f, field)]; e != nil {
		return e.origin.Clone()
	}
	return nil
}

// Best returns the first scheme of the best rank held for f over field,
// carried to the orientation f, or nil when there is none.
func (c *Catalogue) Best(f tensorgame.Format, field tensorgame.Field) *tensorgame.Scheme {
	ss := c.Schemes(f, field, 1)
	if len(ss) == 0 {
		return nil
	}
	return ss[0]
}

// Schemes returns up to n distinct schemes of the best rank held for f over
// field (n <= 0: all), carried to the orientation f: read from their files
// and verified (a file that no longer verifies is set aside and left out),
// or the standard algorithm.
func (c *Catalogue) Schemes(f tensorgame.Format, field tensorgame.Field, n int) []*tensorgame.Scheme {
	key := KeyOf(f, field)
	c.mu.Lock()
	e := c.entries[key]
	var files []string
	var rank int
	standard := false
	if e != nil {
		files, rank, standard = slices.Clone(e.files), e.rank, e.standard
	}
	c.mu.Unlock()
	if standard {
		s := tensorgame.Standard(f, field)
		s.Origin = tensorgame.Derive(tensorgame.MoveStandard)
		return []*tensorgame.Scheme{s}
	}
	var out []*tensorgame.Scheme
	for _, path := range files {
		if n > 0 && len(out) >= n {
			break
		}
		s, err := readChecked(file{path, rank}, key)
		if err != nil {
			c.drop(key, path, err)
			continue
		}
		p, err := tensorgame.Permute(s, f)
		if err != nil {
			// f is a permutation of the key's format by construction.
			panic("catalogue: " + err.Error())
		}
		p.Origin = s.Origin
		out = append(out, p)
	}
	return out
}

// drop sets aside a file of key that failed when read again, and forgets
// it; an entry left without files is forgotten too.
func (c *Catalogue) drop(key Key, path string, why error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil {
		return
	}
	if i := slices.Index(e.files, path); i >= 0 {
		e.files = slices.Delete(e.files, i, i+1)
		if !c.opts.ReadOnly {
			c.setAside(path, why)
		} else {
			c.warn(fmt.Errorf("catalogue: %s: %v; skipped", path, why))
		}
	}
	if len(e.files) == 0 {
		delete(c.entries, key)
	}
}

// Keys returns the keys that hold a scheme, sorted by format and field.
func (c *Catalogue) Keys() []Key {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]Key, 0, len(c.entries))
	for k := range c.entries {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, Compare)
	return keys
}

// Compare orders keys by size (n·m·p), then sizes, then field.
func Compare(a, b Key) int {
	fa, fb := a.Format, b.Format
	for _, d := range [...]int{fa.Naive() - fb.Naive(), fa.N - fb.N, fa.M - fb.M, fa.P - fb.P, int(a.Field) - int(b.Field)} {
		if d != 0 {
			return d
		}
	}
	return 0
}
