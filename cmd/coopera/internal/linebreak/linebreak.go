// Package linebreak is the line-breaking step of the typeset stage: its one job
// is to choose where a paragraph breaks into lines, with the Knuth-Plass
// total-fit algorithm (Knuth & Plass 1981, as in TeX) over boxes, glue and
// penalties. It knows nothing about fonts or PDF: the typesetter measures words,
// builds the items and sets the lines it gets back.
//
// The breaker runs the same passes as TeX's line_break:
//
//  1. PreTolerance, flagged (hyphenation) breaks ignored; skipped if PreTolerance < 0;
//  2. Tolerance, hyphenation breaks allowed;
//  3. Tolerance with EmergencyStretch added to the stretch of every line that can
//     stretch (only if EmergencyStretch > 0);
//  4. a last resort that accepts any badness. Unlike TeX, which sets overfull
//     boxes when it gives up, this pass makes lines underfull instead; a line
//     is overfull only when a segment that cannot be broken (one box, or boxes
//     tied by penalties >= Infinity) is wider than the line on its own. Also
//     unlike TeX, it does not cap badness at Infinity (see lastResortBadness),
//     so it spreads the slack over several loose lines instead of dumping it
//     on one line of two words, and it ignores EmergencyStretch.
//
// The first pass that reaches the end of the paragraph wins.
package linebreak

import (
	"math"
	"sync"
)

// Kind tells boxes, glue and penalties apart.
type Kind uint8

// The three kinds of item of the Knuth-Plass model.
const (
	Box Kind = iota
	Glue
	Penalty
)

// Infinity is TeX's infinite penalty: a penalty >= Infinity forbids a break,
// one <= -Infinity forces it. Badness is capped at the same value.
const Infinity = 10000.0

// Fil is the stretch from which glue counts as infinitely stretchable, like
// TeX's fil order: such glue absorbs all the slack of its line, so the finite
// glue of that line keeps its natural width (the line's Ratio is 0 and the line
// is Ragged). Finish uses it for the paragraph's last line.
const Fil = 1e6

// Item is a box, glue or penalty.
type Item struct {
	Kind    Kind
	Width   float64 // natural width (box, glue) or width added if broken here (penalty: the hyphen width)
	Stretch float64 // glue only; >= Fil means infinite
	Shrink  float64 // glue only
	Penalty float64 // penalty only; <= -Infinity forces a break, >= Infinity forbids one
	Flagged bool    // penalty only: a hyphenation break
}

// Options are the TeX parameters of the breaker. Badness is 100*r³ capped at
// Infinity, as in TeX; demerits are (LinePenalty+badness)² ± penalty² plus the
// extra demerits below.
type Options struct {
	// Tolerance is the largest badness accepted in the second and third pass
	// (TeX \tolerance); 200 allows a stretch ratio up to about 1.26.
	Tolerance float64
	// PreTolerance is the largest badness of the first pass, which ignores
	// flagged breaks so that a paragraph that sets well without hyphenation is
	// not hyphenated (TeX \pretolerance). Negative skips the first pass.
	PreTolerance float64
	// LinePenalty is added to each line's badness before squaring (TeX \linepenalty).
	LinePenalty float64
	// HyphenPenalty is not read by Break: the caller puts it in the Penalty of
	// the flagged items it builds for hyphenation points (TeX \hyphenpenalty).
	HyphenPenalty float64
	// DoubleHyphenDemerits is added when two consecutive lines end hyphenated.
	DoubleHyphenDemerits float64
	// FinalHyphenDemerits is added when the penultimate line ends hyphenated.
	FinalHyphenDemerits float64
	// AdjDemerits is added when adjacent lines have fitness classes (very
	// loose, loose, decent, tight) that are not adjacent (TeX \adjdemerits).
	AdjDemerits float64
	// EmergencyStretch enables a third pass in which every line that has some
	// stretchable glue gets this much extra stretch when its badness is
	// computed (TeX \emergencystretch); the lines are still set with their real
	// glue, so they may come out looser than Tolerance allows. Same unit as widths.
	EmergencyStretch float64
	// MaxConsecutiveHyphens forbids more consecutive hyphenated lines than
	// this, except at a forced flagged break, which must be taken anyway.
	// <= 0 or > 255: no limit.
	MaxConsecutiveHyphens int
}

