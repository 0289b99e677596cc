package ranks

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/alphamat/alphamat/tensorgame"
)

//go:embed ranks.tsv
var tableTSV []byte

// header is the line the table must start with (after its comments).
const header = "format\tprior\tat_z2\tat_z\tbest_z2\tbest_z\tbest_q\tbest_source"

// nColumns is the number of tab-separated fields in header.
const nColumns = 8

// Row is one format's published ranks. A rank is 0 where the table has "-".
type Row struct {
	Format tensorgame.Format
	// Prior is the best known rank before AlphaTensor (Fawzi et al. 2022, Fig. 3).
	Prior int
	// ATZ2 and ATZ are AlphaTensor's ranks mod 2 and in standard arithmetic.
	ATZ2, ATZ int
	// BestZ2, BestZ and BestQ are the best known ranks mod 2, over the
	// integers (valid in any ring) and over the rationals.
	BestZ2, BestZ, BestQ int
	// Source names the papers behind the best known ranks.
	Source string
}

// Best returns the best known rank over field, or 0 if none is published.
func (r Row) Best(field tensorgame.Field) int {
	switch field {
	case tensorgame.Z2:
		return r.BestZ2
	case tensorgame.Z:
		return r.BestZ
	case tensorgame.Q:
		return r.BestQ
	}
	return 0
}

// AlphaTensor returns AlphaTensor's rank over field (Z2 or Z), or 0 if it
// published none.
func (r Row) AlphaTensor(field tensorgame.Field) int {
	switch field {
	case tensorgame.Z2:
		return r.ATZ2
	case tensorgame.Z:
		return r.ATZ
	}
	return 0
}

// Table returns the embedded table, one Row per format in file order.
func Table() ([]Row, error) {
	return Parse(bytes.NewReader(tableTSV), "ranks.tsv")
}

// Lookup returns the row for format f, and false if f is not in the table.
// The embedded table is checked by the package tests; Lookup panics if it
// does not parse, which is a build bug rather than a data outcome.
func Lookup(f tensorgame.Format) (Row, bool) {
	rows, err := Table()
	if err != nil {
		panic("ranks: embedded table: " + err.Error())
	}
	for _, r := range rows {
		if r.Format == f {
			return r, true
		}
	}
	return Row{}, false
}

// Comments returns the header comment lines of the embedded table without
// their leading "# ": the column meanings and the sources.
func Comments() []string { return headerComments(tableTSV) }

// headerComments returns the leading "#" lines of an embedded table without
// their "# ".
func headerComments(table []byte) []string {
	var out []string
	for line := range strings.Lines(string(table)) {
		if !strings.HasPrefix(line, "#") {
			break
		}
		out = append(out, strings.TrimSpace(strings.TrimPrefix(line, "#")))
	}
	return out
}

// Parse reads a ranks table in the format of the embedded ranks.tsv: comment
// lines starting with "#", a header line naming the columns, then one
// tab-separated row per format with ranks as integers or "-". Errors name the
// file (name) and line.
func Parse(r io.Reader, name string) ([]Row, error) {
	sc := bufio.NewScanner(r)
	var (
		rows      []Row
		gotHeader bool
		seen      = map[tensorgame.Format]int{}
		line      int
	)
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if !gotHeader {
			if !equalFold(fields, strings.Split(header, "\t")) {
				return nil, fmt.Errorf("%s:%d: header %q: want the columns %q",
					name, line, text, header)
			}
			gotHeader = true
			continue
		}
		row, err := parseRow(fields)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if prev, ok := seen[row.Format]; ok {
			return nil, fmt.Errorf("%s:%d: format %v repeats line %d", name, line, row.Format, prev)
		}
		seen[row.Format] = line
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if !gotHeader {
		return nil, fmt.Errorf("%s: no header line", name)
	}
	return rows, nil
}

func parseRow(fields []string) (Row, error) {
	if len(fields) != nColumns {
		return Row{}, fmt.Errorf("%d tab-separated fields, want %d", len(fields), nColumns)
	}
	columns := strings.Split(header, "\t")
	f, err := tensorgame.ParseFormat(fields[0])
	if err != nil {
		return Row{}, err
	}
	row := Row{Format: f, Source: strings.TrimSpace(fields[7])}
	dst := []*int{&row.Prior, &row.ATZ2, &row.ATZ, &row.BestZ2, &row.BestZ, &row.BestQ}
	for i, p := range dst {
		s := strings.TrimSpace(fields[i+1])
		if s == "-" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > f.Naive() {
			return Row{}, fmt.Errorf("column %s: rank %q for %v is not an integer in 1..%d",
				columns[i+1], s, f, f.Naive())
		}
		*p = v
	}
	return row, nil
}

func equalFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(strings.TrimSpace(a[i]), b[i]) {
			return false
		}
	}
	return true
}
