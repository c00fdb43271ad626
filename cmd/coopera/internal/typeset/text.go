package typeset

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/hyphen"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/linebreak"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
)

// Align is how a block's lines sit between the margins.
type Align uint8

const (
	Justify Align = iota
	Left
	Center
	Right
)

// frag is text in one font, the unit the PDF draws.
type frag struct {
	text   string
	family string
	style  string
	size   float64
	link   string
	w      float64
}

// line is a set line: fragments at x offsets from the line's left edge.
type line struct {
	frags      []placedFrag
	spaces     []space // the inter-word spaces as set, for Stats
	width      float64 // natural width of what is on it
	hyphenated bool
	justified  bool // fills the measure exactly
	// beforeAddress marks a line followed by one that starts with an
	// address kept whole: such a line may have to be set loose.
	beforeAddress bool
}

type space struct{ natural, set float64 }

type placedFrag struct {
	x float64
	frag
}

// measurer measures text with the fonts' own metrics, caching per font
// and string (the same words recur across a letter and a batch), and
// writes the text operators of the pages.
type measurer struct {
	pdf    *pdf.Doc
	fonts  *fontSet
	color  rgb // colour of the text drawn next
	cache  map[measureKey]float64
	images map[int]string // pixel width → image name, see placeImage
	err    error
}

type measureKey struct {
	font string
	size float64
	text string
}

// width returns the advance of f's text in points: the glyph widths in
// whole thousandths of an em, summed, times the size.
func (m *measurer) width(f *frag) float64 {
	k := measureKey{f.family + f.style, f.size, f.text}
	if w, ok := m.cache[k]; ok {
		return w
	}
	fc := faces[k.font]
	if fc == nil {
		return 0
	}
	units := 0
	for _, r := range f.text {
		units += fc.width(r)
	}
	w := float64(units) * f.size / 1000
	m.cache[k] = w
	return w
}

// fail keeps the first error met while drawing.
func (m *measurer) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}

// setter turns a block's runs into lines.
type setter struct {
	m       *measurer
	hyph    *hyphen.Hyphenator
	noHyph  bool
	opt     linebreak.Options
	items   []linebreak.Item
	boxes   map[int]frag // item index → its fragment
	hyphenF map[int]frag // penalty index → the hyphen to draw
}

// splitFonts cuts a run's text into fragments by font family, so characters
// the main font lacks come from the fallback in the same line.
func splitFonts(text, style string, size float64, link string) []frag {
	var out []frag
	start, cur := 0, ""
	for i, r := range text {
		fam, ok := faceFor(r, style)
		if !ok || r == '\u00ad' {
			fam = cur
			if fam == "" {
				fam = "tw"
			}
		}
		if fam != cur && i > start {
			out = append(out, frag{text: text[start:i], family: cur, style: style, size: size, link: link})
			start = i
		}
		cur = fam
	}
	if start < len(text) {
		out = append(out, frag{text: text[start:], family: cur, style: style, size: size, link: link})
	}
	return out
}

// set breaks the runs into lines of the given width.
func (s *setter) set(runs []compose.Run, size float64, widths []float64, align Align, baseStyle compose.Style) []line {
	s.items = s.items[:0]
	clear(s.boxes)
	clear(s.hyphenF)
	var word []frag
	flush := func() {
		if len(word) > 0 {
			s.word(word, widths[len(widths)-1])
			word = word[:0]
		}
	}
	spaceW := func(f frag) float64 {
		sp := frag{text: " ", family: f.family, style: f.style, size: f.size}
		return s.m.width(&sp)
	}
	lastFrag := frag{family: "tw", size: size}
	for _, r := range runs {
		style := styleName(r.Style | baseStyle)
		text := r.Text
		for len(text) > 0 {
			i := strings.IndexAny(text, " \u00a0\n\t")
			chunk := text
			if i >= 0 {
				chunk = text[:i]
			}
			if chunk != "" {
				for _, f := range splitFonts(chunk, style, size, r.Link) {
					word = append(word, f)
					lastFrag = f
				}
			}
			if i < 0 {
				break
			}
			sep, n := utf8.DecodeRuneInString(text[i:])
			text = text[i+n:]
			flush()
			w := spaceW(lastFrag)
			if sep == '\u00a0' {
				s.items = append(s.items, linebreak.Item{Kind: linebreak.Penalty, Penalty: linebreak.Infinity})
			}
			if len(s.items) > 0 && s.items[len(s.items)-1].Kind == linebreak.Glue {
				continue // collapse runs of spaces
			}
			s.items = append(s.items, linebreak.Item{Kind: linebreak.Glue, Width: w, Stretch: w / 2, Shrink: w / 3})
		}
		if r.Break {
			flush()
			s.items = linebreak.Finish(s.items)
		}
	}
	flush()
	s.items = linebreak.Finish(s.items)
	var brk []linebreak.Line
	if align == Justify {
		brk = linebreak.Break(s.items, widths, s.opt)
	} else {
		brk = greedy(s.items, widths)
	}
	return s.lines(brk, align, widths)
}

