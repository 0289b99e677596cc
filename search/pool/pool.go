package pool

import (
	"math/rand/v2"

	"github.com/alphamat/alphamat/tensorgame"
)

// Options bound a pool.
type Options struct {
	// PerRank is the most schemes kept at one rank (default 32).
	PerRank int
	// Depth is how many ranks above the best are kept (default 3).
	Depth int
}

// Pool is a bounded, deduplicated set of verified schemes of one format and
// field, bucketed by rank. It is safe for concurrent use.
type Pool struct {
	// TODO(issue 3): implementation in progress.
}

// New returns an empty in-memory pool for schemes of format f over field.
func New(f tensorgame.Format, field tensorgame.Field, opts Options) *Pool { panic("TODO") }

// Add verifies s and stores a copy of it unless the pool already holds an
// equivalent scheme (same terms in any order), its rank is too far above the
// best, or its bucket is full of schemes kept in its place. It reports
// whether s was stored; with a run directory the files are written before
// Add returns. It returns an error when s is of another format or field,
// fails Verify, or cannot be written.
func (p *Pool) Add(s *tensorgame.Scheme) (bool, error) { panic("TODO") }

// Best returns the lowest rank held, or 0 when the pool is empty. It does not
// lock.
func (p *Pool) Best() int { panic("TODO") }

// Pick returns a copy of a random scheme at the given rank or, when the pool
// has none there, at the nearest rank above; nil when the pool is empty.
func (p *Pool) Pick(r *rand.Rand, rank int) *tensorgame.Scheme { panic("TODO") }

// Hash returns a hash of s that ignores the order of its terms: schemes
// with the same multiset of terms hash alike.
func Hash(s *tensorgame.Scheme) uint64 { panic("TODO") }