// DefaultOptions are TeX-like settings for justified Italian text in a column
// of about 16 cm at 11 pt, with widths in points.
func DefaultOptions() Options {
	return Options{
		Tolerance:             200,
		PreTolerance:          100,
		LinePenalty:           10,
		HyphenPenalty:         50,
		DoubleHyphenDemerits:  10000,
		FinalHyphenDemerits:   5000,
		AdjDemerits:           10000,
		EmergencyStretch:      11, // 1 em at 11 pt
		MaxConsecutiveHyphens: 2,
	}
}

// Line is one line of the result.
type Line struct {
	// Start and End delimit the line: items[Start:End] are on it. End is the
	// index of the break item (glue or penalty; for a penalty, its Width is the
	// hyphen to draw at the end of the line) or len(items). Start skips the glue
	// and penalties that follow the previous break, which TeX discards; the
	// first line starts at 0. Start == End for an empty line (two forced breaks
	// in a row).
	Start, End int
	// Ratio is the adjustment ratio r: each glue is set at natural + r*stretch
	// (r >= 0) or natural + r*shrink (r < 0); r is never below -1.
	Ratio float64
	// Hyphenated is true if the line ends at a flagged penalty.
	Hyphenated bool
	// Ragged is true if the line does not reach the full width and must be set
	// flush left with natural glue (Ratio 0): the last line (Fil glue), a line
	// holding a single box (one word is never letter-spaced or stretched), or a
	// line with no stretchable glue.
	Ragged bool
	// Overfull is true if the line is wider than its width even with all glue
	// shrunk: only when an unbreakable segment (normally one word) does not fit
	// on a line on its own. It then has a line to itself and Ratio 0; the caller
	// may hyphenate it harder, scale it or let it stick out.
	Overfull bool
}

// Break chooses the breaks of a whole paragraph. widths[i] is the width of
// line i (0-based); lines past the slice use the last value, so a single width
// is the common case and a first-line indent is a box at the start of items.
// The paragraph should end with a forced break (see Finish); if it does not,
// the end of items acts as one, and the last line is then justified like the
// others. Break returns nil if items or widths are empty. It is safe for
// concurrent use.
func Break(items []Item, widths []float64, opt Options) []Line {
	b := pool.Get().(*Breaker)
	lines := b.Break(items, widths, opt)
	pool.Put(b)
	return lines
}

var pool = sync.Pool{New: func() any { return new(Breaker) }}

// Finish ends a paragraph the TeX way: trailing glue is removed (TeX's
// \unskip), then a forbidden break, Fil glue and a forced break are appended
// (\penalty10000 \parfillskip \penalty-10000), so the last line is ragged and
// the Fil glue is never a break itself. Like append, it may reuse the
// capacity of items.
func Finish(items []Item) []Item {
	for len(items) > 0 && items[len(items)-1].Kind == Glue {
		items = items[:len(items)-1]
	}
	return append(items,
		Item{Kind: Penalty, Penalty: Infinity},
		Item{Kind: Glue, Stretch: Fil},
		Item{Kind: Penalty, Penalty: -Infinity},
	)
}

// Fitness classes, numbered as in TeX.
const (
	veryLoose uint8 = iota
	loose
	decent
	tight
	nFitness
)

const (
	none       = -1
	awful      = math.MaxFloat64
	overfullEp = 1e-9 // slack for rounding in prefix sums
)

// node is a feasible breakpoint. Nodes live in an arena and point to each
// other by index; the active list is threaded through next.
type node struct {
	total   float64 // demerits of the best paragraph up to here
	pos     int32   // index of the break item; -1 for the paragraph start
	after   int32   // first item of the next line
	line    int32   // lines before this break, i.e. index of the next line
	prev    int32   // node of the previous break
	next    int32   // next active node
	hyph    int32   // consecutive hyphenated lines ending here
	fitness uint8
}

type candidate struct {
	total float64
	from  int32 // active node the best line starts from
	set   bool
}

// Breaker holds buffers reused across calls. The zero value is ready to use;
// a Breaker must not be used by two goroutines at once (Break keeps a pool).
type Breaker struct {
	items  []Item
	widths []float64
	opt    Options

	// Prefix sums over items[:i]: natural width, finite stretch, shrink,
	// number of Fil glues, number of boxes.
	w, y, z   []float64
	fil, box  []int32
	nextSolid []int32 // first index >= i that is a box or a forced break, or n

	nodes  []node
	active int32
	cands  []candidate
	kcap   int32 // hyphenation states per fitness class, minus one
	limit  int32 // MaxConsecutiveHyphens, 0 for none

	// pass settings
	threshold float64
	hyphens   bool
	emergency float64
	final     bool
}

