// Package pool keeps the best schemes a search has found: a bounded set of
// distinct schemes at each rank near the best, shared by all walkers of a
// run, and optionally mirrored in a run directory on disk so that a killed
// run resumes where it stopped.
//
// # Pool
//
// A [Pool] holds verified schemes of one format and field, bucketed by rank.
// Schemes are deduplicated by a canonical hash that ignores term order
// ([Hash]); each rank keeps at most Options.PerRank schemes, and ranks more
// than Options.Depth above the best are dropped. [Pool.Best] is a lock-free
// read; every other method takes a mutex, which is fine because walkers touch
// the pool only when they improve on it or restart from it.
//
// # Run directory
//
// A pool opened with [Open] on a directory writes, before Add returns, every
// scheme it accepts:
//
//	DIR/state.json                      format, field, seed, counters (resume)
//	DIR/<n>x<m>x<p>_r<R>_<FIELD>.txt    the first scheme found at rank R
//	DIR/pool/<n>x<m>x<p>_r<R>_<FIELD>_<hash>.txt   pool members
//	DIR/lock                            pid of the process that holds DIR
//
// All files are written atomically (tensorgame.WriteFile, which verifies
// first), a new best rank's top-level file before its pool/ file, so a run
// killed at any moment, even by SIGKILL, loses nothing it had reported;
// Open reads them back, rebuilds a missing best file, removes stale
// temporary files and sets damaged files aside (NAME.corrupt, reported by
// [Pool.Warnings]). Open locks the directory until [Pool.Close] or the end
// of the process, so two processes never share it. Open refuses a
// directory that holds a run of another format or field, and changes
// nothing on disk in that case, or one that is locked.
package pool
