package alphacmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestTrainWritesAndResumes(t *testing.T) {
	dir := t.TempDir()
	args := []string{"train", "2x2x2", "--run", dir, "--demo-steps", "3", "--rounds", "1", "--games", "2",
		"--round-steps", "2", "--sims", "4", "--samples", "4", "--batch", "4", "--hidden", "8", "--head", "8", "--workers", "2",
		"--eval-every", "2", "--eval-problems", "2", "--eval-sims", "2"}
	out, errOut, err := agentExec(t, args...)
	if err != nil {
		t.Fatalf("train: %v\n%s", err, errOut)
	}
	for _, f := range []string{"agent.ckpt", "model.bin", "curve.json", "command.txt", "curve.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if !strings.Contains(out, "5 SGD steps") {
		t.Errorf("summary %q, want 5 SGD steps", out)
	}
	// Rerun with one more round: resumes from the checkpoint.
	args[7] = "2" // --rounds 2
	out, errOut, err = agentExec(t, args...)
	if err != nil {
		t.Fatalf("resumed train: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "resuming") || !strings.Contains(out, "7 SGD steps, 2 self-play rounds") {
		t.Errorf("resume: stderr %q\nstdout %q", errOut, out)
	}
	// The curve: a point at the start, every 2 steps and at the end of
	// each phase (steps 0, 2, 3, 4, 5, 6, 7), both command lines.
	data, err := os.ReadFile(filepath.Join(dir, "curve.json"))
	if err != nil {
		t.Fatal(err)
	}
	var crv trainCurve
	if err := json.Unmarshal(data, &crv); err != nil {
		t.Fatal(err)
	}
	var steps []int64
	for _, p := range crv.Points {
		steps = append(steps, p.Step)
		if p.HeldOut != 2 || p.HeldOutSolved < 0 || p.HeldOutSolved > p.HeldOut {
			t.Errorf("point at step %d: %d of %d held-out problems solved, want 2 problems", p.Step, p.HeldOutSolved, p.HeldOut)
		}
	}
	if want := []int64{0, 2, 3, 4, 5, 6, 7}; !slices.Equal(steps, want) {
		t.Errorf("curve at steps %v, want %v", steps, want)
	}
	if len(crv.Commands) != 2 {
		t.Errorf("%d command lines, want 2", len(crv.Commands))
	}
	// The model plays.
	if _, errOut, err := agentExec(t, "play", "2x2x2", "--model", filepath.Join(dir, "model.bin"), "--run", dir,
		"--time", "500ms", "--sims", "5", "--games", "1"); err != nil && !strings.Contains(err.Error(), "exit") {
		t.Errorf("play with the trained model: %v\n%s", err, errOut)
	}
}

func TestTrainUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"train"},
		{"train", "2x2x2", "--field", "q"},
		{"train", "2x2x2", "--batch", "0"},
		{"train", "2x2x2", "--demo-formats", "9x"},
		{"train", "2x2x2", "--demo-sub", "1.5"},
	} {
		if _, _, err := agentExec(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
