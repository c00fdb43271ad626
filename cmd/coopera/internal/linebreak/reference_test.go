package linebreak

import "math"

// reference finds the minimum total demerits of one pass by dynamic
// programming over every (break, line number, fitness, hyphen run) state,
// with no active-list pruning. It follows the same rules as the breaker
// (legal breaks, discarded items, deactivation at the first overfull line or
// a forced break) and returns +Inf if the pass finds no solution.
func reference(items []Item, widths []float64, opt Options, threshold float64, hyphens bool) float64 {
	type state struct {
		pos, after, line, hyph int
		fit                    int
		total                  float64
		dead                   bool
	}
	nextSolid := func(i int) int {
		for i < len(items) && items[i].Kind != Box && !forced(items[i]) {
			i++
		}
		return i
	}
	states := []*state{{pos: -1, after: 0, fit: 2}}
	n := len(items)
	implicit := !forced(items[n-1])
	var finals []*state
	for q := 0; q <= n; q++ {
		var penW, pi float64
		flagged, isForced := false, q == n
		if q == n {
			if !implicit {
				break
			}
		} else {
			it := items[q]
			switch it.Kind {
			case Box:
				continue
			case Glue:
				if q == 0 || items[q-1].Kind != Box {
					continue
				}
			case Penalty:
				if it.Penalty >= Infinity || (it.Flagged && !hyphens && !forced(it)) {
					continue
				}
				penW, pi, flagged, isForced = it.Width, it.Penalty, it.Flagged, forced(it)
			}
		}
		isEnd := q == n || (q == n-1 && isForced)
		best := map[[4]int]*state{}
		for _, s := range states {
			if s.dead || q < s.after {
				continue
			}
			var w, y, z float64
			fil := 0
			for _, it := range items[s.after:min(q, n)] {
				switch it.Kind {
				case Box:
					w += it.Width
				case Glue:
					w += it.Width
					z += it.Shrink
					if it.Stretch >= Fil {
						fil++
					} else {
						y += it.Stretch
					}
				}
			}
			w += penW
			lw := widthOf(widths, s.line)
			bad, fit := 0.0, 2
			if w < lw && fil == 0 {
				bad = badness(lw-w, y)
				if bad > 99 {
					fit = 0
				} else if bad > 12 {
					fit = 1
				}
			} else if w > lw {
				if w-lw > z+overfullEp*(1+math.Abs(lw)) {
					s.dead = true
					continue
				}
				bad = badness(w-lw, z)
				if bad > 12 {
					fit = 3
				}
			}
			if isForced {
				s.dead = true
			}
			if bad > threshold {
				continue
			}
			h := 0
			if flagged {
				h = s.hyph + 1
				if opt.MaxConsecutiveHyphens > 0 && h > opt.MaxConsecutiveHyphens && !isForced {
					continue
				}
			}
			x := opt.LinePenalty + bad
			d := x * x
			if x >= 10000 {
				d = 1e8
			}
			if pi > 0 {
				d += pi * pi
			} else if pi > -Infinity {
				d -= pi * pi
			}
			if flagged && s.hyph > 0 {
				d += opt.DoubleHyphenDemerits
			}
			if isEnd && s.hyph > 0 {
				d += opt.FinalHyphenDemerits
			}
			if fit-s.fit > 1 || s.fit-fit > 1 {
				d += opt.AdjDemerits
			}
			key := [4]int{q, s.line + 1, fit, h}
			if b, ok := best[key]; !ok || s.total+d < b.total {
				best[key] = &state{pos: q, after: nextSolid(q + 1), line: s.line + 1, hyph: h, fit: fit, total: s.total + d}
			}
		}
		for _, s := range best {
			states = append(states, s)
			if isEnd {
				finals = append(finals, s)
			}
		}
	}
	res := math.Inf(1)
	for _, s := range finals {
		res = min(res, s.total)
	}
	return res
}
