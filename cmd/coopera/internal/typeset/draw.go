package typeset

import (
	"math"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
)

// rgb is a colour in 0-255 components.
type rgb = pdf.RGB

var (
	black = rgb{0, 0, 0}
	blue  = rgb{0, 51, 153}    // the letterhead's and the links' blue
	rule  = rgb{160, 160, 160} // the rules of the header and the footer
)

// drawLine draws a set line's fragments from x at baseline y, with links.
// The fragments of a line that share font and colour go into one text
// object: the words with real space glyphs between them (text extraction
// keeps its spaces) and TJ adjustments that put each word where the line
// breaker set it.
func drawLine(m *measurer, ln line, x, y float64) {
	for i := 0; i < len(ln.frags); {
		f := ln.frags[i].frag
		j := i + 1
		for j < len(ln.frags) && sameRun(ln.frags[j].frag, f) {
			j++
		}
		run := ln.frags[i:j]
		m.color = black
		if f.link != "" {
			m.color = blue
		}
		m.show(run, x, y)
		for _, pf := range run {
			if pf.link != "" {
				m.pdf.Link(x+pf.x, y-pf.size*0.8, pf.w, pf.size*1.05, pf.link)
			}
		}
		i = j
	}
	m.color = black
}

// sameRun reports whether b can join a text object drawn in a's font and
// colour.
func sameRun(a, b frag) bool {
	return a.family == b.family && a.style == b.style && a.size == b.size && (a.link == "") == (b.link == "")
}

// gapped reports whether a space separates fragment k of run from the next.
func gapped(run []placedFrag, k int) bool {
	return k+1 < len(run) && run[k+1].x-(run[k].x+run[k].w) > run[k].size*0.05
}

// draw draws one fragment with its left end at x and its baseline at y.
func (m *measurer) draw(f frag, x, y float64) {
	m.show([]placedFrag{{frag: f}}, x, y)
}

// show writes run, fragments in one font and size, as one text object in
// the current colour. Positions are tracked in the font's thousandths of an
// em, as the viewer adds them up, so rounding never accumulates along the
// line.
func (m *measurer) show(run []placedFrag, x, y float64) {
	f, x0 := run[0].frag, run[0].x
	u, err := m.fonts.font(f.family + f.style)
	if err != nil {
		m.fail(err)
		return
	}
	m.pdf.BeginText(u.resource, f.size, m.color, x+x0, y)
	units := 1000 / f.size
	pen := 0.0
	for k, pf := range run {
		if adj := math.Round((pf.x-x0)*units - pen); adj != 0 {
			m.pdf.Shift(adj)
			pen += adj
		}
		for _, c := range pf.text {
			w := float64(u.face.width(c))
			if !u.face.has(c) { // nothing to draw (U+200B), only the width it was set with
				m.pdf.Shift(w)
			} else {
				m.pdf.Glyph(m.fonts.code(u, c))
			}
			pen += w
		}
		if gapped(run, k) {
			m.pdf.Glyph(m.fonts.code(u, ' '))
			pen += float64(u.face.width(' '))
		}
	}
	m.pdf.EndText()
}
