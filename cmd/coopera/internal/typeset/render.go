package typeset

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/hyphen"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/linebreak"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
)

// Limits on what one document may become.
const (
	MaxPages = 200
)

const mm = 72 / 25.4 // points per millimetre

// Options tune rendering.
type Options struct {
	Version string // release version stamped in the PDF's Creator and Producer; "" for none
	// Meta is the finished file's properties; its dates come from the
	// first document when zero.
	Meta pdf.Meta
	// Signature signs the file when not nil.
	Signature *pdf.Signature
}

// Result is a rendered document.
type Result struct {
	PDF   []byte
	Pages int
	Stats Stats
}

// roleStyle is how a block of a role is set.
type roleStyle struct {
	size        float64 // relative to the body size
	style       compose.Style
	align       Align
	before      float64 // space before, in lines
	keepNext    bool
	indentRatio float64 // left indent as a share of the measure (signature block)
}

var roles = map[string]roleStyle{
	"corpo":        {1, 0, Justify, 0.5, false, 0},
	"protocollo":   {1, 0, Left, 0, false, 0},
	"destinatari":  {1, 0, Left, 0.5, false, 0.5},
	"oggetto":      {1, 0, Justify, 1.2, true, 0},
	"saluto":       {1, 0, Left, 1, true, 0},
	"congedo":      {1, 0, Justify, 0.8, true, 0},
	"firma":        {1, 0, Center, 1.2, false, 0.5},
	"allegati":     {0.9, 0, Left, 1, true, 0},
	"intestazione": {1.3, compose.Bold, Center, 0.3, true, 0},
	"titolo":       {1.1, 0, Center, 0.8, true, 0},
	"sottotitolo":  {1, 0, Center, 0.3, true, 0},
	"luogo-data":   {1, 0, Left, 1, false, 0},
	"contatti":     {0.9, 0, Left, 1, false, 0},
}

// setLine is a line with its place in the flow.
type setLine struct {
	line
	block, index, count int
	height              float64 // leading
	before              float64 // space before when not at the top of a page
	left                float64 // x of the line's left edge
	bullet              bool
	keepNext            bool // the block is kept with the next one
	closing             bool // a line of the closing (congedo)
	image               *picture
	imageW, imageH      float64
}

// Producer is the name the PDFs give as their creator and producer:
// "coopera", followed by the version for a release build. Development builds
// leave it out, so that a PDF's bytes depend on the sources alone and not on
// how the binary was built.
func Producer(version string) string {
	if version == "" {
		return "coopera"
	}
	return "coopera " + version
}

// Render typesets doc into a PDF.
func Render(doc *compose.Document, opt Options) (*Result, error) {
	return RenderAll([]*compose.Document{doc}, opt)
}

// RenderAll typesets several documents into one PDF (a mail merge): each
// starts on a new page with its own letterhead and its own "Pagina N di M".
// The PDF's properties are the first document's.
func RenderAll(docs []*compose.Document, opt Options) (*Result, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("nessun documento da comporre")
	}
	first := docs[0]
	date := DocTime(first.Meta.Date)
	doc := pdf.NewDoc(date)
	meta := opt.Meta
	if meta.Created.IsZero() {
		meta.Created, meta.Modified = date, date
	}

	// The typesetter measures text with the fonts' own metrics and writes
	// it as glyph codes; the fonts a document uses are embedded when the
	// file is finished (fontSet).
	r := newRenderer(doc)
	res := &Result{}
	for _, d := range docs {
		n, err := r.document(d, &res.Stats)
		if err != nil {
			return nil, err
		}
		res.Pages += n
		if res.Pages > MaxPages {
			return nil, fmt.Errorf("il documento supererebbe %d pagine: accorcia il testo", MaxPages)
		}
	}
	if r.m.err != nil {
		return nil, r.m.err
	}
	fonts, err := r.m.fonts.pdfFonts()
	if err != nil {
		return nil, fmt.Errorf("scrittura del PDF: %v", err)
	}
	if res.PDF, err = doc.Finish(fonts, meta, opt.Signature); err != nil {
		return nil, err
	}
	return res, nil
}

type renderer struct {
	pdf *pdf.Doc
	m   *measurer
}

