package search

import (
	"time"

	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// Config describes one search run. The zero values of the optional fields
// are sensible defaults.
type Config struct {
	Format tensorgame.Format
	// Field is Z2 (flip walks over Z2) or Z: ternary flip walks over Z
	// (search/ternary, coefficients in {-1, 0, 1}) on half the workers,
	// rounded up, and flip walks over Z2 on the others, whose new schemes
	// below the best rank over Z are lifted to Z (search/lift); with one
	// worker, Z2 walks with lifting only.
	Field tensorgame.Field
	// Target is the rank to reach: the run stops when it holds a scheme of
	// rank <= Target. 0: no target (search until Time is up or ctx is
	// done). A target below 0 or above the start rank is an error.
	Target int
	// Time bounds the run (0: no bound).
	Time time.Duration
	// Workers is the number of walkers (default GOMAXPROCS).
	Workers int
	// Seed seeds the walkers; with Workers 1 a fresh run is reproducible.
	Seed uint64
	// From, when non-nil, is the start scheme, of Format, verified by Run
	// (a Z or Q scheme is reduced mod 2 for the Z2 walkers; the ternary
	// walkers of a Z run start from it when it is over Z with coefficients
	// in {-1, 0, 1}, else from the standard algorithm). Without it the run
	// starts from its pool (run directory) or the standard algorithm.
	From *tensorgame.Scheme
	// Cyclic adds walkers that keep the scheme cyclic-symmetric
	// (search/cyclic, after Moosbauer & Poole) to the plain Z2 walkers: the
	// first worker and every second one walk the symmetric flip graph,
	// about a third the size of the plain one, and every new best they
	// find becomes a start of the plain walkers, which break the symmetry
	// and often reduce further at once (docs/experiments.md, section
	// "search", has the 5x5x5 runs). The cyclic walkers' epochs start
	// from the symmetric ones of the start schemes (or else the pool's best
	// symmetric schemes), a start with fewer fixed terms
	// (cyclic.PairedStart) and the standard algorithm: each once, then
	// each with a share of the flips that halves with every orbit its best
	// descent is above the best start's. With one worker only cyclic walks
	// run. In a Z run the cyclic and plain Z2 walkers come first, the
	// ternary walkers from the third worker on.
	//
	// A format that is not square gets cyclic walkers of the square format
	// N×N×N above it (N its largest size, at most cyclic.MaxN): whenever
	// one of their epochs ends, the restrictions to Format of its best
	// schemes become starts of the plain walkers, whose epochs take turns
	// between the newest of these and the run's starts. Their schemes are
	// kept in the run directory's subdirectory named for N×N×N (like
	// 5x5x5-z2). With one worker only plain walks run.
	Cyclic bool
	// Transpose adds walkers that keep the scheme transpose-symmetric
	// (search/transpose; formats with two equal sizes, walked as n×m×n):
	// terms come in orbits u⊗v⊗w, vᵀ⊗uᵀ⊗wᵀ and fixed terms, and, as with
	// Cyclic, every new best they find becomes a start of the plain Z2
	// walkers. Unlike Cyclic on 5x5x5 it has not paid on the formats
	// measured: one symmetric walker reached 62-72 on 5x3x5 and 82-93 on
	// 5x4x5 in 60 s (2 seeds x 3 plus-transition settings), and plain
	// walks from the best of those 61 and 81, where plain walks from
	// composites reach 59 and 77. With both Cyclic and Transpose the lanes
	// are cyclic, plain Z2 (and ternary in a Z run), transpose, one worker
	// each in turn.
	Transpose bool
	// Starts are more start schemes of Format over any field (verified by
	// Run; reduced mod 2 for the Z2 walkers, used by the ternary walkers
	// when over Z with coefficients in {-1, 0, 1}), like a direct sum or
	// a restriction from frontier/meta: the search's epochs take turns starting from each of
	// these (lowest rank first) and from the run's start (From, the pool or
	// the standard algorithm), which hedges between a start that descends
	// fast and one that is a trap. Each also goes into the pool; in a Z
	// run, the ones over Z2 below the best rank over Z are lifted first.
	Starts []*tensorgame.Scheme
	// RunDir is the run directory ("": the pool is kept in memory only).
	RunDir string
	// Status, when non-nil, is called about every StatusEvery (default 1 s)
	// from a separate goroutine with a snapshot of the counters.
	Status      func(Stats)
	StatusEvery time.Duration
	// Tuning holds the knobs of the walk; its zero value gives defaults.
	Tuning Tuning
}

// Tuning holds the knobs of the walk. Zero values give the defaults.
type Tuning struct {
	// Chunk is the number of flips a walker makes between two updates of
	// the counters and looks at ctx (default 16384).
	Chunk int64
	// PlusAfter is the number of flips without a reduction after which a
	// walker makes a plus transition (default walkkit.DefaultPlusAfter;
	// negative: never).
	PlusAfter int64
	// PlusMax bounds plus transitions to PlusMax ranks above the start
	// rank of a walk (default 2).
	PlusMax int
	// PathLimit is the least patience of a walk: a walk from a pool scheme
	// ends after max(PathLimit, the flips it took to reach its best) flips
	// without a new best (default 4 million: 4x4x4 -> 49 in a median of
	// 7.3 million flips over 10 seeds, against 22 million with 1 million).
	PathLimit int64
	// DescentStall switches plus transitions on in a walk once it has gone
	// DescentStall times its mean number of flips per improvement without
	// one (and at least PlusAfter flips); before that the walk descends
	// without them (default 4).
	DescentStall float64
	// Diversity is the number of distinct schemes the pool collects at a
	// rank before the walkers start from that rank (default 4): until
	// then they keep starting from the rank above, so that every rank is
	// reached from several lineages.
	Diversity int
	// FailLimit makes the search adaptive: after FailLimit attempts in a
	// row from one rank fail, the diversity wanted at that rank doubles (up
	// to PerRank), so the walkers go back to the rank above for more
	// distinct starting schemes (default 16; negative: never).
	FailLimit int
	// StallRatio and StallMin restart the search when it stalls: when the
	// flips since the best rank of the current epoch last improved exceed
	// max(StallMin × L(k), StallRatio × the flips the epoch took to get
	// there), a new epoch starts from the run's start schemes with an empty
	// pool of its own (the schemes found so far stay in the run's pool).
	// L(k) is the Luby sequence 1, 1, 2, 1, 1, 2, 4, ... at the lane's k-th
	// epoch, so that some epochs stay long on a hard plateau. Restarts cut
	// the heavy tail of descents that went down a poor lineage (defaults 1
	// and 10 million; StallRatio < 0: never).
	StallRatio float64
	StallMin   int64
	// PerRank and Depth bound the pool (see pool.Options).
	PerRank, Depth int
}

func (t Tuning) withDefaults() Tuning {
	if t.Chunk <= 0 {
		t.Chunk = 1 << 14
	}
	if t.PlusAfter == 0 {
		t.PlusAfter = walkkit.DefaultPlusAfter
	}
	if t.PlusMax <= 0 {
		t.PlusMax = 2
	}
	if t.PathLimit <= 0 {
		t.PathLimit = 4_000_000
	}
	if t.DescentStall <= 0 {
		t.DescentStall = 4
	}
	if t.Diversity <= 0 {
		t.Diversity = 4
	}
	if t.FailLimit == 0 {
		t.FailLimit = 16
	}
	if t.PerRank <= 0 {
		t.PerRank = 64
	}
	if t.StallRatio == 0 {
		t.StallRatio = 1
	}
	if t.StallMin <= 0 {
		t.StallMin = 10_000_000
	}
	return t
}

// poolOptions are the options of the run's pools (see PerRank and Depth).
func (t Tuning) poolOptions() pool.Options { return pool.Options{PerRank: t.PerRank, Depth: t.Depth} }
