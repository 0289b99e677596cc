package agent

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

// magic opens every checkpoint file.
const magic = "alphamat-agent v1\n"

// checkpoint is the gob-encoded body of a checkpoint file.
type checkpoint struct {
	Config  Config
	Names   []string
	Weights [][]float32
	// Training state, absent from a model saved for play only.
	Train *trainCheckpoint
}

type trainCheckpoint struct {
	Config TrainConfig
	State  TrainState
	Adam   adam
	PCG    []byte
}

func (n *Net) checkpoint() *checkpoint {
	ck := &checkpoint{Config: n.cfg}
	for _, p := range n.w.list {
		ck.Names = append(ck.Names, p.name)
		ck.Weights = append(ck.Weights, p.data)
	}
	return ck
}

func writeCheckpoint(w io.Writer, ck *checkpoint) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(magic); err != nil {
		return err
	}
	if err := gob.NewEncoder(bw).Encode(ck); err != nil {
		return fmt.Errorf("encode checkpoint: %w", err)
	}
	return bw.Flush()
}

// WriteTo writes the network (weights only) in the checkpoint format.
func (n *Net) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	if err := writeCheckpoint(&buf, n.checkpoint()); err != nil {
		return 0, err
	}
	return buf.WriteTo(w)
}

// Save writes the network (weights only, for play) to path atomically.
func (n *Net) Save(path string) error {
	return tensorgame.AtomicWrite(path, func(w io.Writer) error {
		_, err := n.WriteTo(w)
		return err
	})
}

// Save writes a checkpoint of the whole run to path atomically: weights,
// optimizer moments, progress and random state, so that LoadTrainer
// resumes it exactly (except the self-play replay buffer, which refills).
func (t *Trainer) Save(path string) error {
	pcg, err := t.pcg.MarshalBinary()
	if err != nil {
		return err
	}
	ck := t.net.checkpoint()
	ck.Train = &trainCheckpoint{Config: t.cfg, State: t.state, Adam: *t.opt, PCG: pcg}
	return tensorgame.AtomicWrite(path, func(w io.Writer) error { return writeCheckpoint(w, ck) })
}

func readCheckpoint(r io.Reader, name string) (*checkpoint, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("%s: not an alphamat agent checkpoint", name)
	}
	var ck checkpoint
	if err := gob.NewDecoder(br).Decode(&ck); err != nil {
		return nil, fmt.Errorf("%s: decode checkpoint: %w", name, err)
	}
	return &ck, nil
}

// netFrom builds the network of a checkpoint, checking the Config's bounds
// and every tensor's name and size against it before allocating the
// network, so that a hostile file makes it allocate no more than it holds.
func netFrom(ck *checkpoint, name string) (*Net, error) {
	if err := ck.Config.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	shapes := weightShapes(ck.Config)
	if len(ck.Names) != len(shapes) || len(ck.Weights) != len(shapes) {
		return nil, fmt.Errorf("%s: %d weight tensors, want %d for its config", name, len(ck.Weights), len(shapes))
	}
	for i, p := range shapes {
		if ck.Names[i] != p.name || len(ck.Weights[i]) != p.rows*p.cols {
			return nil, fmt.Errorf("%s: tensor %d is %s with %d values, want %s with %d", name, i, ck.Names[i], len(ck.Weights[i]), p.name, p.rows*p.cols)
		}
	}
	n := newNet(ck.Config)
	for i, p := range n.w.list {
		copy(p.data, ck.Weights[i])
	}
	return n, nil
}

// ReadNet reads a network from a checkpoint (with or without training
// state); name is used in errors.
func ReadNet(r io.Reader, name string) (*Net, error) {
	ck, err := readCheckpoint(r, name)
	if err != nil {
		return nil, err
	}
	return netFrom(ck, name)
}

// LoadNet reads a network from the checkpoint file at path.
func LoadNet(path string) (*Net, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadNet(f, path)
}

// LoadTrainer resumes the run saved at path. Fields of cfg that are set
// override the saved configuration where that is safe (batch size,
// learning rate, search, workers, fractions); the format, field and demo
// formats stay those of the run.
func LoadTrainer(path string, cfg TrainConfig) (*Trainer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ck, err := readCheckpoint(f, path)
	if err != nil {
		return nil, err
	}
	if ck.Train == nil {
		return nil, fmt.Errorf("%s: a model without training state; cannot resume from it", path)
	}
	n, err := netFrom(ck, path)
	if err != nil {
		return nil, err
	}
	saved := ck.Train.Config
	saved.Format, saved.Field = ck.Train.Config.Format, ck.Train.Config.Field
	if cfg.BatchSize > 0 {
		saved.BatchSize = cfg.BatchSize
	}
	if cfg.LR > 0 {
		saved.LR = cfg.LR
	}
	if cfg.SelfPlayFraction > 0 {
		saved.SelfPlayFraction = cfg.SelfPlayFraction
	}
	if cfg.Workers > 0 {
		saved.Workers = cfg.Workers
	}
	if cfg.Search != (mcts.Config{}) {
		saved.Search = cfg.Search
	}
	t, err := NewTrainer(saved, n)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ad := ck.Train.Adam
	if len(ad.M) != len(n.w.list) || len(ad.V) != len(n.w.list) {
		return nil, fmt.Errorf("%s: optimizer state has %d tensors, want %d", path, len(ad.M), len(n.w.list))
	}
	for i, p := range n.w.list {
		if len(ad.M[i]) != len(p.data) || len(ad.V[i]) != len(p.data) {
			return nil, fmt.Errorf("%s: optimizer state of %s has the wrong size", path, p.name)
		}
	}
	ad.LR = t.cfg.LR
	t.opt = &ad
	t.state = ck.Train.State
	if err := t.pcg.UnmarshalBinary(ck.Train.PCG); err != nil {
		return nil, fmt.Errorf("%s: random state: %w", path, err)
	}
	t.rng = rand.New(t.pcg)
	return t, nil
}