func newRenderer(doc *pdf.Doc) *renderer {
	return &renderer{pdf: doc, m: &measurer{pdf: doc, fonts: newFontSet(),
		cache: make(map[measureKey]float64, 512), images: map[int]string{}}}
}

// document sets and draws one document and returns its page count.
func (r *renderer) document(doc *compose.Document, stats *Stats) (int, error) {
	f, err := r.layout(doc, stats)
	if err != nil {
		return 0, err
	}
	pages := paginate(f.flow, f.top1, f.topN, f.bottom)
	if f.letter {
		pages = fitLastPage(pages, f.top1, f.topN, f.bottom, f.leading, f.bottomMargin)
	}
	if len(pages) > MaxPages {
		return 0, fmt.Errorf("il documento supererebbe %d pagine: accorcia il testo", MaxPages)
	}
	stats.Pages += len(pages)
	return len(pages), r.draw(doc, f, pages)
}

// flowed is a document set into lines, with the geometry of its pages.
type flowed struct {
	flow              []setLine
	top1, topN        float64 // where the text starts on page 1 and on the others
	bottom            float64 // where the text must end, above the footer
	leading           float64 // the body's line height
	bottomMargin      float64 // the paper below the footer
	left, measure     float64
	letter            bool // the document has a closing (congedo)
	pageW, pageHeight float64
}

// layout sets every block of doc into lines.
func (r *renderer) layout(doc *compose.Document, stats *Stats) (*flowed, error) {
	pdf := r.pdf
	lay := doc.Layout
	pageW, pageH := pdf.PageSize()
	left, right := lay.Page.Left*mm, lay.Page.Right*mm
	measure := pageW - left - right
	size, leading := lay.Text.Size, lay.Text.Leading

	hy := hyphen.Italian()
	if len(doc.Hyphenate) > 0 {
		var err error
		if hy, err = hy.WithExceptions(doc.Hyphenate); err != nil {
			return nil, err
		}
	}
	st := &setter{
		m:    r.m,
		hyph: hy, opt: linebreak.DefaultOptions(),
		boxes: map[int]frag{}, hyphenF: map[int]frag{},
	}
	st.opt.EmergencyStretch = size

	// Set every block into lines.
	var flow []setLine
	letter := false
	for bi, b := range doc.Blocks {
		letter = letter || b.Role == "congedo"
		rs, ok := roles[b.Role]
		if !ok {
			rs = roles["corpo"]
		}
		bsize := size * rs.size
		bstyle := rs.style
		blead := leading * rs.size
		if b.Kind == compose.Heading {
			bsize = size * map[int]float64{1: 1.5, 2: 1.3, 3: 1.15}[min(b.Level, 3)]
			if b.Level > 3 {
				bsize = size
			}
			blead = bsize * 1.3
			bstyle |= compose.Bold
			rs.keepNext = true
			if b.Role == "corpo" {
				rs.align = Left
			}
		}
		x0 := left + measure*rs.indentRatio
		w := measure * (1 - rs.indentRatio)
		bulletIndent := 0.0
		if b.Kind == compose.ListItem || (b.Kind == compose.Paragraph && b.Level > 0) {
			bulletIndent = float64(b.Level) * 5 * mm
		}
		lines := st.set(b.Runs, bsize, []float64{w - bulletIndent}, rs.align, bstyle)
		stats.add(lines, w-bulletIndent, st)
		if b.Role == "firma" && lay.Signature.Image != "" {
			pic, err := loadPicture(lay.Signature.Image)
			if err != nil {
				return nil, err
			}
			h := lay.Signature.Height * mm
			iw := h * float64(pic.w) / float64(pic.h)
			flow = append(flow, setLine{block: bi, index: 0, count: len(lines) + 1, height: h + 2, before: rs.before * leading,
				left: x0 + (w-iw)/2, image: pic, imageW: iw, imageH: h, keepNext: true})
		}
		for i, ln := range lines {
			sl := setLine{line: ln, block: bi, index: i, count: len(lines), height: blead, left: x0 + bulletIndent, keepNext: rs.keepNext, closing: b.Role == "congedo"}
			if i == 0 {
				sl.before = rs.before * leading
				sl.bullet = b.Kind == compose.ListItem
				if b.Kind == compose.ListItem && bi > 0 && doc.Blocks[bi-1].Kind == compose.ListItem {
					sl.before = 0.2 * leading
				}
			}
			if b.Role == "firma" && lay.Signature.Image != "" {
				sl.index++
				sl.count++
				sl.before = 0
			}
			flow = append(flow, sl)
		}
	}

	// Letterhead height on page 1; short header on the others.
	headBottom, err := drawHead(pdf, lay, r.m, left, measure, false)
	if err != nil {
		return nil, err
	}
	return &flowed{
		flow:    flow,
		top1:    headBottom + 6*mm,
		topN:    lay.Page.Top*mm + 12*mm,
		bottom:  pageH - lay.Page.Bottom*mm - footHeight(lay),
		leading: leading, bottomMargin: lay.Page.Bottom * mm,
		left: left, measure: measure, letter: letter,
		pageW: pageW, pageHeight: pageH,
	}, nil
}