// word appends a word's items: boxes, with hyphenation points between
// syllables when the word is in one font and the patterns allow.
func (s *setter) word(frags []frag, measure float64) {
	if !s.noHyph && allMain(frags) {
		var joined strings.Builder
		for _, f := range frags {
			joined.WriteString(f.text)
		}
		if pts := s.points(joined.String()); len(pts) > 0 {
			s.hyphenate(frags, pts)
			return
		}
	}
	for _, f := range frags {
		f.text = stripSoft(f.text)
		if f.text == "" {
			continue
		}
		// Explicit hyphens and the marks of an address are break
		// opportunities that add no hyphen. An address shorter than half
		// the line is never broken, so it reads and copies whole; a longer
		// one (a videoconference link) may break, at a cost as high as a
		// line with spaces twice their natural width.
		var parts []string
		var afterHyphen []bool
		switch {
		case !isAddress(f):
			parts, afterHyphen = splitBreakable(f.text, false)
		case s.m.width(&f) > measure/2:
			parts, afterHyphen = splitBreakable(f.text, true)
		default:
			parts = []string{f.text}
		}
		for j, p := range parts {
			s.addLong(frag{text: p, family: f.family, style: f.style, size: f.size, link: f.link}, measure)
			if j < len(afterHyphen) {
				if afterHyphen[j] {
					s.items = append(s.items, linebreak.Item{Kind: linebreak.Penalty, Penalty: s.opt.HyphenPenalty, Flagged: true})
				} else {
					s.items = append(s.items, linebreak.Item{Kind: linebreak.Penalty, Penalty: addressPenalty})
				}
			}
		}
	}
}

// addLong adds a box, cutting it between characters when it is wider than
// the measure (a long code, an address with no break): a line never runs
// past the margin.
func (s *setter) addLong(f frag, measure float64) {
	if s.m.width(&f) <= measure {
		s.addBox(f)
		return
	}
	runes := []rune(f.text)
	start := 0
	for start < len(runes) {
		end := start + 1
		for end < len(runes) {
			piece := frag{text: string(runes[start : end+1]), family: f.family, style: f.style, size: f.size}
			if s.m.width(&piece) > measure*0.98 {
				break
			}
			end++
		}
		s.addBox(frag{text: string(runes[start:end]), family: f.family, style: f.style, size: f.size, link: f.link})
		if end < len(runes) {
			s.items = append(s.items, linebreak.Item{Kind: linebreak.Penalty, Penalty: s.opt.HyphenPenalty})
		}
		start = end
	}
}

// allMain reports whether every fragment of a word is in the main family,
// the only one whose words are hyphenated.
func allMain(frags []frag) bool {
	for _, f := range frags {
		if f.family != "tw" {
			return false
		}
	}
	return true
}

// points returns the rune offsets where word may break: the hyphenation
// points of the patterns (each part of a compound on its own) and, in a
// compound of letters such as "linguistico-culturale", the offset just after
// each explicit hyphen with at least two letters on either side.
func (s *setter) points(word string) []int {
	pts := s.hyph.Points(word)
	if !strings.ContainsRune(word, '-') || len(pts) == 0 && !lettersAndHyphens(word) {
		return pts
	}
	rs := []rune(word)
	for i, r := range rs {
		if r == '-' && i >= 2 && len(rs)-i-1 >= 2 &&
			unicode.IsLetter(rs[i-1]) && unicode.IsLetter(rs[i-2]) &&
			unicode.IsLetter(rs[i+1]) && unicode.IsLetter(rs[i+2]) {
			pts = append(pts, i+1)
		}
	}
	slices.Sort(pts)
	return slices.Compact(pts)
}

// lettersAndHyphens reports whether word is a compound of letters only, so
// its explicit hyphens are break points even when no part is long enough to
// be hyphenated ("socio-sanitario" is, "2022-03-02" and "a-b" are not).
func lettersAndHyphens(word string) bool {
	for _, r := range strings.TrimRight(word, ".,;:!?)»”’") {
		if r != '-' && !unicode.IsLetter(r) && r != '\u2019' && r != '\'' {
			return false
		}
	}
	return true
}

