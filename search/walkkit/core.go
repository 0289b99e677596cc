package walkkit

import (
	"fmt"
	"math"

	"github.com/alphamat/alphamat/tensorgame"
)

// DefaultPlusAfter is the plateau length (flips without a reduction) after
// which a walker makes a plus transition unless told otherwise: the
// default of every walker and of the search driver (search.Tuning).
const DefaultPlusAfter = 3000

// DefaultExtra is how many terms above its start rank a walker makes room
// for unless told otherwise.
const DefaultExtra = 8

// Options tune a walker. The zero value gives the defaults.
type Options struct {
	// PlusAfter is the number of flips without a reduction after which the
	// walker makes a plus transition (default DefaultPlusAfter; negative:
	// never).
	PlusAfter int64
	// Extra is how many terms above the start rank the walker makes room
	// for, which bounds plus transitions (default DefaultExtra).
	Extra int
}

// WithDefaults returns o with its zero values replaced by the defaults.
func (o Options) WithDefaults() Options {
	if o.PlusAfter == 0 {
		o.PlusAfter = DefaultPlusAfter
	}
	if o.Extra <= 0 {
		o.Extra = DefaultExtra
	}
	return o
}

// Core is the state every walker keeps besides its terms: its format,
// field and options, whether it was started, and its counters. A walker
// embeds it (through an unexported alias, so that only the methods below
// are promoted) and so gets Format, Counts and SetPlusAfter; the walker's
// own code changes it only through the functions of this package.
type Core struct {
	name    string // the walker's package, for messages
	format  tensorgame.Format
	field   tensorgame.Field
	opts    Options
	started bool

	flips, reductions, plus, plateau int64
}

// NewCore returns the core of a walker named name (its package name, which
// prefixes its errors) of format f over field.
func NewCore(name string, f tensorgame.Format, field tensorgame.Field, opts Options) Core {
	return Core{name: name, format: f, field: field, opts: opts.WithDefaults()}
}

// Format returns the walker's format.
func (c *Core) Format() tensorgame.Format { return c.format }

// Counts returns the flips, reductions and plus transitions made since the
// walker was made, and the current plateau: flips since the last reduction
// or Start.
func (c *Core) Counts() (flips, reductions, plus, plateau int64) {
	return c.flips, c.reductions, c.plus, c.plateau
}

// SetPlusAfter sets the number of flips without a reduction after which
// Walk makes a plus transition (negative: never; 0: the default).
func (c *Core) SetPlusAfter(n int64) {
	c.opts.PlusAfter = n
	c.opts = c.opts.WithDefaults()
}

// Extra returns how many terms above the start rank the walker of c makes
// room for.
func Extra(c *Core) int { return c.opts.Extra }

// Reduced counts n reductions.
func Reduced(c *Core, n int) { c.reductions += int64(n) }

// Check returns an error when s is not a verified scheme of the format and
// field of the walker of c, the first checks of every Start.
func Check(c *Core, s *tensorgame.Scheme) error {
	if s.Format != c.format {
		return fmt.Errorf("%s: scheme of format %v, walker of %v", c.name, s.Format, c.format)
	}
	if s.Field != c.field {
		return fmt.Errorf("%s: scheme over %v, want %v", c.name, s.Field, c.field)
	}
	if err := tensorgame.Verify(s); err != nil {
		return fmt.Errorf("%s: start scheme: %w", c.name, err)
	}
	return nil
}

// Begin ends a Start: it runs settle (the reductions the start scheme
// allows, which are not counted), starts a new plateau and marks the walker
// started.
func Begin(c *Core, settle func()) {
	red := c.reductions
	settle()
	c.reductions = red
	c.plateau = 0
	c.started = true
}

// CheckFactors returns an error unless f is a valid format whose factors
// have at most max coefficients each.
func CheckFactors(name string, f tensorgame.Format, max int) error {
	if !f.Valid() {
		return fmt.Errorf("%s: invalid format %v", name, f)
	}
	a, b, c := f.Dims()
	if a > max || b > max || c > max {
		return fmt.Errorf("%s: format %v has factors of %d, %d and %d coefficients; the walker supports at most %d (n·m, m·p, n·p <= %d)",
			name, f, a, b, c, max, max)
	}
	return nil
}

// CheckWidth returns the error of supports(f) (the walker's Supports), or
// an error when the factors of f do not fit the width F: the first checks
// of a constructor generic over the width.
func CheckWidth[F Factor](name string, f tensorgame.Format, supports func(tensorgame.Format) error) error {
	if err := supports(f); err != nil {
		return err
	}
	var x F
	return CheckFactors(name, f, 64*len(x))
}

// Walker is the interface the search driver runs walkers through; its
// contract is documented at search.Walker, which is this type.
type Walker interface {
	Start(s *tensorgame.Scheme) error
	Walk(flips int64, report, ceiling int) int64
	Rank() int
	Scheme() *tensorgame.Scheme
	Counts() (flips, reductions, plus, plateau int64)
	SetPlusAfter(n int64)
}

