// Package reproduce runs the job most users start with: it searches, from
// scratch, every requested format of AlphaTensor's table (Fawzi et al.,
// Nature 2022, Fig. 3) over Z2 and over Z down to the published ranks, and
// reports what it reached, how long it took and how each scheme was found.
//
// The starts that come from other formats are the frontier's meta moves
// (package frontier/meta), drawn from the rows' run directories: one
// implementation of each for both commands. Rows run smallest format
// first, each also starting from the direct sum of the smaller formats'
// schemes found before it (a composite, meta.Sum). Square rows from 5x5x5
// on, and the rows one size below them (4x5x5), add cyclic walkers
// (search.Config.Cyclic, where meta.Cyclic says): of the row's own format, or of the square
// format above it, whose schemes' restrictions become starts. A row one
// size below such a row runs after it and starts also from restrictions of
// its schemes: 4x5x5 after 5x5x5, 3x5x5 and 4x4x5 after 4x5x5. Rows still
// missed then run once more, largest format first, starting from
// restrictions of the schemes of the formats one size larger (see
// meta.Restrictions): 4x5x5 from 5x5x5, then 3x5x5 from 4x5x5. With
// Config.Beyond, the reproduced rows whose best known rank is below
// AlphaTensor's (4x4x5, 4x5x5 and 5x5x5) are then searched once more toward
// the best known rank.
//
// A reproduction lives in one run directory: one search run directory per
// row (<format>-<field>/, see package search/pool), a rows.json state file
// that records the rows already reproduced (a resumed run skips them), and
// at the end report.md, report.json and plots. Every scheme in it is verified
// before it is written.
//
// How a row's scheme was found (Row.Method: "flips from composite", "lift
// from cyclic restriction", ...) is computed from the scheme's
// tensorgame.Origin, its move and lineage, never from its comments; a
// scheme without an Origin is "unknown".
//
// The code: reproduce.go (the configuration, the rows, Run), schedule.go
// (which rows wait for which, the first pass), passes.go (searching a row,
// the second pass, the pass beyond, the reduction from Z), table.go (the
// rows shared by the passes), method.go, state.go (rows.json) and
// report.go.
package reproduce
