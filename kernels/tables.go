package kernels

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// The shipped tables, one per leaf: tables/<leaf>.json.
//
//go:embed tables/*.json
var tableFiles embed.FS

// shipped holds the shipped tables by leaf, parsed once at init and never
// modified.
var shipped = mustShipped()

func mustShipped() map[string]*Table {
	out := map[string]*Table{}
	names, err := fs.Glob(tableFiles, "tables/*.json")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		data, err := tableFiles.ReadFile(name)
		if err != nil {
			panic(err)
		}
		t, err := ParseTable(data)
		if err != nil {
			panic(fmt.Sprintf("kernels: embedded %s: %v", name, err))
		}
		leaf := strings.TrimSuffix(path.Base(name), ".json")
		if t.Leaf != leaf {
			panic(fmt.Sprintf("kernels: embedded %s: leaf %q, want %q", name, t.Leaf, leaf))
		}
		out[leaf] = t
	}
	return out
}

// Where a leaf's table comes from (see LeafTable).
const (
	SourceUser    = "user"    // the file at TablePath, written by SaveTable
	SourceShipped = "shipped" // the table embedded in the package
	SourceRule    = "rule"    // no table: ConservativeTable
)

// ShippedTable returns a copy of the table shipped for leaf (LeafGonum,
// LeafPacked or LeafOpenBLAS), or false when there is none.
func ShippedTable(leaf string) (*Table, bool) {
	t, ok := shipped[leaf]
	if !ok {
		return nil, false
	}
	return t.clone(), true
}

// ConservativeTable returns the table used for a leaf that has neither a
// shipped nor a user table: plain Gemm for every shape, since a fast
// scheme beats a leaf only above a crossover that must be measured, and
// below it is slower than the leaf alone.
func ConservativeTable(leaf string) *Table {
	t := &Table{
		Leaf:    leaf,
		Comment: "no table measured for this leaf: plain gemm everywhere; alphamat bench kernels --tune --save measures one",
		Rules:   []Rule{{Min: 0, Kernel: "gemm"}},
	}
	if err := t.Validate(); err != nil {
		panic(err) // gemm always resolves
	}
	return t
}

// DefaultTable returns a copy of the table that Mul uses now, for the
// float64 leaf in use (see LeafTable).
func DefaultTable() *Table { return tableFor(Leaf()).clone() }

// LeafTable returns a copy of the table that Mul, MulGeneral and
// MulGeneral32 use for leaf, and where it comes from: the user's file at
// TablePath(leaf) when there is one (SourceUser), else the shipped table
// (SourceShipped), else ConservativeTable (SourceRule). A user file that
// cannot be read or parsed, or that was measured for another leaf, is
// ignored and reported in err; the table returned is then the fallback.
// The file is read once per process; SaveTable replaces it.
func LeafTable(leaf string) (t *Table, source string, err error) {
	e := loadTable(leaf)
	return e.t.clone(), e.source, e.err
}

// TablePath returns the file where SaveTable writes, and where Mul looks
// for, the user's table for leaf on this machine:
// <os.UserCacheDir>/alphamat/kernels/<leaf>-<cpu>.json, where <cpu> names
// the processor model, its logical CPU count and GOARCH, since both the
// crossovers and the right number of workers depend on them.
func TablePath(leaf string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("kernels: table path: %w", err)
	}
	return filepath.Join(dir, "alphamat", "kernels", fileName(leaf)+"-"+fileName(cpuName())+".json"), nil
}

// SaveTable validates t and writes it atomically to TablePath(t.Leaf), so
// that Mul uses it from now on, in this process and later ones. t.Leaf must
// be set. It returns the path written.
func SaveTable(t *Table) (string, error) {
	if t.Leaf == "" {
		return "", errors.New("kernels: save table: the table names no leaf")
	}
	if err := t.Validate(); err != nil {
		return "", fmt.Errorf("kernels: save table: %w", err)
	}
	p, err := TablePath(t.Leaf)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", fmt.Errorf("kernels: save table: %w", err)
	}
	var b strings.Builder
	if err := t.Write(&b); err != nil {
		return "", err
	}
	if err := atomicWrite(p, []byte(b.String())); err != nil {
		return "", fmt.Errorf("kernels: save table: %w", err)
	}
	loaded.Store(t.Leaf, &loadedTable{t: t.clone(), source: SourceUser})
	return p, nil
}

// loadedTable is the table of one leaf, as LeafTable reports it.
type loadedTable struct {
	t      *Table
	source string
	err    error
}

// loaded caches the table of each leaf for the life of the process (leaf
// name -> *loadedTable), like the workspace pools: it holds nothing a
// caller can change, and SaveTable replaces an entry.
var loaded sync.Map

func tableFor(leaf string) *Table { return loadTable(leaf).t }

func loadTable(leaf string) *loadedTable {
	if e, ok := loaded.Load(leaf); ok {
		return e.(*loadedTable)
	}
	e := readTable(leaf)
	actual, _ := loaded.LoadOrStore(leaf, e)
	return actual.(*loadedTable)
}

// readTable reads leaf's user table, falling back as LeafTable says.
func readTable(leaf string) *loadedTable {
	fallback := func(err error) *loadedTable {
		if t, ok := shipped[leaf]; ok {
			return &loadedTable{t: t, source: SourceShipped, err: err}
		}
		return &loadedTable{t: ConservativeTable(leaf), source: SourceRule, err: err}
	}
	p, err := TablePath(leaf)
	if err != nil {
		return fallback(nil) // no cache directory: nothing saved either
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return fallback(nil)
	}
	if err != nil {
		return fallback(fmt.Errorf("kernels: table %s: %w", p, err))
	}
	t, err := ParseTable(data)
	if err != nil {
		return fallback(fmt.Errorf("kernels: table %s: %w", p, err))
	}
	if t.Leaf != leaf {
		return fallback(fmt.Errorf("kernels: table %s: measured for leaf %q, not %q", p, t.Leaf, leaf))
	}
	return &loadedTable{t: t, source: SourceUser}
}

func (t *Table) clone() *Table {
	c := *t
	c.Rules = append([]Rule(nil), t.Rules...)
	return &c
}

// cpuName names this machine's processor for TablePath: the model from
// /proc/cpuinfo where there is one, the logical CPU count and GOARCH.
func cpuName() string {
	model := "cpu"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	return fmt.Sprintf("%s-%dcpu-%s", model, runtime.NumCPU(), runtime.GOARCH)
}

// fileName maps s to a file name: letters, digits, '.', '_' and '-' are
// kept, runs of anything else become one '_'.
func fileName(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			b.WriteRune(r)
			under = false
		} else if !under {
			b.WriteByte('_')
			under = true
		}
	}
	return strings.Trim(b.String(), "_.")
}

// atomicWrite writes data to a temporary file beside path and renames it
// over path, so that readers see the old file or the new one, never a
// part. (tensorgame.AtomicWrite does the same; kernels does not import
// tensorgame, whose scheme readers users of the kernels do not need.)
func atomicWrite(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