// draw draws the pages of a document.
func (r *renderer) draw(doc *compose.Document, f *flowed, pages []page) error {
	pdf := r.pdf
	lay := doc.Layout
	left, measure, pageW, pageH := f.left, f.measure, f.pageW, f.pageHeight
	for pi, pg := range pages {
		pdf.AddPage()
		if doc.Draft {
			drawDraftMark(pdf, r.m, pageW, pageH, lay.Page.Top*mm)
		}
		y := f.topN
		if pi == 0 {
			if _, err := drawHead(pdf, lay, r.m, left, measure, true); err != nil {
				return err
			}
			y = f.top1
		} else {
			drawFollowingHeader(pdf, r.m, lay, left, measure, pi+1, len(pages), doc.Draft)
		}
		// A page that took in the next one has its footer lower by as
		// much as its text area grew (fitLastPage).
		drawFoot(pdf, r.m, lay, left, measure, pageH+pg.extra, pi+1, len(pages))
		for k, ln := range pg.lines {
			if k > 0 {
				y += ln.before * pg.glue
			}
			if ln.image != nil {
				if err := placeImage(pdf, r.m, ln.image, ln.left, y, ln.imageW, ln.imageH); err != nil {
					return err
				}
				y += ln.height
				continue
			}
			y += ln.height
			base := y - ln.height*0.28
			if ln.bullet {
				r.m.color = black
				r.m.draw(frag{text: "•", family: "tw", size: ln.fragsSize()}, ln.left-4*mm, base)
			}
			drawLine(r.m, ln.line, ln.left, base)
		}
	}
	return nil
}

func (l setLine) fragsSize() float64 {
	if len(l.frags) > 0 {
		return l.frags[0].size
	}
	return 11
}

// DocTime is the document date at noon in Rome: a date, not an instant,
// and never the clock.
func DocTime(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, rome())
}

// page is the lines one page carries and how they are spaced.
type page struct {
	lines []setLine
	// glue is the share of each space between blocks the page keeps: 1, or
	// less on a page that took in the last one (fitLastPage).
	glue float64
	// extra is how far, in points, the page's text area and its footer go
	// down into the bottom margin: 0 but on such a page.
	extra float64
}

// paginate assigns lines to pages, never leaving a paragraph's first or
// last line alone (orphans, widows), keeping blocks marked keepNext with
// the block that follows, and never starting a page with the closing: the
// page that carries the closing carries at least the two lines before it.
func paginate(flow []setLine, top1, topN, bottom float64) []page {
	closing := -1 // the closing's first line
	for i, ln := range flow {
		if ln.closing {
			closing = i
			break
		}
	}
	var pages []page
	start := 0
	for start < len(flow) {
		top := topN
		if len(pages) == 0 {
			top = top1
		}
		end := start + fill(flow[start:], top, bottom)
		if end == len(flow) {
			pages = append(pages, page{lines: flow[start:end], glue: 1})
			break
		}
		if end == start {
			end = start + 1 // a line taller than the page: place it anyway
		} else {
			b := end
			for b > start && !breakAllowed(flow, b, closing) {
				b--
			}
			if b > start {
				end = b
			}
		}
		pages = append(pages, page{lines: flow[start:end], glue: 1})
		start = end
	}
	return pages
}

