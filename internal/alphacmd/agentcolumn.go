package alphacmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/alphamat/alphamat/reproduce"
	"github.com/alphamat/alphamat/tensorgame"
)

// agentRow is one row of reproduce --agent: the agent's best rank on a
// format over Z2 within a fixed time, beside the flip walks'.
type agentRow struct {
	Format    string  `json:"format"`
	Field     string  `json:"field"`
	Published int     `json:"published"`
	Flips     int     `json:"flip_walks_rank"`    // the reproduction's best rank (0: none)
	FlipsSecs float64 `json:"flip_walks_seconds"` // its time to the published rank, or searched
	Model     string  `json:"model"`
	Best      int     `json:"agent_rank"` // 0: none found in the time
	Seconds   float64 `json:"agent_seconds"`
	Games     int64   `json:"agent_games"`
	Dir       string  `json:"agent_run"` // the agent's run directory, relative to the reproduction's
}

// agentColumn plays each row of rep over Z2 that a shipped model plays
// (one fits it, or its axes are at most twice the largest's, so that it
// is played through its parts) with the agent alone (alphamat play's defaults) for d, each in a new
// run directory under runDir/agent, and writes the rows to
// runDir/agent.json.
func agentColumn(ctx context.Context, iop *IO, rep *reproduce.Report, d time.Duration, seed uint64, runDir string) ([]agentRow, error) {
	rows := []agentRow{}
	for _, r := range rep.Rows {
		if r.Field != tensorgame.Z2.String() {
			continue
		}
		f, err := tensorgame.ParseFormat(r.Format)
		if err != nil {
			return nil, err
		}
		if _, _, err := loadEvaluator("", f, tensorgame.Z2, true); err != nil {
			continue // no shipped model plays it, even through its parts
		}
		if err := os.MkdirAll(filepath.Join(runDir, "agent"), 0o755); err != nil {
			return nil, err
		}
		dir, err := os.MkdirTemp(filepath.Join(runDir, "agent"), r.Format+"-Z2-")
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(iop.ErrOut, "agent alone on %s over Z2 for %v\n", r.Format, d)
		quiet := &IO{Out: io.Discard, ErrOut: io.Discard}
		res, err := playSearch(ctx, quiet, defaultPlay(f, d, seed, dir))
		if res == nil || ctx.Err() != nil {
			return nil, errors.Join(err, ctx.Err())
		}
		rel, err := filepath.Rel(runDir, dir)
		if err != nil {
			rel = dir
		}
		rows = append(rows, agentRow{Format: r.Format, Field: r.Field, Published: r.Published, Flips: r.Found, FlipsSecs: r.Seconds,
			Model: res.Model, Best: res.Best, Seconds: res.Seconds, Games: res.Games, Dir: rel})
		fmt.Fprintf(iop.ErrOut, "agent alone on %s over Z2: best rank %s in %.0fs (%d games)\n", r.Format, rankString(res.Best), res.Seconds, res.Games)
	}
	err := tensorgame.AtomicWrite(filepath.Join(runDir, "agent.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	})
	return rows, err
}

// writeAgentRows prints the rows of reproduce --agent as a markdown table.
func writeAgentRows(w io.Writer, rows []agentRow, d time.Duration) {
	fmt.Fprintf(w, "\n## The agent alone (shipped models, no flip walks, %v per row)\n\n", d)
	if len(rows) == 0 {
		fmt.Fprintln(w, "No row over Z2 is played by the shipped models.")
		return
	}
	fmt.Fprintln(w, "| format | field | AlphaTensor | flip walks: rank | time | agent: rank | games |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		flips := time.Duration(r.FlipsSecs * float64(time.Second))
		fmt.Fprintf(w, "| %s | %s | %d | %s | %v | %s | %d |\n", r.Format, r.Field, r.Published, rankString(r.Flips), flips.Round(time.Millisecond), rankString(r.Best), r.Games)
	}
}