// Break is the same as the package function Break, reusing b's buffers.
func (b *Breaker) Break(items []Item, widths []float64, opt Options) []Line {
	if len(items) == 0 || len(widths) == 0 {
		return nil
	}
	b.setup(items, widths, opt)
	defer func() { b.items, b.widths = nil, nil }()

	type pass struct {
		threshold float64
		hyphens   bool
		emergency float64
		final     bool
	}
	passes := make([]pass, 0, 4)
	if opt.PreTolerance >= 0 {
		passes = append(passes, pass{threshold: opt.PreTolerance})
	}
	passes = append(passes, pass{threshold: opt.Tolerance, hyphens: true})
	if opt.EmergencyStretch > 0 {
		passes = append(passes, pass{threshold: opt.Tolerance, hyphens: true, emergency: opt.EmergencyStretch})
	}
	// The last resort rates lines by their real glue: emergency stretch has
	// already failed, and added to every line it would only let lines with
	// little glue come out looser than needed.
	passes = append(passes, pass{threshold: math.Inf(1), hyphens: true, final: true})

	for _, p := range passes {
		b.threshold, b.hyphens, b.emergency, b.final = p.threshold, p.hyphens, p.emergency, p.final
		if end := b.run(); end != none {
			return b.lines(end)
		}
	}
	// Unreachable for sane input: the last pass always gets through. Kept so
	// that NaN widths and the like cannot make Break return nothing.
	return []Line{b.line(0, len(items), len(items), 0)}
}

