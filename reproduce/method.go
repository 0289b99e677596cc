package reproduce

import (
	"slices"

	"github.com/alphamat/alphamat/tensorgame"
)

// method names how a scheme was found, from its Origin alone ("unknown"
// without one): the move that made it (flips, cyclic flips, transpose
// flips, ternary, lift, standard, agent, published, reduced from Z), and
// the start it descends from: the last move in its lineage that came from
// another format (composite, restriction, extension, product; a
// restriction of a scheme of cyclic walks is a cyclic restriction), else
// the symmetric walks an asymmetric move continued (from cyclic, from
// transpose). A start stored as it is is named by its start alone.
func method(o *tensorgame.Origin) string {
	if o == nil {
		return "unknown"
	}
	lin := o.Lineage
	if len(lin) == 0 || lin[len(lin)-1] != o.Move {
		lin = append(slices.Clone(lin), o.Move)
	}
	// Permuting a scheme (cyclic or transposed image) changes nothing of
	// how it was found.
	last := len(lin) - 1
	for last > 0 && lin[last] == tensorgame.MovePermute {
		last--
	}
	from, k := "", -1
	for i := last; i >= 0; i-- {
		if name, ok := startNames[lin[i]]; ok {
			from, k = name, i
			break
		}
	}
	if from == "restriction" && slices.Contains(lin[:k], tensorgame.MoveCyclicFlips) {
		from = "cyclic restriction"
	}
	if k == last {
		return from
	}
	m, ok := moveNames[lin[last]]
	if !ok {
		m = string(lin[last])
	}
	if from != "" {
		return m + " from " + from
	}
	for _, sym := range []tensorgame.Move{tensorgame.MoveCyclicFlips, tensorgame.MoveTransFlips} {
		if lin[last] != sym && slices.Contains(lin[:last], sym) {
			return m + " from " + symNames[sym]
		}
	}
	return m
}

// moveNames name the moves that make a scheme of a format from one of the
// same format (or from nothing), in the method column.
var moveNames = map[tensorgame.Move]string{
	tensorgame.MoveStandard:     "standard",
	tensorgame.MovePublished:    "published",
	tensorgame.MoveFlips:        "flips",
	tensorgame.MoveCyclicFlips:  "cyclic flips",
	tensorgame.MoveTransFlips:   "transpose flips",
	tensorgame.MoveTernaryFlips: "ternary",
	tensorgame.MoveLift:         "lift",
	tensorgame.MoveMod2:         "reduced from Z",
	tensorgame.MovePlay:         "agent",
	tensorgame.MoveTrain:        "agent",
}

// startNames name the moves that make a start from schemes of other
// formats.
var startNames = map[tensorgame.Move]string{
	tensorgame.MoveSum:      "composite",
	tensorgame.MoveRestrict: "restriction",
	tensorgame.MoveExtend:   "extension",
	tensorgame.MoveProduct:  "product",
}

// symNames name the symmetric walks.
var symNames = map[tensorgame.Move]string{
	tensorgame.MoveCyclicFlips: "cyclic",
	tensorgame.MoveTransFlips:  "transpose",
}
