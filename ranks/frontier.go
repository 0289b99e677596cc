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

//go:embed frontier.tsv
var frontierTSV []byte

// frontierHeader is the header line of frontier.tsv.
const frontierHeader = "format\tbest_z2\tbest_zt\tbest_z\tbest_q"

// Known is the best known rank of one format n×m×p (n <= m <= p) over each
// coefficient ring, from the table of all 680 formats with sizes 2..16
// (frontier.tsv, whose header names its source and licence). A rank is 0
// where the table has "-".
type Known struct {
	Format tensorgame.Format
	// Z2: mod 2; ZT: coefficients in {-1, 0, 1}; Z: integers; Q: rationals.
	Z2, ZT, Z, Q int
}

// Rank returns the best known rank over field: Z2, Z (integer
// coefficients) or Q; 0 when none is listed.
func (k Known) Rank(field tensorgame.Field) int {
	switch field {
	case tensorgame.Z2:
		return k.Z2
	case tensorgame.Z:
		return k.Z
	case tensorgame.Q:
		return k.Q
	}
	return 0
}

// Frontier returns the embedded table of best known ranks of the formats
// with sizes 2..16, one Known per format, sizes ascending.
func Frontier() ([]Known, error) {
	return ParseFrontier(bytes.NewReader(frontierTSV), "frontier.tsv")
}

// FrontierComments returns the header comment lines of the embedded frontier
// table without their leading "# ": its source, licence and columns.
func FrontierComments() []string { return headerComments(frontierTSV) }

// ParseFrontier reads a table in the format of the embedded frontier.tsv:
// comment lines starting with "#", the header line, then one tab-separated
// row per format written with ascending sizes, ranks as integers or "-".
// Errors name the file (name) and line.
func ParseFrontier(r io.Reader, name string) ([]Known, error) {
	sc := bufio.NewScanner(r)
	var (
		rows      []Known
		gotHeader bool
		seen      = map[tensorgame.Format]int{}
		line      int
	)
	columns := strings.Split(frontierHeader, "\t")
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if !gotHeader {
			if !equalFold(fields, columns) {
				return nil, fmt.Errorf("%s:%d: header %q: want the columns %q", name, line, text, frontierHeader)
			}
			gotHeader = true
			continue
		}
		if len(fields) != len(columns) {
			return nil, fmt.Errorf("%s:%d: %d tab-separated fields, want %d", name, line, len(fields), len(columns))
		}
		f, err := tensorgame.ParseFormat(fields[0])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if f != f.Canonical() {
			return nil, fmt.Errorf("%s:%d: format %v: want its sizes ascending (%v)", name, line, f, f.Canonical())
		}
		k := Known{Format: f}
		for i, p := range []*int{&k.Z2, &k.ZT, &k.Z, &k.Q} {
			s := strings.TrimSpace(fields[i+1])
			if s == "-" {
				continue
			}
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 || v > f.Naive() {
				return nil, fmt.Errorf("%s:%d: column %s: rank %q for %v is not an integer in 1..%d",
					name, line, columns[i+1], s, f, f.Naive())
			}
			*p = v
		}
		if prev, ok := seen[f]; ok {
			return nil, fmt.Errorf("%s:%d: format %v repeats line %d", name, line, f, prev)
		}
		seen[f] = line
		rows = append(rows, k)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if !gotHeader {
		return nil, fmt.Errorf("%s: no header line", name)
	}
	return rows, nil
}
