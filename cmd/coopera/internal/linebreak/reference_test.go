package linebreak

import "math"

// refPass describes one pass of the breaker for the reference and for
// passDemerits: its badness threshold, whether flagged breaks are allowed,
// the emergency stretch added to lines that can stretch, and whether it is
// the last resort (uncapped badness past Infinity).
type refPass struct {
	threshold float64
	hyphens   bool
	emergency float64
	final     bool
}

// passesOf lists the passes Break runs for opt, in order.
func passesOf(opt Options) []refPass {
	var ps []refPass
	if opt.PreTolerance >= 0 {
		ps = append(ps, refPass{threshold: opt.PreTolerance})
	}
	ps = append(ps, refPass{threshold: opt.Tolerance, hyphens: true})
	if opt.EmergencyStretch > 0 {
		ps = append(ps, refPass{threshold: opt.Tolerance, hyphens: true, emergency: opt.EmergencyStretch})
	}
	return append(ps, refPass{threshold: math.Inf(1), hyphens: true, final: true})
}

// reference is referencePass for a normal pass.
func reference(items []Item, widths []float64, opt Options, threshold float64, hyphens bool) float64 {
	return referencePass(items, widths, opt, refPass{threshold: threshold, hyphens: hyphens})
}

// referencePass finds the minimum total demerits of one pass by dynamic
// programming over every (break, line number, fitness, hyphen run) state,
// with no active-list pruning. It follows the same rules as the breaker
// (legal breaks, discarded items, deactivation at the first overfull line or
// a forced break) and returns +Inf if the pass finds no solution. It does not
// model the last pass's rescue of an overfull segment, so for a final pass
// +Inf means that rescue was needed.
func referencePass(items []Item, widths []float64, opt Options, p refPass) float64 {
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
				if it.Penalty >= Infinity || (it.Flagged && !p.hyphens && !forced(it)) {
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
				if y > 0 {
					y += p.emergency
				}
				bad = badness(lw-w, y)
				if bad > 99 {
					fit = 0
				} else if bad > 12 {
					fit = 1
				}
				if p.final && bad >= Infinity {
					bad = lastResortBadness(lw-w, y, lw)
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
			if bad > p.threshold {
				continue
			}
			h := 0
			if flagged {
				h = s.hyph + 1
				if opt.MaxConsecutiveHyphens > 0 && h > opt.MaxConsecutiveHyphens && !isForced {
					continue
				}
			}
			d := lineDemerits(opt, bad, pi)
			if flagged && s.hyph > 0 {
				d += opt.DoubleHyphenDemerits
			}
			if isEnd && s.hyph > 0 {
				d += opt.FinalHyphenDemerits
			}
			if fit-s.fit > 1 || s.fit-fit > 1 {
				d += opt.AdjDemerits
			}
			// Past the last given width every line number is alike.
			line := min(s.line+1, len(widths)-1)
			key := [4]int{q, line, fit, h}
			if b, ok := best[key]; !ok || s.total+d < b.total {
				best[key] = &state{pos: q, after: nextSolid(q + 1), line: line, hyph: h, fit: fit, total: s.total + d}
			}
		}
		live := states[:0]
		for _, s := range states {
			if !s.dead {
				live = append(live, s)
			}
		}
		states = live
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

// lineDemerits is TeX's (LinePenalty + badness)² ± penalty², capped at 1e8
// unless the badness is past Infinity (last pass only).
func lineDemerits(opt Options, bad, pi float64) float64 {
	x := opt.LinePenalty + bad
	d := x * x
	if x >= 10000 && bad <= Infinity {
		d = 1e8
	}
	if pi > 0 {
		d += pi * pi
	} else if pi > -Infinity {
		d -= pi * pi
	}
	return d
}
