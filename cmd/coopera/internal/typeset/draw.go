package typeset

import (
	"math"
	"strconv"
)

// rgb is a colour in 0-255 components.
type rgb [3]int

var black = rgb{0, 0, 0}

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
			m.color = rgb{0, 51, 153}
		}
		m.show(run, x, y)
		for _, pf := range run {
			if pf.link != "" {
				m.pdf.LinkString(x+pf.x, y-pf.size*0.8, pf.w, pf.size*1.05, pf.link)
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
// line. A text colour other than fpdf's fill colour is set inside q … Q, so
// fpdf's own drawing keeps the colour it believes current.
func (m *measurer) show(run []placedFrag, x, y float64) {
	f, x0 := run[0].frag, run[0].x
	u, err := m.fonts.font(f.family + f.style)
	if err != nil {
		m.fail(err)
		return
	}
	buf := m.selectFont(m.buf[:0], u, f.size)
	fr, fg, fb := m.pdf.GetFillColor()
	colored := m.color != rgb{fr, fg, fb}
	if colored {
		buf = append(buf, "q "...)
		buf = appendColor(buf, m.color)
		buf = append(buf, ' ')
	}
	_, pageH := m.pdf.GetPageSize()
	buf = append(buf, "BT "...)
	buf = appendNumber(buf, x+x0)
	buf = append(buf, ' ')
	buf = appendNumber(buf, pageH-y)
	buf = append(buf, " Td "...)
	array := len(buf)
	buf = append(buf, "[("...)
	units := 1000 / f.size
	adjusted := false
	// adjust moves the pen by adj thousandths of an em.
	adjust := func(adj float64) {
		buf = append(buf, ')')
		buf = strconv.AppendFloat(buf, -adj, 'f', -1, 64)
		buf = append(buf, '(')
		adjusted = true
	}
	pen := 0.0
	for k, pf := range run {
		if adj := math.Round((pf.x-x0)*units - pen); adj != 0 {
			adjust(adj)
			pen += adj
		}
		for _, c := range pf.text {
			w := float64(u.face.width(c))
			if !u.face.has(c) { // nothing to draw (U+200B), only the width it was set with
				if w != 0 {
					adjust(w)
				}
			} else {
				buf = appendCode(buf, m.fonts.code(u, c))
			}
			pen += w
		}
		if gapped(run, k) {
			buf = appendCode(buf, m.fonts.code(u, ' '))
			pen += float64(u.face.width(' '))
		}
	}
	if adjusted {
		buf = append(buf, ")] TJ ET"...)
	} else { // a plain string: drop the array's bracket
		buf = append(buf[:array], buf[array+1:]...)
		buf = append(buf, ") Tj ET"...)
	}
	if colored {
		buf = append(buf, " Q"...)
	}
	m.pdf.RawWriteStr(string(buf))
	m.buf = buf
}

// selectFont appends the Tf operator when the page's current font or size
// differs. It is written outside text objects and q … Q, so it holds until
// the next page.
func (m *measurer) selectFont(buf []byte, u *usedFont, size float64) []byte {
	if m.cur == u && m.size == size {
		return buf
	}
	m.cur, m.size = u, size
	buf = append(buf, '/')
	buf = append(buf, u.resource...)
	buf = append(buf, ' ')
	buf = appendNumber(buf, size)
	return append(buf, " Tf "...)
}

// appendCode appends a two-byte code to a literal string, escaping what
// the string syntax needs.
func appendCode(buf []byte, c uint16) []byte {
	for _, by := range [2]byte{byte(c >> 8), byte(c)} {
		switch by {
		case '(', ')', '\\':
			buf = append(buf, '\\', by)
		case '\r':
			buf = append(buf, '\\', 'r')
		default:
			buf = append(buf, by)
		}
	}
	return buf
}

// appendNumber appends v rounded to two decimals (a hundredth of a point is
// 3.5 µm), as fpdf writes coordinates, without trailing zeros.
func appendNumber(buf []byte, v float64) []byte {
	start := len(buf)
	buf = strconv.AppendFloat(buf, v, 'f', 2, 64)
	for buf[len(buf)-1] == '0' {
		buf = buf[:len(buf)-1]
	}
	if buf[len(buf)-1] == '.' {
		buf = buf[:len(buf)-1]
	}
	if string(buf[start:]) == "-0" {
		buf = append(buf[:start], '0')
	}
	return buf
}

func appendColor(buf []byte, c rgb) []byte {
	comp := func(v int) { buf = strconv.AppendFloat(buf, math.Round(float64(v)/255*1000)/1000, 'f', -1, 64) }
	if c[0] == c[1] && c[1] == c[2] {
		comp(c[0])
		return append(buf, " g"...)
	}
	comp(c[0])
	buf = append(buf, ' ')
	comp(c[1])
	buf = append(buf, ' ')
	comp(c[2])
	return append(buf, " rg"...)
}
