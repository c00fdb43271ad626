package typeset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// ttf is a TrueType font read in place: the tables are located once, and
// glyphs, metrics and character codes are read on demand from the embedded
// file, which is never copied whole.
type ttf struct {
	r           io.ReaderAt
	tables      map[string]span
	unitsPerEm  int
	longLoca    bool
	numGlyphs   int
	numHMetrics int
	cmap        []byte // the Unicode BMP subtable (format 4)
	hmtx        []byte
	latin       [256]uint16 // glyphs of U+0000-U+00FF, the bulk of Italian text
	widths      []uint16    // advance of every glyph in thousandths of an em
	metrics     fontMetrics
}

// span is a table's place in the file.
type span struct{ off, len int }

// fontMetrics are the font descriptor's values, in thousandths of an em.
type fontMetrics struct {
	ascent, descent, capHeight int
	bbox                       [4]int
	italicAngle                float64
	flags, stemV               int
}

// Font descriptor flags (ISO 32000-1 9.8.2).
const (
	flagFixedPitch = 1 << 0
	flagSymbolic   = 1 << 2
	flagItalic     = 1 << 6
	flagForceBold  = 1 << 18
)

var errBadFont = errors.New("tabelle TrueType mancanti o danneggiate")

// parseTTF reads the table directory and the small tables every use needs.
func parseTTF(r io.ReaderAt) (*ttf, error) {
	t := &ttf{r: r, tables: map[string]span{}}
	head, err := t.read(0, 12)
	if err != nil {
		return nil, err
	}
	n := int(u16(head, 4))
	dir, err := t.read(12, 16*n)
	if err != nil {
		return nil, err
	}
	for i := range n {
		e := dir[16*i:]
		t.tables[string(e[:4])] = span{int(u32(e, 8)), int(u32(e, 12))}
	}
	for _, step := range []func() error{t.parseHead, t.parseHhea, t.parseMaxp, t.parseOS2, t.parsePost, t.parseCmap} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	if t.hmtx, err = t.table("hmtx", 4*t.numHMetrics+2*(t.numGlyphs-t.numHMetrics)); err != nil {
		return nil, err
	}
	t.widths = make([]uint16, t.numGlyphs)
	for g := range t.widths {
		t.widths[g] = t.roundedWidth(uint16(g))
	}
	for r := range t.latin {
		t.latin[r] = t.lookup(rune(r))
	}
	return t, nil
}

// read returns n bytes at off.
func (t *ttf) read(off, n int) ([]byte, error) {
	if off < 0 || n < 0 {
		return nil, errBadFont
	}
	b := make([]byte, n)
	if _, err := t.r.ReadAt(b, int64(off)); err != nil {
		return nil, errBadFont
	}
	return b, nil
}

// table returns a whole table, or at least min bytes of it.
func (t *ttf) table(tag string, min int) ([]byte, error) {
	s, ok := t.tables[tag]
	if !ok || s.len < min {
		return nil, fmt.Errorf("tabella %q: %w", tag, errBadFont)
	}
	return t.read(s.off, s.len)
}

func u16(b []byte, i int) uint16 { return binary.BigEndian.Uint16(b[i:]) }
func i16(b []byte, i int) int    { return int(int16(u16(b, i))) }
func u32(b []byte, i int) uint32 { return binary.BigEndian.Uint32(b[i:]) }

// thousandths converts font units to thousandths of an em, truncating as
// fpdf did for the descriptor.
func (t *ttf) thousandths(v int) int { return int(float64(v) * 1000 / float64(t.unitsPerEm)) }

func (t *ttf) parseHead() error {
	h, err := t.table("head", 54)
	if err != nil {
		return err
	}
	t.unitsPerEm = int(u16(h, 18))
	if t.unitsPerEm == 0 {
		return errBadFont
	}
	for i := range 4 {
		t.metrics.bbox[i] = t.thousandths(i16(h, 36+2*i))
	}
	t.longLoca = i16(h, 50) == 1
	return nil
}

func (t *ttf) parseHhea() error {
	h, err := t.table("hhea", 36)
	if err != nil {
		return err
	}
	t.metrics.ascent = t.thousandths(i16(h, 4))
	t.metrics.descent = t.thousandths(i16(h, 6))
	t.numHMetrics = int(u16(h, 34))
	if t.numHMetrics == 0 {
		return errBadFont
	}
	return nil
}

func (t *ttf) parseMaxp() error {
	m, err := t.table("maxp", 6)
	if err != nil {
		return err
	}
	t.numGlyphs = int(u16(m, 4))
	if t.numHMetrics > t.numGlyphs {
		return errBadFont
	}
	return nil
}

