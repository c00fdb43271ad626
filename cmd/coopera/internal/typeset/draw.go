package typeset

import (
	"math"
	"strconv"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"
)

// drawLine draws a set line's fragments from x at baseline y, with links.
//
// fpdf's Text writes one text object per call (BT x y Td (…) Tj ET), which
// made up most of a letter's content stream. Here the fragments of a line
// that share font and colour go into one text object: the words with real
// space glyphs between them (text extraction keeps its spaces) and TJ
// adjustments that put each word where the line breaker set it. fpdf embeds
// only the characters its own Text has seen (its subset bookkeeping is not
// reachable from outside), so a run with a character fpdf has not seen yet
// in that face is drawn with Text, which records it; from then on the
// compact form is used. The output depends only on the input: the same
// document gives the same bytes.
func drawLine(pdf *fpdf.Fpdf, m *measurer, ln line, x, y float64) {
	for i := 0; i < len(ln.frags); {
		f := ln.frags[i].frag
		j := i + 1
		for j < len(ln.frags) && sameRun(ln.frags[j].frag, f) {
			j++
		}
		run := ln.frags[i:j]
		m.use(f.family, f.style, f.size)
		r, g, b := 0, 0, 0
		if f.link != "" {
			r, g, b = 0, 51, 153
		}
		pdf.SetTextColor(r, g, b)
		if m.seen(f.family+f.style, run) {
			m.writeRun(pdf, run, x, y, r, g, b)
		} else {
			m.textRun(pdf, run, x, y)
		}
		for _, pf := range run {
			if pf.link != "" {
				pdf.LinkString(x+pf.x, y-pf.size*0.8, pf.w, pf.size*1.05, pf.link)
			}
		}
		i = j
	}
	pdf.SetTextColor(0, 0, 0)
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

// markAll records with fpdf every character the lines of flow will draw,
// so that drawLine can write them compactly from the first line. fpdf's
// subset bookkeeping is only reachable through its text calls; a template
// shares its parent's fonts (and their sets of used characters) and is
// written only when used, so Text inside a template that is never used
// records the characters and adds nothing to the page.
func (m *measurer) markAll(flow []setLine) {
	need := map[string][]rune{}
	var faces []string
	for _, ln := range flow {
		for k, pf := range ln.frags {
			face := pf.family + pf.style
			known := m.marked[face]
			if known == nil {
				known = map[rune]bool{}
				m.marked[face] = known
				faces = append(faces, face)
				m.add(pf.family, pf.style)
			}
			for _, c := range pf.text {
				if !known[c] {
					known[c] = true
					need[face] = append(need[face], c)
				}
			}
			if k+1 < len(ln.frags) && !known[' '] {
				known[' '] = true
				need[face] = append(need[face], ' ')
			}
		}
	}
	for face, rs := range need {
		if len(rs) == 0 {
			delete(need, face)
		}
	}
	if len(need) == 0 || m.err != nil {
		return
	}
	m.pdf.CreateTemplate(func(t *fpdf.Tpl) {
		for _, face := range faces {
			if rs := need[face]; len(rs) > 0 {
				f := m.faces[face]
				t.SetFont(f.family, f.style, 10)
				t.Text(0, 10, string(rs))
			}
		}
	})
	m.cur = ""
}

// seen reports whether fpdf has recorded every character of run (and the
// space, when the run has spaces) for the face.
func (m *measurer) seen(face string, run []placedFrag) bool {
	known := m.marked[face]
	if known == nil {
		return false
	}
	for k, pf := range run {
		for _, c := range pf.text {
			if !known[c] {
				return false
			}
		}
		if gapped(run, k) && !known[' '] {
			return false
		}
	}
	return true
}

// textRun draws run with fpdf's Text, one call per fragment (and one per
// space fpdf has not seen yet, drawn where the space is), and records what
// fpdf has now seen.
func (m *measurer) textRun(pdf *fpdf.Fpdf, run []placedFrag, x, y float64) {
	face := run[0].family + run[0].style
	known := m.marked[face]
	if known == nil {
		known = map[rune]bool{}
		m.marked[face] = known
	}
	for k, pf := range run {
		pdf.Text(x+pf.x, y, pf.text)
		for _, c := range pf.text {
			known[c] = true
		}
		if gapped(run, k) && !known[' '] {
			pdf.Text(x+pf.x+pf.w, y, " ")
			known[' '] = true
		}
	}
}

// writeRun draws run as one text object. Positions are tracked in the
// font's thousandths of an em, as the viewer adds them up, so rounding
// never accumulates along the line.
func (m *measurer) writeRun(pdf *fpdf.Fpdf, run []placedFrag, x, y float64, r, g, b int) {
	size := run[0].size
	units := 1000 / size
	sp := frag{text: " ", family: run[0].family, style: run[0].style, size: size}
	spW := math.Round(m.width(&sp) * units)
	fr, fg, fb := pdf.GetFillColor()
	colored := fr != r || fg != g || fb != b
	_, pageH := pdf.GetPageSize()

	buf := m.buf[:0]
	if colored {
		buf = append(buf, "q "...)
		buf = appendColor(buf, r, g, b)
		buf = append(buf, ' ')
	}
	buf = append(buf, "BT "...)
	buf = strconv.AppendFloat(buf, x+run[0].x, 'f', 2, 64)
	buf = append(buf, ' ')
	buf = strconv.AppendFloat(buf, pageH-y, 'f', 2, 64)
	buf = append(buf, " Td ["...)
	pen := 0.0
	for k, pf := range run {
		if adj := math.Round((pf.x-run[0].x)*units - pen); adj != 0 {
			buf = strconv.AppendFloat(buf, -adj, 'f', -1, 64)
			pen += adj
		}
		buf = appendUTF16(buf, pf.text)
		pen += math.Round(pf.w * units)
		if gapped(run, k) {
			buf = appendUTF16(buf, " ")
			pen += spW
		}
	}
	buf = append(buf, "] TJ ET"...)
	if colored {
		buf = append(buf, " Q"...)
	}
	pdf.RawWriteStr(string(buf))
	m.buf = buf
}

// appendUTF16 appends s as a PDF literal string of UTF-16BE codes, the
// Identity-H encoding fpdf gives its Unicode fonts (CID = code point).
func appendUTF16(buf []byte, s string) []byte {
	buf = append(buf, '(')
	for _, c := range s {
		for _, u := range utf16.Encode([]rune{c}) {
			for _, by := range [2]byte{byte(u >> 8), byte(u)} {
				switch by {
				case '(', ')', '\\':
					buf = append(buf, '\\', by)
				case '\r':
					buf = append(buf, '\\', 'r')
				default:
					buf = append(buf, by)
				}
			}
		}
	}
	return append(buf, ')')
}

func appendColor(buf []byte, r, g, b int) []byte {
	c := func(v int) { buf = strconv.AppendFloat(buf, float64(v)/255, 'f', 3, 64) }
	if r == g && g == b {
		c(r)
		return append(buf, " g"...)
	}
	c(r)
	buf = append(buf, ' ')
	c(g)
	buf = append(buf, ' ')
	c(b)
	return append(buf, " rg"...)
}
