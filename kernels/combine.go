package kernels

// grid is a matrix seen as blocks of rows×cols, perRow blocks to a block
// row; block idx starts at element (idx/perRow·rows, idx%perRow·cols).
type grid[T float] struct {
	m          view[T]
	perRow     int
	rows, cols int
}

func (g grid[T]) offset(idx int) int {
	return idx/g.perRow*g.rows*g.m.stride + idx%g.perRow*g.cols
}

// combine sets dst = beta·dst + alpha·Σ c.Scale·(block c.Index of g) for
// the terms cs (beta 0: dst is not read). It streams: row by row, each
// operand row is read once and each dst row is written once while it is in
// cache, up to four operands per pass over the row; there is no sequence of
// whole-matrix axpys.
func combine[T float](dst view[T], beta T, g grid[T], cs []Coef, alpha T) {
	n := dst.cols
	for i := 0; i < dst.rows; i++ {
		d := dst.data[i*dst.stride : i*dst.stride+n]
		base := i * g.m.stride
		row := func(k int) []T {
			o := g.offset(cs[k].Index) + base
			return g.m.data[o : o+n]
		}
		set := beta == 0
		if !set && beta != 1 {
			for j := range d {
				d[j] *= beta
			}
		}
		for k := 0; k < len(cs); k += 4 {
			switch rest := len(cs) - k; {
			case rest >= 4:
				c0, c1, c2, c3 := alpha*T(cs[k].Scale), alpha*T(cs[k+1].Scale), alpha*T(cs[k+2].Scale), alpha*T(cs[k+3].Scale)
				if set {
					set4(d, row(k), row(k+1), row(k+2), row(k+3), c0, c1, c2, c3)
				} else {
					add4(d, row(k), row(k+1), row(k+2), row(k+3), c0, c1, c2, c3)
				}
			case rest == 3:
				c0, c1, c2 := alpha*T(cs[k].Scale), alpha*T(cs[k+1].Scale), alpha*T(cs[k+2].Scale)
				if set {
					set3(d, row(k), row(k+1), row(k+2), c0, c1, c2)
				} else {
					add3(d, row(k), row(k+1), row(k+2), c0, c1, c2)
				}
			case rest == 2:
				c0, c1 := alpha*T(cs[k].Scale), alpha*T(cs[k+1].Scale)
				if set {
					set2(d, row(k), row(k+1), c0, c1)
				} else {
					add2(d, row(k), row(k+1), c0, c1)
				}
			default:
				c0 := alpha * T(cs[k].Scale)
				if set {
					set1(d, row(k), c0)
				} else {
					add1(d, row(k), c0)
				}
			}
			set = false
		}
	}
}

func set1[T float](d, x0 []T, c0 T) {
	x0 = x0[:len(d)]
	for j := range d {
		d[j] = c0 * x0[j]
	}
}

func add1[T float](d, x0 []T, c0 T) {
	x0 = x0[:len(d)]
	for j := range d {
		d[j] += c0 * x0[j]
	}
}

func set2[T float](d, x0, x1 []T, c0, c1 T) {
	x0, x1 = x0[:len(d)], x1[:len(d)]
	for j := range d {
		d[j] = c0*x0[j] + c1*x1[j]
	}
}

func add2[T float](d, x0, x1 []T, c0, c1 T) {
	x0, x1 = x0[:len(d)], x1[:len(d)]
	for j := range d {
		d[j] += c0*x0[j] + c1*x1[j]
	}
}

func set3[T float](d, x0, x1, x2 []T, c0, c1, c2 T) {
	x0, x1, x2 = x0[:len(d)], x1[:len(d)], x2[:len(d)]
	for j := range d {
		d[j] = c0*x0[j] + c1*x1[j] + c2*x2[j]
	}
}

func add3[T float](d, x0, x1, x2 []T, c0, c1, c2 T) {
	x0, x1, x2 = x0[:len(d)], x1[:len(d)], x2[:len(d)]
	for j := range d {
		d[j] += c0*x0[j] + c1*x1[j] + c2*x2[j]
	}
}

func set4[T float](d, x0, x1, x2, x3 []T, c0, c1, c2, c3 T) {
	x0, x1, x2, x3 = x0[:len(d)], x1[:len(d)], x2[:len(d)], x3[:len(d)]
	for j := range d {
		d[j] = c0*x0[j] + c1*x1[j] + c2*x2[j] + c3*x3[j]
	}
}

func add4[T float](d, x0, x1, x2, x3 []T, c0, c1, c2, c3 T) {
	x0, x1, x2, x3 = x0[:len(d)], x1[:len(d)], x2[:len(d)], x3[:len(d)]
	for j := range d {
		d[j] += c0*x0[j] + c1*x1[j] + c2*x2[j] + c3*x3[j]
	}
}