// Loop is the bookkeeping of a walk loop: the tries and flips made, the
// plateau, plus transitions and the report rank, kept the same way by every
// walker. Walk runs it for most walkers; search/flip, whose flips are so
// cheap that Walk's indirect call per flip would show, writes its loop out
// with it.
type Loop struct {
	c                  *Core
	flips, tries, made int64
	plateau, plusAfter int64
	report             int
}

// NewLoop starts a walk of at most flips tries with the walker of c,
// returning early at rank report or below. It panics if the walker was
// never started.
func NewLoop(c *Core, flips int64, report int) Loop {
	if !c.started {
		panic(c.name + ": Walk before Start")
	}
	plusAfter := c.opts.PlusAfter
	if plusAfter < 0 {
		plusAfter = math.MaxInt64
	}
	return Loop{c: c, flips: flips, plateau: c.plateau, plusAfter: plusAfter, report: report}
}

// More reports whether the loop may try another flip.
func (l *Loop) More() bool { return l.tries < l.flips }

// PlusDue reports whether the plateau is long enough for a plus transition.
func (l *Loop) PlusDue() bool { return l.plateau >= l.plusAfter }

// Plus counts a plus transition when made is true, and returns made.
func (l *Loop) Plus(made bool) bool {
	if made {
		l.c.plus++
		l.plateau = 0
	}
	return made
}

// Flipped counts a flip made that took the rank from before to after, and
// reports whether the walk must stop: a reduction to the report rank.
func (l *Loop) Flipped(before, after int) (stop bool) {
	l.tries++
	l.made++
	if after < before {
		l.plateau = 0
		return after <= l.report
	}
	l.plateau++
	return false
}

// Missed counts a try that made no flip.
func (l *Loop) Missed() { l.tries++ }

// End ends the walk: it adds the flips made to the walker's counters and
// returns them.
func (l *Loop) End() int64 {
	l.c.plateau = l.plateau
	l.c.flips += l.made
	return l.made
}

// Adapt turns a walker constructor into one that returns a Walker (and a
// nil Walker with an error, not a typed nil).
func Adapt[W Walker](newWalker func(tensorgame.Format, uint64, Options) (W, error)) func(tensorgame.Format, uint64, Options) (Walker, error) {
	return func(f tensorgame.Format, seed uint64, opts Options) (Walker, error) {
		w, err := newWalker(f, seed, opts)
		if err != nil {
			return nil, err
		}
		return w, nil
	}
}

// NewWide returns a walker of format f from the constructor of the width
// its factors need (tensorgame.Words): one, two or four 64-bit words. It
// returns an error when f is invalid or its factors have more than
// tensorgame.MaxWideFactor coefficients; name prefixes it.
func NewWide(name string, f tensorgame.Format, seed uint64, opts Options, one, two, four func(tensorgame.Format, uint64, Options) (Walker, error)) (Walker, error) {
	if err := CheckFactors(name, f, tensorgame.MaxWideFactor); err != nil {
		return nil, err
	}
	a, b, c := f.Dims()
	switch tensorgame.Words(max(a, b, c)) {
	case 1:
		return one(f, seed, opts)
	case 2:
		return two(f, seed, opts)
	}
	return four(f, seed, opts)
}

// Mover is what Walk needs of a walker: its moves. A walker implements it
// on a struct holding a pointer to itself; Walk calls Flip through an
// interface, one indirect call per flip, so the fastest walker (search/flip)
// writes its loop out with Loop instead. BenchmarkTries in each walker
// measures the cost (docs/experiments.md, "Walker kit").
type Mover interface {
	// Rank is the rank of the current scheme.
	Rank() int
	// Flip tries one random flip, followed by the reductions it enables.
	// It returns the rank after it and whether it made the flip (it may
	// pick a pair it cannot flip: two entries of one orbit, a result out
	// of range), or a negative rank when no pair of terms shares a factor.
	Flip() (rank int, made bool)
	// Plus makes a plus transition unless it would raise the rank above
	// ceiling or finds no pair to make it with, and reports whether it
	// made one.
	Plus(ceiling int) bool
}

// Walk is the walk loop of a walker, with the semantics of search.Walker's
// Walk: it makes flips with m until it has tried flips times, making plus
// transitions when a plateau reaches the PlusAfter option, and returns the
// number of flips made (counted by Counts too). It returns early right
// after a reduction that brings the rank to report or below (report <= 0:
// never), or when no flip and no plus transition is possible. It panics if
// the walker was never started.
func Walk[M Mover](c *Core, m M, flips int64, report, ceiling int) int64 {
	l := NewLoop(c, flips, report)
	rank := m.Rank()
	for l.More() {
		if l.PlusDue() && l.Plus(m.Plus(ceiling)) {
			rank = m.Rank()
			continue
		}
		r, made := m.Flip()
		switch {
		case r < 0:
			if !l.Plus(m.Plus(ceiling)) {
				return l.End()
			}
			rank = m.Rank()
		case !made:
			l.Missed()
		case l.Flipped(rank, r):
			return l.End()
		default:
			rank = r
		}
	}
	return l.End()
}