func (b *Breaker) setup(items []Item, widths []float64, opt Options) {
	b.items, b.widths, b.opt = items, widths, opt
	n := len(items)
	b.w = grow(b.w, n+1)
	b.y = grow(b.y, n+1)
	b.z = grow(b.z, n+1)
	b.fil = grow(b.fil, n+1)
	b.box = grow(b.box, n+1)
	b.nextSolid = grow(b.nextSolid, n+2)
	var w, y, z float64
	var fil, box int32
	for i, it := range items {
		b.w[i], b.y[i], b.z[i], b.fil[i], b.box[i] = w, y, z, fil, box
		switch it.Kind {
		case Box:
			w += it.Width
			box++
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
	b.w[n], b.y[n], b.z[n], b.fil[n], b.box[n] = w, y, z, fil, box
	b.nextSolid[n], b.nextSolid[n+1] = int32(n), int32(n)
	for i := n - 1; i >= 0; i-- {
		if it := items[i]; it.Kind == Box || forced(it) {
			b.nextSolid[i] = int32(i)
		} else {
			b.nextSolid[i] = b.nextSolid[i+1]
		}
	}

	b.limit, b.kcap = 0, 1
	if m := opt.MaxConsecutiveHyphens; m > 0 && m <= 255 {
		b.limit, b.kcap = int32(m), int32(m)
	}
	b.cands = grow(b.cands, int(nFitness)*int(b.kcap+1))
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func forced(it Item) bool { return it.Kind == Penalty && it.Penalty <= -Infinity }

// run makes one pass and returns the best node at the end of the paragraph,
// or none if the pass found no feasible set of breaks.
func (b *Breaker) run() int32 {
	b.nodes = append(b.nodes[:0], node{pos: -1, after: 0, prev: none, next: none, fitness: decent})
	b.active = 0
	items := b.items
	n := len(items)
	for q := 0; q < n; q++ {
		it := items[q]
		switch it.Kind {
		case Box:
			continue
		case Glue:
			if q == 0 || items[q-1].Kind != Box {
				continue
			}
		case Penalty:
			if it.Penalty >= Infinity || (it.Flagged && !b.hyphens && !forced(it)) {
				continue
			}
		default:
			continue
		}
		b.try(q)
		if b.active == none {
			return none
		}
	}
	if !forced(items[n-1]) {
		b.try(n)
		if b.active == none {
			return none
		}
	}
	best, bestTotal := int32(none), awful
	for a := b.active; a != none; a = b.nodes[a].next {
		if nd := &b.nodes[a]; best == none || nd.total < bestTotal {
			best, bestTotal = a, nd.total
		}
	}
	return best
}

func (b *Breaker) width(line int32) float64 {
	if int(line) >= len(b.widths) {
		return b.widths[len(b.widths)-1]
	}
	return b.widths[line]
}

func (b *Breaker) groupOf(line int32) int32 {
	return min(line, int32(len(b.widths)-1))
}

// try considers a break at item q (q == len(items) for an implicit end) from
// every active node, as TeX's try_break: active nodes whose line would be
// overfull, or all of them at a forced break, leave the list; the best line
// into q per fitness class and hyphenation state becomes a new active node.
// Nodes are grouped by the width of their next line so that, with varying
// widths, a longer path is not pruned by a shorter one with different widths
// ahead.
func (b *Breaker) try(q int) {
	n := len(b.items)
	var penW, pi float64
	flagged, isForced := false, q == n
	if q < n {
		it := b.items[q]
		if it.Kind == Penalty {
			penW, pi, flagged, isForced = it.Width, it.Penalty, it.Flagged, forced(it)
		}
	}
	isEnd := q == n || (q == n-1 && isForced)
	opt := &b.opt

	prevLink := int32(none)
	a := b.active
	art := int32(none) // last-resort node for an overfull line
	for a != none {
		group := b.groupOf(b.nodes[a].line)
		lw := b.width(b.nodes[a].line)
		for i := range b.cands {
			b.cands[i].set = false
		}
		for a != none && b.groupOf(b.nodes[a].line) == group {
			nd := b.nodes[a]
			next := nd.next
			after := int(nd.after)
			if q < after { // the line would hold only discarded items
				prevLink, a = a, next
				continue
			}
			L := b.w[q] - b.w[after] + penW
			shortfall := lw - L
			bad, fit, over := 0.0, decent, false
			switch {
			case shortfall > 0:
				if b.fil[q] == b.fil[after] {
					y := b.y[q] - b.y[after]
					if y > 0 {
						y += b.emergency
					}
					bad = badness(shortfall, y)
					switch {
					case bad > 99:
						fit = veryLoose
					case bad > 12:
						fit = loose
					}
					if b.final && bad >= Infinity {
						bad = lastResortBadness(shortfall, y, lw)
					}
				}
			case shortfall < 0:
				z := b.z[q] - b.z[after]
				if -shortfall > z+overfullEp*(1+math.Abs(lw)) {
					over = true
				} else {
					bad = badness(-shortfall, z)
					if bad > 12 {
						fit = tight
					}
				}
			case shortfall != shortfall: // NaN from bad input
				over = true
			}

			if over && b.final {
				if art == none || nd.after > b.nodes[art].after ||
					(nd.after == b.nodes[art].after && nd.total < b.nodes[art].total) {
					art = a
				}
			}
			if !over && bad <= b.threshold {
				k := int32(0)
				ok := true
				if flagged {
					k = nd.hyph + 1
					if b.limit > 0 && k > b.limit && !isForced {
						ok = false
					}
					k = min(k, b.kcap)
				}
				if ok {
					d := demerits(opt, bad, pi, flagged && nd.hyph > 0, isEnd && nd.hyph > 0, fit, nd.fitness)
					t := nd.total + d
					c := &b.cands[int(fit)*int(b.kcap+1)+int(k)]
					if !c.set || t < c.total {
						*c = candidate{total: t, from: a, set: true}
					}
				}
			}
			if over || isForced {
				if prevLink == none {
					b.active = next
				} else {
					b.nodes[prevLink].next = next
				}
			} else {
				prevLink = a
			}
			a = next
		}
		// New nodes go before the next group, keeping the list ordered by line.
		for i, c := range b.cands {
			if !c.set {
				continue
			}
			from := b.nodes[c.from]
			prevLink = b.insert(prevLink, a, node{
				total:   c.total,
				pos:     int32(q),
				after:   b.nextSolid[q+1],
				line:    from.line + 1,
				prev:    c.from,
				hyph:    int32(i % int(b.kcap+1)),
				fitness: uint8(i / int(b.kcap+1)),
			})
		}
	}
	if b.active == none && art != none {
		// Last resort: every line into q is overfull and nothing else is
		// active. Break here anyway from the active node that started latest,
		// so that only the unbreakable segment sticks out.
		from := b.nodes[art]
		h := int32(0)
		if flagged {
			h = min(from.hyph+1, b.kcap)
		}
		b.insert(none, none, node{
			total: from.total, pos: int32(q), after: b.nextSolid[q+1],
			line: from.line + 1, prev: art, hyph: h, fitness: decent,
		})
	}
}

// insert adds nd to the arena and links it between prev and next.
func (b *Breaker) insert(prev, next int32, nd node) int32 {
	nd.next = next
	b.nodes = append(b.nodes, nd)
	id := int32(len(b.nodes) - 1)
	if prev == none {
		b.active = id
	} else {
		b.nodes[prev].next = id
	}
	return id
}

// badness is TeX's 100·(t/s)³, capped at Infinity.
func badness(t, s float64) float64 {
	if t <= 0 {
		return 0
	}
	if s <= 0 {
		return Infinity
	}
	r := t / s
	if !(r <= 5) { // also NaN from bad input
		return Infinity
	}
	return min(100*r*r*r, Infinity)
}

// lastResortBadness rates, in the last pass only, an underfull line that the
// other passes rate Infinity. TeX caps badness there, so every line looser
// than r ≈ 4.64 costs the same 1e8 demerits and the last pass happily trades
// one line of any looseness (two words spread over the whole measure, r =
// 348) for savings elsewhere; uncapped, 100·r³ makes one such line cost more
// than many lines at r ≈ 4 and the pass spreads the slack instead. A line
// with no stretch at all (a word alone, set ragged) counts as if it could
// stretch by 1% of the measure: a word that nearly fills the line costs what
// TeX charges, a short one far more.
func lastResortBadness(shortfall, stretch, lw float64) float64 {
	if stretch <= 0 {
		stretch = math.Abs(lw) / 100
	}
	r := shortfall / stretch
	if !(r <= 1e6) { // keeps demerits finite; also NaN and division by zero
		r = 1e6
	}
	return max(100*r*r*r, Infinity)
}

// demerits of one line, as in TeX's try_break, except that badness above
// Infinity (the last pass only) is not capped.
func demerits(opt *Options, bad, pi float64, double, final bool, fit, prevFit uint8) float64 {
	x := opt.LinePenalty + bad
	var d float64
	if math.Abs(x) >= 10000 && bad <= Infinity {
		d = 1e8
	} else {
		d = x * x
	}
	switch {
	case pi > 0:
		d += pi * pi
	case pi > -Infinity:
		d -= pi * pi
	}
	if double {
		d += opt.DoubleHyphenDemerits
	}
	if final {
		d += opt.FinalHyphenDemerits
	}
	if fit > prevFit+1 || prevFit > fit+1 {
		d += opt.AdjDemerits
	}
	return d
}

// lines walks back from the end node and measures each line.
func (b *Breaker) lines(end int32) []Line {
	count := int(b.nodes[end].line)
	out := make([]Line, count)
	for id := end; b.nodes[id].prev != none; id = b.nodes[id].prev {
		nd, from := b.nodes[id], b.nodes[b.nodes[id].prev]
		start := int(from.after)
		if from.pos < 0 {
			start = 0
		}
		out[from.line] = b.line(start, int(nd.pos), len(b.items), from.line)
	}
	return out
}

// line measures items[start:end] set on line number ln.
func (b *Breaker) line(start, end, n int, ln int32) Line {
	start = min(start, end)
	l := Line{Start: start, End: end}
	var penW float64
	if end < n && b.items[end].Kind == Penalty {
		penW = b.items[end].Width
		l.Hyphenated = b.items[end].Flagged
	}
	lw := b.width(ln)
	L := b.w[end] - b.w[start] + penW
	y, z := b.y[end]-b.y[start], b.z[end]-b.z[start]
	shortfall := lw - L
	switch {
	case shortfall > 0:
		if b.fil[end] > b.fil[start] || b.box[end]-b.box[start] <= 1 || y <= 0 {
			l.Ragged = true
		} else {
			l.Ratio = shortfall / y
		}
	case shortfall < 0:
		if -shortfall > z+overfullEp*(1+math.Abs(lw)) {
			l.Overfull = true
		} else {
			l.Ratio = max(shortfall/z, -1)
		}
	case shortfall != shortfall:
		l.Overfull = true
	}
	return l
}

// GlueWidth is the width that glue g gets when set on line l: natural plus
// its share of the line's stretch or shrink. Fil glue keeps its natural
// width: on a ragged line the slack is simply left at the end.
func (l Line) GlueWidth(g Item) float64 {
	switch {
	case l.Ratio > 0 && g.Stretch < Fil:
		return g.Width + l.Ratio*g.Stretch
	case l.Ratio < 0:
		return g.Width + l.Ratio*g.Shrink
	}
	return g.Width
}