// fill is how many lines of flow fit between top and bottom at their
// natural spacing.
func fill(flow []setLine, top, bottom float64) int {
	y := top
	for n, ln := range flow {
		need := ln.height
		if n > 0 {
			need += ln.before
		}
		if y+need > bottom+0.01 {
			return n
		}
		y += need
	}
	return len(flow)
}

// breakAllowed reports whether a page may end before flow[i]; closing is
// the index of the closing's first line, or -1.
func breakAllowed(flow []setLine, i, closing int) bool {
	if closing >= 0 && i <= closing && closing-i < 2 {
		return false
	}
	prev, cur := flow[i-1], flow[i]
	if prev.block == cur.block {
		return cur.index >= 2 && cur.count-cur.index >= 2
	}
	return !prev.keepNext
}

// How much room a letter's last page break may give back, so that a letter
// a few lines too long ends on the page before instead of leaving a page
// with a few lines on it (what LaTeX's letter classes and \enlargethispage
// do by hand). Only the page before the last one is ever tightened, and
// only when all of the last page then fits on it:
//
//   - first the spaces between blocks (paragraphs, subject, salutation,
//     closing, signature) shrink, all by the same share, by at most a
//     third of their natural height (a paragraph's half line of space
//     becomes no less than a third of a line);
//   - then, if that is not enough, the text area grows into the bottom
//     margin by at most two lines of body text, and the footer moves down
//     with it, so text and footer never overlap; the footer stays at least
//     12 mm above the paper's edge.
//
// Line spacing, type size and the other margins never change.
const (
	maxGlueShrink   = 1.0 / 3
	maxEnlargeLines = 2
	minFootMargin   = 12 * mm
)

// fitLastPage moves the last page onto the one before when it fits there
// within the limits above; otherwise it returns pages as they are.
func fitLastPage(pages []page, top1, topN, bottom, leading, bottomMargin float64) []page {
	n := len(pages)
	if n < 2 {
		return pages
	}
	top := topN
	if n == 2 {
		top = top1
	}
	lines := append(append([]setLine(nil), pages[n-2].lines...), pages[n-1].lines...)
	height, glue := 0.0, 0.0
	for k, ln := range lines {
		height += ln.height
		if k > 0 {
			glue += ln.before
		}
	}
	excess := height + glue - (bottom - top)
	shrink := min(max(excess, 0), glue*maxGlueShrink)
	extra := max(excess-shrink, 0)
	if extra > min(maxEnlargeLines*leading, max(bottomMargin-minFootMargin, 0))+0.01 {
		return pages
	}
	kept := 1.0
	if glue > 0 {
		kept = 1 - shrink/glue
	}
	return append(pages[:n-2:n-2], page{lines: lines, glue: kept, extra: extra})
}

// draftNotice heads every page of a draft, in the top margin: unlike the
// slanted watermark it reads (and extracts) as one line of text.
const draftNotice = "BOZZA - documento senza numero di protocollo, da non inviare"

// drawDraftMark prints BOZZA across the page, light enough to read the text
// through, and the draft notice in the top margin.
func drawDraftMark(pdf *pdf.Doc, m *measurer, w, h, top float64) {
	notice := frag{text: draftNotice, family: "tw", style: "B", size: 9}
	m.color = rgb{170, 0, 0}
	m.draw(notice, w/2-m.width(&notice)/2, top/2+3)
	mark := frag{text: "BOZZA", family: "tw", style: "B", size: 110}
	m.color = rgb{210, 210, 210}
	pdf.Rotated(45, w/2, h/2, func() { m.draw(mark, w/2-m.width(&mark)/2, h/2+35) })
	m.color = black
}

func centerText(m *measurer, style string, size float64, s string, left, measure, y float64) {
	frags := splitFonts(s, style, size, "")
	total := 0.0
	for i := range frags {
		frags[i].w = m.width(&frags[i])
		total += frags[i].w
	}
	x := left + (measure-total)/2
	for _, f := range frags {
		m.draw(f, x, y)
		x += f.w
	}
}

func rightText(m *measurer, style string, size float64, s string, right, y float64) {
	f := frag{text: s, family: "tw", style: style, size: size}
	m.draw(f, right-m.width(&f), y)
}

