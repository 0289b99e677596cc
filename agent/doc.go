// Package agent is the policy/value network that guides the tree search: it
// is trained on synthetic demonstrations and self-play, and is seen by
// package search only through a batched Evaluate interface.
package agent