// hyphenate adds a word made of fragments (a bold name and its comma, a
// link and its full stop) as boxes cut at the break points pts, rune offsets
// into the fragments' joined text. A break after an explicit hyphen adds
// nothing at the end of the line; any other draws a hyphen in the style of
// the syllable it follows.
func (s *setter) hyphenate(frags []frag, pts []int) {
	off, pi := 0, 0
	for fi, f := range frags {
		n := utf8.RuneCountInString(f.text)
		prev := 0
		for pi < len(pts) && pts[pi]-off <= n {
			k := pts[pi] - off
			pi++
			if k <= 0 || k == n && fi == len(frags)-1 {
				continue
			}
			piece := runeSlice(f.text, prev, k)
			s.addBox(frag{text: stripSoft(piece), family: f.family, style: f.style, size: f.size, link: f.link})
			prev = k
			if strings.HasSuffix(piece, "-") {
				s.items = append(s.items, linebreak.Item{Kind: linebreak.Penalty, Penalty: s.opt.HyphenPenalty, Flagged: true})
				continue
			}
			hy := frag{text: "-", family: f.family, style: f.style, size: f.size}
			hy.w = s.m.width(&hy)
			s.hyphenF[len(s.items)] = hy
			s.items = append(s.items, linebreak.Item{Kind: linebreak.Penalty, Width: hy.w, Penalty: s.opt.HyphenPenalty, Flagged: true})
		}
		s.addBox(frag{text: stripSoft(runeSlice(f.text, prev, -1)), family: f.family, style: f.style, size: f.size, link: f.link})
		off += n
	}
}

// urlBreakBefore holds the characters a URL or an e-mail address may break
// before, as the Chicago Manual of Style advises: the continuation line
// starts with the mark, which shows the address goes on.
const urlBreakBefore = "./?#&=_~%@"

// addressPenalty is the cost of breaking inside an address: about the
// demerits of a line whose spaces are stretched to twice their width.
const addressPenalty = 1000

// splitBreakable cuts a word that hyphenation leaves whole into the pieces
// between its break opportunities, at least two bytes each: after each
// explicit hyphen between letters (never inside a number or a date), and in
// an address after any hyphen, after "//" and before the marks of
// urlBreakBefore. It reports for each cut whether it follows a hyphen.
func splitBreakable(text string, address bool) (parts []string, afterHyphen []bool) {
	start := 0
	cut := func(i int, hyphen bool) {
		if i-start >= 2 && len(text)-i >= 2 {
			parts = append(parts, text[start:i])
			afterHyphen = append(afterHyphen, hyphen)
			start = i
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '-' && (address || i > 0 && i+1 < len(text) && isLetterByte(text[i-1]) && isLetterByte(text[i+1])):
			cut(i+1, true)
		case !address:
		case c == '/' && i+1 < len(text) && text[i+1] == '/':
			cut(i+2, false)
			i++
		case strings.IndexByte(urlBreakBefore, c) >= 0 && !(c == '/' && i > 0 && text[i-1] == ':'):
			cut(i, false)
		}
	}
	return append(parts, text[start:]), afterHyphen
}

// isLetterByte reports whether a UTF-8 byte belongs to a letter: an ASCII
// letter or any byte of a multi-byte character (accented letters).
func isLetterByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf
}

// isAddress tells a web or e-mail address, linked or written out.
func isAddress(f frag) bool {
	return f.link != "" || strings.Contains(f.text, "://") || strings.HasPrefix(f.text, "www.") || strings.Contains(f.text, "@")
}

func (s *setter) addBox(f frag) {
	if f.text == "" {
		return
	}
	f.w = s.m.width(&f)
	s.boxes[len(s.items)] = f
	s.items = append(s.items, linebreak.Item{Kind: linebreak.Box, Width: f.w})
}

func stripSoft(s string) string {
	if !strings.ContainsRune(s, '\u00ad') {
		return s
	}
	return strings.ReplaceAll(s, "\u00ad", "")
}

// runeSlice returns runes [from, to) of s; to < 0 means the end.
func runeSlice(s string, from, to int) string {
	i, start, end := 0, len(s), len(s)
	for off := range s {
		if i == from {
			start = off
		}
		if i == to {
			end = off
			break
		}
		i++
	}
	if from >= i && start == len(s) {
		return ""
	}
	return s[start:end]
}