// drawFollowingHeader is the short header of pages 2 onwards.
func drawFollowingHeader(pdf *pdf.Doc, m *measurer, lay compose.Layout, left, measure float64, page, pages int, draft bool) {
	y := lay.Page.Top*mm + 4*mm
	m.color = rgb{80, 80, 80}
	head := lay.Following.Header
	if draft {
		head = "BOZZA - " + head
	}
	for _, f := range splitFonts(head, "", 8.5, "") {
		f.w = m.width(&f)
		m.draw(f, left, y)
		left += f.w
	}
	left -= headWidth(m, head)
	rightText(m, "", 8.5, fmt.Sprintf("Pagina %d di %d", page, pages), left+measure, y)
	pdf.Line(left, y+2.5*mm, left+measure, y+2.5*mm, rule, 0.4)
	m.color = black
}

func headWidth(m *measurer, s string) float64 {
	total := 0.0
	for _, f := range splitFonts(s, "", 8.5, "") {
		total += m.width(&f)
	}
	return total
}

func footHeight(lay compose.Layout) float64 {
	return float64(len(lay.Foot.Lines))*lay.Foot.Size*1.25 + 4*mm
}

// drawFoot prints the footer lines centred at the bottom of every page,
// and "Pagina N di M" on the first page of a longer document.
func drawFoot(pdf *pdf.Doc, m *measurer, lay compose.Layout, left, measure, pageH float64, page, pages int) {
	size := lay.Foot.Size
	lead := size * 1.25
	y := pageH - lay.Page.Bottom*mm - float64(len(lay.Foot.Lines))*lead + lead
	pdf.Line(left, y-lead-1*mm, left+measure, y-lead-1*mm, rule, 0.4)
	m.color = rgb{60, 60, 60}
	for i, s := range lay.Foot.Lines {
		style := ""
		if i == 0 {
			style = "B"
		}
		centerText(m, style, size, s, left, measure, y)
		if looksLikeSite(s) {
			w := headWidthStyle(m, s, style, size)
			pdf.Link(left+(measure-w)/2, y-size*0.8, w, size*1.05, "https://"+strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://"))
		}
		y += lead
	}
	if page == 1 && pages > 1 {
		rightText(m, "", 8.5, fmt.Sprintf("Pagina 1 di %d", pages), left+measure, y-lead)
	}
	m.color = black
}

func headWidthStyle(m *measurer, s, style string, size float64) float64 {
	total := 0.0
	for _, f := range splitFonts(s, style, size, "") {
		total += m.width(&f)
	}
	return total
}

func looksLikeSite(s string) bool {
	return !strings.ContainsAny(s, " @") && strings.Count(s, ".") >= 1 && !strings.HasSuffix(s, ".")
}

// drawHead draws (or, with draw false, only measures) the first page's
// letterhead and returns its bottom edge.
func drawHead(pdf *pdf.Doc, lay compose.Layout, m *measurer, left, measure float64, draw bool) (float64, error) {
	y := lay.Page.Top * mm
	h := lay.Head.LogoHeight * mm
	if len(lay.Head.Logos) > 0 && h > 0 {
		if draw {
			if err := drawLogos(pdf, m, lay, left, measure, y, h); err != nil {
				return 0, err
			}
		}
		y += h + 4*mm
	}
	ls := lay.Head.Lines.Size
	for _, s := range lay.Head.Lines.Texts {
		y += ls * 1.25
		if draw {
			m.color = rgb{40, 40, 40}
			centerText(m, "", ls, s, left, measure, y)
		}
	}
	if t := lay.Head.Title.Text; t != "" {
		y += lay.Head.Title.Size * 1.6
		if draw {
			m.color = rgb{0, 51, 153}
			centerText(m, "B", lay.Head.Title.Size, t, left, measure, y)
		}
	}
	y += 3 * mm
	if draw {
		m.color = black
		pdf.Line(left, y, left+measure, y, blue, 0.6)
	}
	return y, nil
}

// drawLogos spreads the logos across the measure: the first flush left,
// the last flush right, the others evenly between; each caption sits to
// the right of its mark, vertically centred.
func drawLogos(pdf *pdf.Doc, m *measurer, lay compose.Layout, left, measure, y, h float64) error {
	type group struct {
		markW  float64
		lines  []string
		lineW  float64
		total  float64
		emblem bool
		pic    *picture
	}
	const capSize = 7.5
	groups := make([]group, len(lay.Head.Logos))
	sum := 0.0
	for i, l := range lay.Head.Logos {
		g := group{emblem: l.Emblem != ""}
		if g.emblem {
			g.markW = h * 1.5
		} else if l.Image != "" {
			pic, err := loadPicture(l.Image)
			if err != nil {
				return fmt.Errorf("logo: %v", err)
			}
			g.pic = pic
			g.markW = h * float64(pic.w) / float64(pic.h)
		}
		if l.Caption != "" {
			g.lines = strings.Split(l.Caption, "\n")
			for _, s := range g.lines {
				g.lineW = max(g.lineW, headWidthStyle(m, s, "B", capSize))
			}
		}
		g.total = g.markW
		if g.lineW > 0 {
			g.total += 2*mm + g.lineW
		}
		groups[i] = g
		sum += g.total
	}
	gap := 0.0
	if len(groups) > 1 {
		gap = (measure - sum) / float64(len(groups)-1)
	}
	x := left
	if len(groups) == 1 {
		x = left + (measure-sum)/2
	}
	for _, g := range groups {
		if g.emblem {
			drawEUEmblem(pdf, x, y, h)
		} else if g.pic != nil {
			if err := placeImage(pdf, m, g.pic, x, y, g.markW, h); err != nil {
				return fmt.Errorf("logo: %v", err)
			}
		}
		cx := x + g.markW + 2*mm
		lead := capSize * 1.2
		cy := y + h/2 - float64(len(g.lines))*lead/2 + capSize*0.85
		m.color = rgb{30, 30, 30}
		for _, s := range g.lines {
			for _, f := range splitFonts(s, "B", capSize, "") {
				f.w = m.width(&f)
				m.draw(f, cx, cy)
				cx += f.w
			}
			cx = x + g.markW + 2*mm
			cy += lead
		}
		x += g.total + gap
	}
	m.color = black
	return nil
}

// placeImage registers a picture under its content's name. fpdf writes
// images ordered by pixel width alone, so two different images of equal
// width would come out in map order and the bytes would vary between
// runs: the second is widened by a white column.
func placeImage(pdf *pdf.Doc, m *measurer, p *picture, x, y, w, h float64) error {
	name := fmt.Sprintf("img-%x", hashBytes(p.png))
	if other, ok := m.images[p.w]; ok && other != name {
		wp, err := p.widened()
		if err != nil {
			return fmt.Errorf("immagine non utilizzabile nel PDF: %v", err)
		}
		return placeImage(pdf, m, wp, x, y, w, h)
	}
	m.images[p.w] = name
	return pdf.Image(name, p.png, x, y, w, h)
}

// drawEUEmblem draws the European flag from its official geometry
// (Reg. (UE) 1049/2014): a 3:2 blue field, twelve gold five-pointed stars
// upright on a circle whose radius is a third of the height, each star's
// points on a circle of radius one eighteenth of the height. The star's
// outline is written once per star relative to its centre, moved into
// place by a translation: twelve identical strings compress to little more
// than one.
func drawEUEmblem(doc *pdf.Doc, x, y, h float64) {
	w := h * 1.5
	doc.FillRect(x, y, w, h, blue) // Reflex Blue
	cx, cy := x+w/2, y+h/2         // centre
	R, r := h/3, h/18
	star := make([]pdf.Point, 10)
	for k := range star {
		rad := r
		if k%2 == 1 {
			rad = r * 0.381966 // inner radius of a regular star
		}
		b := float64(k) * math.Pi / 5
		star[k] = pdf.Point{X: rad * math.Sin(b), Y: rad * math.Cos(b)}
	}
	at := make([]pdf.Point, 12)
	for i := range at {
		a := float64(i) * math.Pi / 6
		at[i] = pdf.Point{X: cx + R*math.Sin(a), Y: cy - R*math.Cos(a)}
	}
	doc.FillShapes(pdf.RGB{255, 204, 0}, star, at) // Yellow
}
