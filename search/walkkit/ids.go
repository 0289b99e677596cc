package walkkit

import "fmt"

// IDs are the orbits of a symmetric walker (search/cyclic, search/transpose):
// numbered slots, each live one an orbit of Orbit terms or a fixed term (one
// term, its own image), with the rank they make. Nothing allocates after
// NewIDs.
//
// The fields are read by the walkers' hot loops; they change only through
// the methods.
type IDs struct {
	// Alive lists the live ids densely; Pos[id] is the position of id in
	// Alive (-1: dead).
	Alive, Pos []int32
	// Fixed[id] reports whether the live id is a fixed term.
	Fixed []bool
	// Rank is the number of terms of the live ids.
	Rank  int
	orbit int
	free  []int32
}

// NewIDs returns room for capacity ids, none live, for orbits of orbit
// terms.
func NewIDs(capacity, orbit int) IDs {
	s := IDs{
		Alive: make([]int32, 0, capacity),
		Pos:   make([]int32, capacity),
		Fixed: make([]bool, capacity),
		orbit: orbit,
		free:  make([]int32, 0, capacity),
	}
	s.Reset()
	return s
}

// Cap returns the number of ids.
func (s *IDs) Cap() int { return len(s.Pos) }

// Reset makes every id dead.
func (s *IDs) Reset() {
	ResetIDs(&s.Alive, &s.free, s.Pos)
	s.Rank = 0
}

// Add makes a dead id live, a fixed term or an orbit, and returns it. It
// panics when every id is live.
func (s *IDs) Add(fixed bool) int32 {
	id := s.free[len(s.free)-1]
	s.free = s.free[:len(s.free)-1]
	s.Pos[id] = int32(len(s.Alive))
	s.Alive = append(s.Alive, id)
	s.Fixed[id] = fixed
	if fixed {
		s.Rank++
	} else {
		s.Rank += s.orbit
	}
	return id
}

// Remove makes the live id dead.
func (s *IDs) Remove(id int32) {
	if s.Fixed[id] {
		s.Rank--
	} else {
		s.Rank -= s.orbit
	}
	Unlist(&s.Alive, s.Pos, id)
	s.free = append(s.free, id)
}

// Count returns the number of live orbits and fixed terms.
func (s *IDs) Count() (orbits, fixed int) {
	for _, id := range s.Alive {
		if s.Fixed[id] {
			fixed++
		} else {
			orbits++
		}
	}
	return orbits, fixed
}

// Check returns an error unless Pos, Rank and the free list agree with
// Alive.
func (s *IDs) Check() error {
	rank := 0
	for p, id := range s.Alive {
		if s.Pos[id] != int32(p) {
			return fmt.Errorf("Pos[%d] = %d, want %d", id, s.Pos[id], p)
		}
		if s.Fixed[id] {
			rank++
		} else {
			rank += s.orbit
		}
	}
	if rank != s.Rank {
		return fmt.Errorf("rank %d, the live ids hold %d terms", s.Rank, rank)
	}
	if len(s.Alive)+len(s.free) != len(s.Pos) {
		return fmt.Errorf("%d live and %d free ids of %d", len(s.Alive), len(s.free), len(s.Pos))
	}
	return nil
}
