package typeset

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
)

// Composite glyph component flags (OpenType glyf table).
const (
	argsAreWords     = 0x0001
	haveScale        = 0x0008
	moreComponents   = 0x0020
	haveXYScale      = 0x0040
	haveTwoByTwo     = 0x0080
	haveInstructions = 0x0100
)

// subsetProgram writes a TrueType font holding only the glyphs gids, in that
// order (gids[0] should be 0, .notdef; noGlyph leaves an empty glyph of no
// width), followed by the components their composite glyphs need. The new
// glyph index of gids[i] is i.
//
// The font keeps what a PDF renderer reads from an embedded CIDFontType2
// program (ISO 32000-1 9.9): head, hhea, maxp, hmtx, loca, glyf and a
// format 3 post. Hinting is dropped (the fpgm, prep and cvt tables and each
// glyph's instructions): print and screen rasterisers do without it, and it
// is a good part of a hinted font's size. name and OS/2 are not needed
// either, and the cmap is an empty one: the PDF maps codes to glyphs
// itself and carries the metrics in the font descriptor, but some font
// parsers refuse a TrueType file without a cmap.
func (t *ttf) subsetProgram(gids []uint16) ([]byte, error) {
	order := slices.Clone(gids)
	index := make(map[uint16]uint16, len(order))
	for i, g := range order {
		if _, dup := index[g]; !dup && g != noGlyph {
			index[g] = uint16(i)
		}
	}
	var outlines [][]byte
	for i := 0; i < len(order); i++ { // order grows with composite components
		if order[i] == noGlyph {
			outlines = append(outlines, nil)
			continue
		}
		g, err := t.glyph(order[i])
		if err != nil {
			return nil, fmt.Errorf("glifo %d: %w", order[i], err)
		}
		if g, err = t.stripGlyph(g, func(c uint16) uint16 {
			n, ok := index[c]
			if !ok {
				n = uint16(len(order))
				index[c] = n
				order = append(order, c)
			}
			return n
		}); err != nil {
			return nil, fmt.Errorf("glifo %d: %w", order[i], err)
		}
		outlines = append(outlines, g)
	}
	if len(order) > 0xFFFF {
		return nil, errBadFont
	}

	glyf, loca, longLoca := layoutGlyphs(outlines)
	hmtx := make([]byte, 0, 4*len(order))
	for _, g := range order {
		var adv, lsb uint16
		if g != noGlyph {
			adv, lsb = t.hmetric(g)
		}
		hmtx = binary.BigEndian.AppendUint16(hmtx, adv)
		hmtx = binary.BigEndian.AppendUint16(hmtx, lsb)
	}
	head, err := t.table("head", 54)
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 0) // indexToLocFormat
	if longLoca {
		binary.BigEndian.PutUint16(head[50:], 1)
	}
	hhea, err := t.table("hhea", 36)
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(order)))
	maxp, err := t.table("maxp", 6)
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(order)))
	post, err := t.table("post", 32)
	if err != nil {
		return nil, err
	}
	post = post[:32]
	binary.BigEndian.PutUint32(post, 0x00030000) // no glyph names

	font := writeSFNT([]sfntTable{
		{"cmap", emptyCmap}, {"glyf", glyf}, {"head", head}, {"hhea", hhea},
		{"hmtx", hmtx}, {"loca", loca}, {"maxp", maxp}, {"post", post},
	})
	adjust := 0xB1B0AFBA - checksum(font)
	binary.BigEndian.PutUint32(font[headOffset(font)+8:], adjust)
	return font, nil
}

