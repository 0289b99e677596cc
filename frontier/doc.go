// Package frontier works on many matrix multiplication formats at once and
// says where they stand against the best known ranks.
//
// It keeps a catalogue of the best schemes of every format and field
// (package frontier/catalogue), carries every improvement to the formats it
// reaches by a meta move (mod 2, and the moves of package frontier/meta:
// restriction, direct sums of any number of parts, which include extension,
// tensor product: see Propagate), and spends its time in flip-graph searches
// (package search) of one format at a time, chosen by a scheduler
// (Scheduler): every format once, small ones first, then the format of
// least effort, the time spent since its rank last went down times its
// size; a format's search time doubles with every search of it that gains
// nothing, so that long walks happen where restarts do not pay. A search
// starts from the catalogue's best schemes of its format and from
// restrictions of those of the formats one size larger; every second
// search of a format is one of its fresh lineage instead, walks from the
// standard algorithm in a pool of their own, while that lineage keeps up.
// A format over Z held lower over Z2 lifts those schemes (package
// search/lift) before it searches, and waits while its Z2 twin is open at
// the same rank. The fixed-format tricks of package reproduce
// (composites, restrictions of the format above, cyclic walks of the square
// format above) are the same moves: both draw them from frontier/meta.
//
// A run directory holds the catalogue, the scheduler's state (frontier.json,
// written atomically after every search, so the same command resumes where
// it stopped), the searches' run directories (search/<format>-<field>) and
// the report: report.md, report.json and gap.png, our rank minus the best
// known for every format. A scheme below the best known rank is a record: it
// is checked a second time by evaluating it on random integer matrices
// (CheckByProduct, independent of tensorgame.Verify) before it is reported.
package frontier
