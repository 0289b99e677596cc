// Package ranks holds the published ranks of small matrix-multiplication
// formats: the best known rank before AlphaTensor, AlphaTensor's ranks (mod 2
// and over Z), and the best known ranks over Z2, Z and Q as of 2026, each with
// its source.
//
// The table is embedded from ranks.tsv, a tab-separated file whose header
// comments cite the sources (AlphaTensor, Fawzi et al., Nature 2022; the flip
// graph papers of Kauers and Moosbauer, Arai et al., Moosbauer and Poole;
// Kauers and Wood; AlphaEvolve; Dumas, Pernet and Sedoglavic; Hopcroft and
// Kerr; Laderman; Smirnov; the FMM catalogue). A "-" in the file (no
// published rank) reads as 0.
//
// Frontier holds the best known ranks of all 680 formats with sizes 2..16
// (frontier.tsv, from the FastMatrixMultiplication catalogue, MIT licence),
// embedded so that a clone works without the shared data.
//
// Formats are written n×m×p for C (n×p) = A (n×m) · B (m×p), as in package
// tensorgame.
package ranks