// greedy breaks lines first-fit for ragged text: short blocks (titles,
// signature, footer) where optimal breaking buys nothing.
func greedy(items []linebreak.Item, widths []float64) []linebreak.Line {
	var out []linebreak.Line
	start, w, lastBreak := 0, 0.0, -1
	lineW := func() float64 {
		if len(out) < len(widths) {
			return widths[len(out)]
		}
		return widths[len(widths)-1]
	}
	skip := func(i int) int {
		for i < len(items) && items[i].Kind != linebreak.Box {
			if items[i].Kind == linebreak.Penalty && items[i].Penalty <= -linebreak.Infinity {
				break
			}
			i++
		}
		return i
	}
	for i := 0; i < len(items); i++ {
		it := items[i]
		switch it.Kind {
		case linebreak.Box:
			w += it.Width
		case linebreak.Glue:
			if i > 0 && items[i-1].Kind == linebreak.Box && !(i > 1 && items[i-1].Kind == linebreak.Penalty) {
				if !(i > 0 && items[i-1].Kind == linebreak.Penalty && items[i-1].Penalty >= linebreak.Infinity) {
					lastBreak = i
				}
			}
			if it.Stretch < linebreak.Fil {
				w += it.Width
			}
		case linebreak.Penalty:
			if it.Penalty <= -linebreak.Infinity {
				out = append(out, linebreak.Line{Start: start, End: i, Ragged: true})
				start, w, lastBreak = skip(i+1), 0, -1
				i = start - 1
				continue
			}
			if it.Penalty < linebreak.Infinity && i+1 < len(items) && items[i+1].Kind == linebreak.Glue && items[i-1].Kind == linebreak.Box {
				// a penalty before glue marks the glue as unbreakable only when >= Infinity
			}
		}
		if w > lineW()+0.01 && lastBreak > start {
			out = append(out, linebreak.Line{Start: start, End: lastBreak, Ragged: true})
			start, w, lastBreak = skip(lastBreak+1), 0, -1
			i = start - 1
		}
	}
	if start < len(items) {
		out = append(out, linebreak.Line{Start: start, End: len(items), Ragged: true})
	}
	return out
}

// lines places the items of each broken line.
func (s *setter) lines(brk []linebreak.Line, align Align, widths []float64) []line {
	out := make([]line, 0, len(brk))
	for n, b := range brk {
		var ln line
		x := 0.0
		joined := false // the last item placed was a box: a following box continues its word
		for i := b.Start; i < b.End && i < len(s.items); i++ {
			it := s.items[i]
			switch it.Kind {
			case linebreak.Box:
				f := s.boxes[i]
				// Syllables of one word join into one fragment.
				if k := len(ln.frags) - 1; k >= 0 && joined && sameFont(ln.frags[k].frag, f) {
					ln.frags[k].text += f.text
					ln.frags[k].w += f.w
				} else {
					ln.frags = append(ln.frags, placedFrag{x: x, frag: f})
				}
				joined = true
				x += f.w
			case linebreak.Glue:
				gw := it.Width
				if align == Justify && !b.Ragged {
					gw = b.GlueWidth(it)
				} else if it.Stretch >= linebreak.Fil {
					gw = 0
				}
				if it.Stretch < linebreak.Fil && i > b.Start {
					ln.spaces = append(ln.spaces, space{it.Width, gw})
				}
				joined = false
				x += gw
			}
		}
		if b.End < len(s.items) && s.items[b.End].Kind == linebreak.Penalty && s.items[b.End].Flagged {
			ln.hyphenated = true // a hyphen ends the line, added or the word's own
			if hy, ok := s.hyphenF[b.End]; ok && s.items[b.End].Width > 0 {
				if k := len(ln.frags) - 1; k >= 0 && joined && sameFont(ln.frags[k].frag, hy) {
					ln.frags[k].text += "-"
					ln.frags[k].w += hy.w
				} else {
					ln.frags = append(ln.frags, placedFrag{x: x, frag: hy})
				}
				x += hy.w
			}
		}
		ln.width = x
		ln.justified = align == Justify && !b.Ragged
		if n+1 < len(brk) {
			if f, ok := s.boxes[brk[n+1].Start]; ok && isAddress(f) {
				ln.beforeAddress = true
			}
		}
		w := widths[min(n, len(widths)-1)]
		shift := 0.0
		switch align {
		case Center:
			shift = (w - x) / 2
		case Right:
			shift = w - x
		}
		if shift != 0 {
			for i := range ln.frags {
				ln.frags[i].x += shift
			}
		}
		out = append(out, ln)
	}
	return out
}

func sameFont(a, b frag) bool {
	return a.family == b.family && a.style == b.style && a.size == b.size && a.link == b.link
}
