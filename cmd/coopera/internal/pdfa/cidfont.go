package pdfa

import (
	"encoding/binary"
	"math"
	"strconv"
)

// maxFontProgram bounds how much of an embedded font program Check reads.
const maxFontProgram = 32 << 20

// cidFont is what Check needs of a Type0 font with the Identity-H encoding
// and a CIDFontType2 descendant (fpdf's UTF-8 fonts, coopera's own): how
// codes map to glyphs, the widths the PDF gives the codes (/W, /DW), and the
// advance widths of the embedded TrueType program.
type cidFont struct {
	num      int    // the descendant's object number, for messages
	identity bool   // /CIDToGIDMap /Identity
	gids     []byte // the CIDToGIDMap stream otherwise
	widths   map[int]float64
	dw       float64
	program  *trueTypeWidths // nil when the program cannot be read
	reported bool            // a width mismatch was reported (once per font)
}

// gid returns the glyph a CID selects; 0 is .notdef.
func (f *cidFont) gid(cid int) int {
	if f.identity {
		return cid
	}
	if 2*cid+1 < len(f.gids) {
		return int(f.gids[2*cid])<<8 | int(f.gids[2*cid+1])
	}
	return 0
}

// width returns the width the PDF gives a CID, in thousandths of an em.
func (f *cidFont) width(cid int) float64 {
	if w, ok := f.widths[cid]; ok {
		return w
	}
	return f.dw
}

// cidFont returns the checkable description of a font resource, or nil
// when the font is not a Type0/Identity-H/CIDFontType2 font.
func (c *checker) cidFont(fontRef any) *cidFont {
	font, _ := c.resolve(fontRef).(*dict)
	if font.name("Subtype") != "Type0" || font.name("Encoding") != "Identity-H" {
		return nil
	}
	df, _ := c.resolve(font.get("DescendantFonts")).(array)
	if len(df) != 1 {
		return nil
	}
	num := refNum(df[0])
	if f, ok := c.cidFonts[num]; ok && num > 0 {
		return f
	}
	cid, _ := c.resolve(df[0]).(*dict)
	if cid.name("Subtype") != "CIDFontType2" {
		return nil
	}
	f := &cidFont{num: num, dw: 1000, widths: cidWidths(c.resolve(cid.get("W")), c)}
	if dw, err := strconv.ParseFloat(string(numberOf(c.resolve(cid.get("DW")))), 64); err == nil {
		f.dw = dw
	}
	switch m := cid.get("CIDToGIDMap"); {
	case m == name("Identity"):
		f.identity = true
	default:
		mo := c.object(m)
		if mo == nil || mo.stream == nil {
			return nil
		}
		f.gids = decode(mo.dict(), mo.stream, 2*65536)
	}
	if fd, ok := c.resolve(cid.get("FontDescriptor")).(*dict); ok {
		if po := c.object(fd.get("FontFile2")); po != nil && po.stream != nil {
			f.program = parseTrueTypeWidths(decode(po.dict(), po.stream, maxFontProgram))
		}
	}
	if c.cidFonts == nil {
		c.cidFonts = map[int]*cidFont{}
	}
	c.cidFonts[num] = f
	return f
}

// cidWidths reads a /W array: "c [w1 w2 …]" gives consecutive CIDs from c
// their widths, "c1 c2 w" gives the CIDs c1 to c2 the same width.
func cidWidths(v any, c *checker) map[int]float64 {
	out := map[int]float64{}
	a, _ := v.(array)
	num := func(v any) (float64, bool) {
		f, err := strconv.ParseFloat(string(numberOf(c.resolve(v))), 64)
		return f, err == nil
	}
	for i := 0; i+1 < len(a); {
		first, ok := num(a[i])
		if !ok {
			return out
		}
		if ws, ok := c.resolve(a[i+1]).(array); ok {
			for k, w := range ws {
				if wf, ok := num(w); ok {
					out[int(first)+k] = wf
				}
			}
			i += 2
			continue
		}
		last, ok1 := num(a[i+1])
		if i+2 >= len(a) || !ok1 || last-first > 65535 {
			return out
		}
		if w, ok := num(a[i+2]); ok {
			for cid := int(first); cid <= int(last); cid++ {
				out[cid] = w
			}
		}
		i += 3
	}
	return out
}

// trueTypeWidths are the advance widths of a TrueType program.
type trueTypeWidths struct {
	unitsPerEm int
	hmtx       []byte // numberOfHMetrics long metrics
}

// parseTrueTypeWidths reads head, hhea and hmtx; nil when they are missing
// or damaged.
func parseTrueTypeWidths(b []byte) *trueTypeWidths {
	if len(b) < 12 {
		return nil
	}
	tables := map[string][]byte{}
	n := int(binary.BigEndian.Uint16(b[4:]))
	for i := range n {
		e := 12 + 16*i
		if e+16 > len(b) {
			return nil
		}
		off, size := int(binary.BigEndian.Uint32(b[e+8:])), int(binary.BigEndian.Uint32(b[e+12:]))
		if off < 0 || size < 0 || off+size > len(b) || off+size < off {
			return nil
		}
		tables[string(b[e:e+4])] = b[off : off+size]
	}
	head, hhea, hmtx := tables["head"], tables["hhea"], tables["hmtx"]
	if len(head) < 54 || len(hhea) < 36 {
		return nil
	}
	upm := int(binary.BigEndian.Uint16(head[18:]))
	metrics := int(binary.BigEndian.Uint16(hhea[34:]))
	if upm == 0 || metrics == 0 || len(hmtx) < 4*metrics {
		return nil
	}
	return &trueTypeWidths{unitsPerEm: upm, hmtx: hmtx[:4*metrics]}
}

// width returns a glyph's advance in thousandths of an em; glyphs past the
// long metrics share the last one's.
func (t *trueTypeWidths) width(gid int) float64 {
	i := min(gid, len(t.hmtx)/4-1)
	return float64(binary.BigEndian.Uint16(t.hmtx[4*i:])) * 1000 / float64(t.unitsPerEm)
}

// glyph checks one shown CID: not .notdef (6.2.11.8), and as wide in /W as
// in the font program (6.2.11.5, within one unit as validators allow). It
// returns false after a .notdef, which is reported once per content stream.
func (c *checker) glyph(f *cidFont, cid, obj int) bool {
	g := f.gid(cid)
	if g == 0 {
		c.add("6.2.11.8", obj, "text shows the .notdef glyph (code %#04x): a character is missing from the font", cid)
		return false
	}
	if f.program != nil && !f.reported {
		if pw, w := f.program.width(g), f.width(cid); math.Abs(pw-w) > 1 {
			c.add("6.2.11.5", f.num, "code %#04x is %g wide in /W but glyph %d is %g wide in the font program", cid, w, g, pw)
			f.reported = true
		}
	}
	return true
}
