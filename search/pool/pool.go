package pool

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/alphamat/alphamat/tensorgame"
)

// Options bound a pool.
type Options struct {
	// PerRank is the most schemes kept at one rank (default 32).
	PerRank int
	// Depth is how many ranks above the best are kept (default 3).
	Depth int
	// Replace makes a full rank drop its oldest scheme for a new one,
	// instead of refusing the new one.
	Replace bool
}

func (o Options) withDefaults() Options {
	if o.PerRank <= 0 {
		o.PerRank = 32
	}
	if o.Depth <= 0 {
		o.Depth = 3
	}
	return o
}

// Pool is a bounded, deduplicated set of verified schemes of one format and
// field, bucketed by rank. It is safe for concurrent use.
type Pool struct {
	format tensorgame.Format
	field  tensorgame.Field
	opts   Options
	dir    *dir // nil: memory only

	best atomic.Int64 // lowest rank held, 0 when empty

	mu     sync.Mutex
	ranks  map[int][]entry
	hashes map[uint64]int // canonical hash -> rank
}

type entry struct {
	s    *tensorgame.Scheme
	hash uint64
	key  string // canonical form, to tell hash collisions apart
}

// New returns an empty in-memory pool for schemes of format f over field.
func New(f tensorgame.Format, field tensorgame.Field, opts Options) *Pool {
	return &Pool{format: f, field: field, opts: opts.withDefaults(),
		ranks: map[int][]entry{}, hashes: map[uint64]int{}}
}

// Format returns the format of the pool's schemes.
func (p *Pool) Format() tensorgame.Format { return p.format }

// Field returns the field of the pool's schemes.
func (p *Pool) Field() tensorgame.Field { return p.field }

// Add verifies s and stores it unless the pool already holds an equivalent
// scheme (same terms in any order), its rank is more than Depth above the
// best, or its rank already holds PerRank schemes. It reports whether s was
// stored; with a run directory the files are written before Add returns. It
// returns an error when s is of another format or field, fails Verify, or
// cannot be written. The pool keeps s itself: the caller must not modify it
// afterwards.
func (p *Pool) Add(s *tensorgame.Scheme) (bool, error) {
	if s.Format != p.format || s.Field != p.field {
		return false, fmt.Errorf("pool: scheme %v over %v, pool holds %v over %v", s.Format, s.Field, p.format, p.field)
	}
	r := s.Rank()
	if !p.Wants(r) {
		return false, nil
	}
	if err := tensorgame.Verify(s); err != nil {
		return false, fmt.Errorf("pool: rank %d scheme fails verification: %w", r, err)
	}
	key := canonical(s)
	h := hashKey(key)
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.addLocked(s, h, key, true)
}

func (p *Pool) addLocked(s *tensorgame.Scheme, h uint64, key string, write bool) (bool, error) {
	r := s.Rank()
	best := int(p.best.Load())
	if best > 0 && r > best+p.opts.Depth {
		return false, nil
	}
	if hr, ok := p.hashes[h]; ok && hr == r {
		for _, e := range p.ranks[r] {
			if e.hash == h && e.key == key {
				return false, nil
			}
		}
	}
	if len(p.ranks[r]) >= p.opts.PerRank {
		if !p.opts.Replace {
			return false, nil
		}
		old := p.ranks[r][0]
		delete(p.hashes, old.hash)
		p.ranks[r] = append(p.ranks[r][:0], p.ranks[r][1:]...)
	}
	if write && p.dir != nil {
		if err := p.dir.save(s, h, best == 0 || r < best); err != nil {
			return false, err
		}
	}
	p.ranks[r] = append(p.ranks[r], entry{s: s, hash: h, key: key})
	p.hashes[h] = r
	if best == 0 || r < best {
		p.best.Store(int64(r))
		for rr, es := range p.ranks {
			if rr > r+p.opts.Depth {
				for _, e := range es {
					delete(p.hashes, e.hash)
				}
				delete(p.ranks, rr)
			}
		}
	}
	return true, nil
}

// Wants reports whether the pool has room for a scheme of rank r: r is at
// most Depth above the best and fewer than PerRank schemes are held at r
// (or the pool replaces old schemes).
// Walkers call it before converting a scheme for Add.
func (p *Pool) Wants(r int) bool {
	if b := int(p.best.Load()); b > 0 && r > b+p.opts.Depth {
		return false
	}
	if p.opts.Replace {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.ranks[r]) < p.opts.PerRank
}

// Best returns the lowest rank held, or 0 when the pool is empty. It does not
// lock.
func (p *Pool) Best() int { return int(p.best.Load()) }

// BestScheme returns a scheme of the lowest rank held (the first one found),
// or nil when the pool is empty. The caller must not modify it.
func (p *Pool) BestScheme() *tensorgame.Scheme {
	p.mu.Lock()
	defer p.mu.Unlock()
	es := p.ranks[int(p.best.Load())]
	if len(es) == 0 {
		return nil
	}
	return es[0].s
}

// Pick returns a random scheme at the lowest rank held that is at least
// rank (rank <= 0: the best rank), or nil when there is none. The caller
// must not modify it.
func (p *Pool) Pick(r *rand.Rand, rank int) *tensorgame.Scheme {
	p.mu.Lock()
	defer p.mu.Unlock()
	best := -1
	for rr, es := range p.ranks {
		if rr >= rank && len(es) > 0 && (best < 0 || rr < best) {
			best = rr
		}
	}
	if best < 0 {
		return nil
	}
	es := p.ranks[best]
	return es[r.IntN(len(es))].s
}

// Level returns the lowest rank r that holds at least need(r) schemes or,
// when no rank does, the highest rank held; 0 when the pool is empty.
// Searches restart from it, so that a rank is reached from many distinct
// schemes before the search moves down to it. need is called with the
// pool locked and must not call the pool.
func (p *Pool) Level(need func(rank int) int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	low, top := 0, 0
	for r, es := range p.ranks {
		if len(es) == 0 {
			continue
		}
		top = max(top, r)
		if len(es) >= need(r) && (low == 0 || r < low) {
			low = r
		}
	}
	if low == 0 {
		return top
	}
	return low
}

// Len returns the number of schemes held at each rank.
func (p *Pool) Len() map[int]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[int]int, len(p.ranks))
	for r, es := range p.ranks {
		out[r] = len(es)
	}
	return out
}

// Schemes returns the schemes held at rank, in the order they were added.
// The caller must not modify them.
func (p *Pool) Schemes(rank int) []*tensorgame.Scheme {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*tensorgame.Scheme
	for _, e := range p.ranks[rank] {
		out = append(out, e.s)
	}
	return out
}

// canonical is tensorgame's canonical form of s: the same for schemes with
// the same multiset of terms.
func canonical(s *tensorgame.Scheme) string { return s.Canonical() }

// hashKey is 64-bit FNV-1a, stable across runs (file names use it); it
// agrees with tensorgame.Scheme.Hash.
func hashKey(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// Hash returns s.Hash(): a hash that ignores the order of its terms, stable
// across runs and machines.
func Hash(s *tensorgame.Scheme) uint64 { return hashKey(canonical(s)) }
