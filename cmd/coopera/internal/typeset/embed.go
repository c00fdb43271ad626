package typeset

import (
	"crypto/sha256"
	"fmt"
	"strconv"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
)

// fpdf parses, hashes and subsets every TrueType font it is given, and
// writes widths, character maps and glyph tables for all of Unicode: most of
// the time and of the size of a letter. So fpdf is given no font at all.
// The typesetter measures with the fonts' own metrics (face.width), draws
// its text as codes from a fontSet (measurer.show), and the PDF writer
// embeds the fonts when it finishes the file: a Type0 font per face used,
// subset to what the document draws (pdfFonts).
//
// A character has the same two-byte code in every font of a file, given in
// order of first use, so that one ToUnicode map serves them all. The code
// is also the glyph index in each font's subset (CIDToGIDMap /Identity):
// a subset holds an empty glyph at the codes of characters it does not
// draw.

// fontSet is the fonts of one PDF, in order of first use, and the codes
// of the characters they draw.
type fontSet struct {
	byKey map[string]*usedFont
	fonts []*usedFont
	codes map[rune]uint16
	runes []rune // by code - 1; code 0 is .notdef
}

// usedFont is a face as one PDF uses it.
type usedFont struct {
	face     *face
	resource string   // name in the pages' /Font resources
	glyphs   []uint16 // glyph index in the face's file by code; noGlyph where unused
}

// noGlyph marks a code a font does not draw.
const noGlyph = 0xFFFF

func newFontSet() *fontSet {
	return &fontSet{byKey: map[string]*usedFont{}, codes: map[rune]uint16{}}
}

// font returns the used font for a face key ("tw", "twB", …).
func (s *fontSet) font(key string) (*usedFont, error) {
	if u := s.byKey[key]; u != nil {
		return u, nil
	}
	f := faces[key]
	if f == nil {
		return nil, fmt.Errorf("font %q sconosciuto", key)
	}
	if _, err := f.font(); err != nil {
		return nil, err
	}
	u := &usedFont{face: f, resource: "F" + strconv.Itoa(len(s.fonts)+1), glyphs: []uint16{0}}
	s.byKey[key] = u
	s.fonts = append(s.fonts, u)
	return u, nil
}

// code returns the two-byte code that draws r in u, adding r's glyph to
// u's subset. r must be in u's face (face.has).
func (s *fontSet) code(u *usedFont, r rune) uint16 {
	c, ok := s.codes[r]
	if !ok {
		c = uint16(len(s.runes) + 1)
		s.codes[r] = c
		s.runes = append(s.runes, r)
	}
	for int(c) >= len(u.glyphs) {
		u.glyphs = append(u.glyphs, noGlyph)
	}
	if u.glyphs[c] == noGlyph {
		t, _ := u.face.font() // loaded by fontSet.font
		u.glyphs[c] = t.glyphIndex(r)
	}
	return c
}

// baseFont is the subset's PostScript name: a tag of six capitals derived
// from the glyphs it holds, a plus sign and the face's name (ISO 32000-1
// 9.6.4), the same for the same subset in every run.
func (u *usedFont) baseFont() string {
	h := sha256.New()
	for _, g := range u.glyphs {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag) + "+" + u.face.name
}

// pdfFonts is the set as the PDF writer embeds it: each font's subset
// program, metrics and widths by code, and the character of each code.
func (s *fontSet) pdfFonts() (*pdf.Fonts, error) {
	out := &pdf.Fonts{Runes: s.runes, List: make([]pdf.Font, 0, len(s.fonts))}
	for _, u := range s.fonts {
		t, err := u.face.font()
		if err != nil {
			return nil, err
		}
		program, err := t.subsetProgram(u.glyphs)
		if err != nil {
			return nil, fmt.Errorf("font %s: %v", u.face.name, err)
		}
		widths := make([]int, len(u.glyphs))
		for c, g := range u.glyphs {
			widths[c] = -1
			if g != noGlyph {
				widths[c] = t.width(g)
			}
		}
		m := t.metrics
		out.List = append(out.List, pdf.Font{
			Resource: u.resource, BaseFont: u.baseFont(),
			Flags: m.flags, BBox: m.bbox, ItalicAngle: m.italicAngle,
			Ascent: m.ascent, Descent: m.descent, CapHeight: m.capHeight, StemV: m.stemV,
			Program: program, Widths: widths,
		})
	}
	return out, nil
}