// parseOS2 takes the cap height and the weight (for StemV and ForceBold)
// from the OS/2 table when the font has one.
func (t *ttf) parseOS2() error {
	t.metrics.capHeight = t.metrics.ascent
	weight := 500
	if _, ok := t.tables["OS/2"]; ok {
		o, err := t.table("OS/2", 78)
		if err != nil {
			return err
		}
		weight = int(u16(o, 4))
		if u16(o, 0) > 1 && len(o) >= 90 {
			t.metrics.capHeight = t.thousandths(i16(o, 88))
		}
	}
	t.metrics.flags = flagSymbolic
	if weight >= 600 {
		t.metrics.flags |= flagForceBold
	}
	t.metrics.stemV = 50 + int(math.Pow(float64(weight)/65, 2))
	return nil
}

func (t *ttf) parsePost() error {
	p, err := t.table("post", 16)
	if err != nil {
		return err
	}
	t.metrics.italicAngle = float64(int32(u32(p, 4))) / 65536
	if t.metrics.italicAngle != 0 {
		t.metrics.flags |= flagItalic
	}
	if u32(p, 12) != 0 {
		t.metrics.flags |= flagFixedPitch
	}
	return nil
}

// parseCmap keeps the first Unicode subtable in format 4: Windows Unicode
// BMP (3,1) or any Unicode-platform one, as fpdf chose.
func (t *ttf) parseCmap() error {
	c, err := t.table("cmap", 4)
	if err != nil {
		return err
	}
	n := int(u16(c, 2))
	if len(c) < 4+8*n {
		return errBadFont
	}
	for i := range n {
		e := c[4+8*i:]
		platform, encoding, off := u16(e, 0), u16(e, 2), int(u32(e, 4))
		if !(platform == 3 && encoding == 1 || platform == 0) || off+4 > len(c) || u16(c, off) != 4 {
			continue
		}
		l := int(u16(c, off+2))
		if off+l > len(c) || l < 16 {
			return errBadFont
		}
		t.cmap = c[off : off+l]
		return nil
	}
	return fmt.Errorf("tabella cmap Unicode: %w", errBadFont)
}

// glyphIndex maps a BMP character to its glyph; 0 (.notdef) means the
// font lacks it.
func (t *ttf) glyphIndex(r rune) uint16 {
	if r >= 0 && r < rune(len(t.latin)) {
		return t.latin[r]
	}
	return t.lookup(r)
}

// lookup maps a character to its glyph through the format 4 subtable.
func (t *ttf) lookup(r rune) uint16 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	c := t.cmap
	segs := int(u16(c, 6)) / 2
	if len(c) < 16+8*segs {
		return 0
	}
	ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
	lo, hi := 0, segs
	for lo < hi { // first segment whose end code is >= r
		mid := (lo + hi) / 2
		if int(u16(c, ends+2*mid)) < int(r) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == segs || int(u16(c, starts+2*lo)) > int(r) {
		return 0
	}
	delta, ro := u16(c, deltas+2*lo), int(u16(c, ranges+2*lo))
	if ro == 0 {
		return uint16(int(r)) + delta
	}
	at := ranges + 2*lo + ro + 2*(int(r)-int(u16(c, starts+2*lo)))
	if at+2 > len(c) {
		return 0
	}
	if g := u16(c, at); g != 0 {
		return g + delta
	}
	return 0
}

// hmetric returns a glyph's advance width and left side bearing, as stored
// in hmtx: glyphs past the last long metric share its advance.
func (t *ttf) hmetric(gid uint16) (advance, lsb uint16) {
	g := min(int(gid), t.numGlyphs-1)
	if g < t.numHMetrics {
		return u16(t.hmtx, 4*g), u16(t.hmtx, 4*g+2)
	}
	return u16(t.hmtx, 4*(t.numHMetrics-1)), u16(t.hmtx, 4*t.numHMetrics+2*(g-t.numHMetrics))
}

// width is a glyph's advance in thousandths of an em, rounded: the unit of
// the PDF's /W array and of all measuring.
func (t *ttf) width(gid uint16) int {
	if int(gid) >= len(t.widths) {
		return 0
	}
	return int(t.widths[gid])
}

// roundedWidth computes width from hmtx (0 for an implausible advance, as
// fpdf had it).
func (t *ttf) roundedWidth(gid uint16) uint16 {
	a, _ := t.hmetric(gid)
	if a >= 1<<15 {
		return 0
	}
	return uint16(min(math.Round(float64(a)*1000/float64(t.unitsPerEm)), math.MaxUint16))
}

// glyph returns a glyph's outline data as stored in glyf.
func (t *ttf) glyph(gid uint16) ([]byte, error) {
	if int(gid) >= t.numGlyphs {
		return nil, errBadFont
	}
	loca := t.tables["loca"]
	var start, end int
	if t.longLoca {
		b, err := t.read(loca.off+4*int(gid), 8)
		if err != nil {
			return nil, err
		}
		start, end = int(u32(b, 0)), int(u32(b, 4))
	} else {
		b, err := t.read(loca.off+2*int(gid), 4)
		if err != nil {
			return nil, err
		}
		start, end = 2*int(u16(b, 0)), 2*int(u16(b, 2))
	}
	glyf := t.tables["glyf"]
	if end < start || end > glyf.len {
		return nil, errBadFont
	}
	return t.read(glyf.off+start, end-start)
}
