// Package models holds the small trained agent networks that ship with
// alphamat, embedded in the binary so that `alphamat play` works without
// any other file. Each model is an agent checkpoint (weights only) named
// after the largest format it was sized for and its field, for example
// 2x2x2_Z2.model; models/README.md gives the command that trained each.
package models