// stripGlyph removes a glyph's instructions and, for a composite glyph,
// renumbers its components with renumber.
func (t *ttf) stripGlyph(g []byte, renumber func(uint16) uint16) ([]byte, error) {
	if len(g) == 0 {
		return g, nil // an empty glyph, such as the space
	}
	if len(g) < 10 {
		return nil, errBadFont
	}
	contours := i16(g, 0)
	if contours >= 0 {
		at := 10 + 2*contours
		if at+2 > len(g) {
			return nil, errBadFont
		}
		n := int(u16(g, at))
		if at+2+n > len(g) {
			return nil, errBadFont
		}
		out := make([]byte, 0, len(g)-n)
		out = append(out, g[:at]...)
		out = append(out, 0, 0)
		return append(out, g[at+2+n:]...), nil
	}
	out := slices.Clone(g)
	at := 10
	for {
		if at+4 > len(out) {
			return nil, errBadFont
		}
		flags := u16(out, at)
		binary.BigEndian.PutUint16(out[at:], flags&^haveInstructions)
		binary.BigEndian.PutUint16(out[at+2:], renumber(u16(out, at+2)))
		at += 4
		if flags&argsAreWords != 0 {
			at += 4
		} else {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComponents == 0 {
			break
		}
	}
	if at > len(out) {
		return nil, errBadFont
	}
	return out[:at], nil
}

// layoutGlyphs concatenates the outlines, each padded to an even length,
// and returns them with their loca table, short when the offsets allow.
func layoutGlyphs(outlines [][]byte) (glyf, loca []byte, long bool) {
	offsets := make([]int, 0, len(outlines)+1)
	for _, g := range outlines {
		offsets = append(offsets, len(glyf))
		glyf = append(glyf, g...)
		if len(glyf)%2 == 1 {
			glyf = append(glyf, 0)
		}
	}
	offsets = append(offsets, len(glyf))
	long = len(glyf) > 0x1FFFE
	for _, off := range offsets {
		if long {
			loca = binary.BigEndian.AppendUint32(loca, uint32(off))
		} else {
			loca = binary.BigEndian.AppendUint16(loca, uint16(off/2))
		}
	}
	return glyf, loca, long
}

// emptyCmap is a cmap table that maps no character: one Windows Unicode
// BMP subtable in format 4 with only the final 0xFFFF segment.
var emptyCmap = []byte{
	0, 0, 0, 1, // version, one subtable
	0, 3, 0, 1, 0, 0, 0, 12, // platform 3, encoding 1, at offset 12
	0, 4, 0, 24, 0, 0, // format 4, length, language
	0, 2, 0, 2, 0, 0, 0, 0, // segCountX2, searchRange, entrySelector, rangeShift
	0xFF, 0xFF, 0, 0, 0xFF, 0xFF, // endCode, reservedPad, startCode
	0, 1, 0, 0, // idDelta, idRangeOffset
}

type sfntTable struct {
	tag  string
	data []byte
}

// writeSFNT lays out a TrueType file: the offset table, the directory (tables
// must come sorted by tag) and each table padded to four bytes.
func writeSFNT(tables []sfntTable) []byte {
	n := len(tables)
	pow := 1 << (bits.Len(uint(n)) - 1)
	size := 12 + 16*n
	for _, t := range tables {
		size += (len(t.data) + 3) &^ 3
	}
	out := make([]byte, 12+16*n, size)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16*pow))
	binary.BigEndian.PutUint16(out[8:], uint16(bits.Len(uint(pow))-1))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16*pow))
	for i, t := range tables {
		start := len(out)
		out = append(out, t.data...)
		out = append(out, make([]byte, (4-len(t.data)%4)%4)...)
		e := out[12+16*i:]
		copy(e, t.tag)
		binary.BigEndian.PutUint32(e[4:], checksum(out[start:]))
		binary.BigEndian.PutUint32(e[8:], uint32(start))
		binary.BigEndian.PutUint32(e[12:], uint32(len(t.data)))
	}
	return out
}

// checksum is the TrueType sum of big-endian 32-bit words (b padded).
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// headOffset finds the head table in a font written by writeSFNT.
func headOffset(font []byte) int {
	n := int(u16(font, 4))
	for i := range n {
		e := font[12+16*i:]
		if string(e[:4]) == "head" {
			return int(u32(e, 8))
		}
	}
	return 0
}
