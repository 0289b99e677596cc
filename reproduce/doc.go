// Package reproduce runs the job most users start with: it searches, from
// scratch, every requested format of AlphaTensor's table (Fawzi et al.,
// Nature 2022, Fig. 3) over Z2 and over Z down to the published ranks, and
// reports what it reached, how long it took and how each scheme was found.
//
// A reproduction lives in one run directory: one search run directory per
// row (<format>-<field>/, see package search/pool), a rows.json state file
// that records the rows already reproduced (a resumed run skips them), and
// at the end report.md, report.json and plots. Every scheme in it is verified
// before it is written.
package reproduce
