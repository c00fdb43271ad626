package typeset

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
)

// fpdf parses, hashes and subsets every TrueType font it is given, and
// writes widths, character maps and glyph tables for all of Unicode: most of
// the time and of the size of a letter. So fpdf is given no font at all.
// The typesetter measures with the fonts' own metrics (face.width), writes
// its text operators itself (measurer.show) with codes from a fontSet, and
// embedFonts adds the fonts to fpdf's finished file: a Type0 font per face
// used, subset to what the document draws.
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

// pdfObject is one indirect object to add to the file: a dictionary, given
// by its entries, and the data when it is a stream (whose /Length is added
// when written).
type pdfObject struct {
	entries string
	stream  []byte
}

// objects returns the four objects of the font, to be numbered from first
// on: Type0 font, CIDFont, descriptor, font program. Streams are left
// unfiltered: pdfa.Fix compresses every stream of the file.
func (u *usedFont) objects(first int, toUnicode string) ([]pdfObject, error) {
	t, err := u.face.font()
	if err != nil {
		return nil, err
	}
	program, err := t.subsetProgram(u.glyphs)
	if err != nil {
		return nil, fmt.Errorf("font %s: %v", u.face.name, err)
	}
	ref := func(i int) string { return strconv.Itoa(first+i) + " 0 R" }
	name := u.baseFont()
	m := t.metrics
	return []pdfObject{
		{entries: "/Type /Font /Subtype /Type0 /BaseFont /" + name + " /Encoding /Identity-H /DescendantFonts [" + ref(1) + "] /ToUnicode " + toUnicode},
		{entries: "/Type /Font /Subtype /CIDFontType2 /BaseFont /" + name +
			" /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor " + ref(2) +
			" /CIDToGIDMap /Identity /W " + u.widths(t)},
		{entries: fmt.Sprintf("/Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %s",
			name, m.flags, m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3], strconv.FormatFloat(m.italicAngle, 'f', -1, 64),
			m.ascent, m.descent, m.capHeight, m.stemV, ref(3))},
		{entries: "/Length1 " + strconv.Itoa(len(program)), stream: program},
	}, nil
}

// widths is the /W array: the widths of the codes the font draws, one
// entry per run of consecutive codes.
func (u *usedFont) widths(t *ttf) string {
	var w bytes.Buffer
	w.WriteByte('[')
	for c := 1; c < len(u.glyphs); {
		if u.glyphs[c] == noGlyph {
			c++
			continue
		}
		if w.Len() > 1 {
			w.WriteByte(' ')
		}
		w.WriteString(strconv.Itoa(c) + " [")
		for first := c; c < len(u.glyphs) && u.glyphs[c] != noGlyph; c++ {
			if c > first {
				w.WriteByte(' ')
			}
			w.WriteString(strconv.Itoa(t.width(u.glyphs[c])))
		}
		w.WriteByte(']')
	}
	w.WriteByte(']')
	return w.String()
}

// toUnicode is the CMap that gives each code its character back, for text
// extraction and search: one range per 256 codes (those that differ only
// in their last byte), each mapping its codes to an array of characters.
func (s *fontSet) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var ranges [][2]int // first and last code of each range
	for first := 1; first <= len(s.runes); first = (first | 0xFF) + 1 {
		ranges = append(ranges, [2]int{first, min(first|0xFF, len(s.runes))})
	}
	for start := 0; start < len(ranges); start += 100 { // at most 100 ranges a block
		block := ranges[start:min(start+100, len(ranges))]
		fmt.Fprintf(&b, "%d beginbfrange\n", len(block))
		for _, r := range block {
			fmt.Fprintf(&b, "<%04X> <%04X> [", r[0], r[1])
			for c := r[0]; c <= r[1]; c++ {
				b.WriteByte('<')
				for _, u := range utf16Units(s.runes[c-1]) {
					fmt.Fprintf(&b, "%04X", u)
				}
				b.WriteByte('>')
			}
			b.WriteString("]\n")
		}
		b.WriteString("endbfrange\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// utf16Units encodes r in UTF-16.
func utf16Units(r rune) []uint16 {
	if r < 0x10000 {
		return []uint16{uint16(r)}
	}
	r -= 0x10000
	return []uint16{0xD800 + uint16(r>>10), 0xDC00 + uint16(r&0x3FF)}
}

// embedFonts adds the fonts of set to raw, the file fpdf wrote without
// fonts: their objects are appended after fpdf's, the shared resource
// dictionary (fpdf's object 2, whose /Font dictionary is empty) names them,
// and the cross-reference table and trailer are written anew.
func embedFonts(raw []byte, set *fontSet) ([]byte, error) {
	if len(set.fonts) == 0 {
		return raw, nil
	}
	x, err := readXref(raw)
	if err != nil {
		return nil, fmt.Errorf("pdf di fpdf inatteso: %v", err)
	}
	at, err := x.fontDictEnd(raw)
	if err != nil {
		return nil, fmt.Errorf("pdf di fpdf inatteso: %v", err)
	}

	// The fonts' objects, then their shared ToUnicode map.
	var objs []pdfObject
	var names bytes.Buffer
	toUnicode := strconv.Itoa(len(x.offsets)+4*len(set.fonts)) + " 0 R"
	for _, u := range set.fonts {
		first := len(x.offsets) + len(objs)
		fmt.Fprintf(&names, "/%s %d 0 R\n", u.resource, first)
		fo, err := u.objects(first, toUnicode)
		if err != nil {
			return nil, err
		}
		objs = append(objs, fo...)
	}
	objs = append(objs, pdfObject{stream: set.toUnicode()})

	size := len(raw) + names.Len() + 20*len(objs)
	for _, o := range objs {
		size += len(o.entries) + len(o.stream) + 64
	}
	var out bytes.Buffer
	out.Grow(size)
	out.Write(raw[:at])
	out.Write(names.Bytes())
	out.Write(raw[at:x.at])
	offsets := make([]int, 0, len(x.offsets)+len(objs))
	for i, off := range x.offsets {
		if i > 0 && off >= at {
			off += names.Len()
		}
		offsets = append(offsets, off)
	}
	for i, o := range objs {
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n<<", len(x.offsets)+i)
		if o.stream != nil {
			fmt.Fprintf(&out, "/Length %d ", len(o.stream))
		}
		out.WriteString(o.entries + ">>\n")
		if o.stream != nil {
			out.WriteString("stream\n")
			out.Write(o.stream)
			out.WriteString("\nendstream\n")
		}
		out.WriteString("endobj\n")
	}
	xrefAt := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets))
	for _, off := range offsets[1:] {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	out.WriteString("trailer\n")
	out.Write(bytes.Replace(x.trailer, x.size(), []byte("/Size "+strconv.Itoa(len(offsets))), 1))
	fmt.Fprintf(&out, "\nstartxref\n%d\n%%%%EOF\n", xrefAt)
	return out.Bytes(), nil
}

// xref is the cross-reference table fpdf writes: one subsection from object
// 0, in-use entries only after the first.
type xref struct {
	at      int   // offset of "xref"
	offsets []int // by object number; [0] unused
	trailer []byte
}

func readXref(raw []byte) (*xref, error) {
	i := bytes.LastIndex(raw, []byte("startxref\n"))
	if i < 0 {
		return nil, errors.New("startxref mancante")
	}
	end := bytes.IndexByte(raw[i+10:], '\n')
	if end < 0 {
		return nil, errors.New("startxref incompleto")
	}
	at, err := strconv.Atoi(string(raw[i+10 : i+10+end]))
	if err != nil || at < 0 || at >= i || !bytes.HasPrefix(raw[at:], []byte("xref\n0 ")) {
		return nil, errors.New("tabella xref non trovata")
	}
	p := at + len("xref\n0 ")
	nl := bytes.IndexByte(raw[p:], '\n')
	if nl < 0 {
		return nil, errors.New("tabella xref incompleta")
	}
	n, err := strconv.Atoi(string(raw[p : p+nl]))
	p += nl + 1
	if err != nil || n < 3 || p+20*n > i {
		return nil, errors.New("tabella xref non valida")
	}
	x := &xref{at: at, offsets: make([]int, n)}
	for k := 1; k < n; k++ {
		e := raw[p+20*k : p+20*k+20]
		if e[17] != 'n' {
			return nil, fmt.Errorf("oggetto %d libero", k)
		}
		if x.offsets[k], err = strconv.Atoi(string(e[:10])); err != nil {
			return nil, fmt.Errorf("voce xref %d non valida", k)
		}
	}
	rest := raw[p+20*n : i]
	if !bytes.HasPrefix(rest, []byte("trailer\n")) {
		return nil, errors.New("trailer mancante")
	}
	x.trailer = bytes.TrimRight(rest[len("trailer\n"):], "\n")
	if bytes.Count(x.trailer, x.size()) != 1 {
		return nil, errors.New("/Size del trailer non corrisponde alla tabella xref")
	}
	return x, nil
}

// size is the trailer entry that gives the number of objects.
func (x *xref) size() []byte { return []byte("/Size " + strconv.Itoa(len(x.offsets))) }

// fontDictEnd returns where the names of the fonts go: just after the
// opening of the empty /Font dictionary in the resource dictionary, object 2.
func (x *xref) fontDictEnd(raw []byte) (int, error) {
	start, end := x.offsets[2], x.at
	for _, off := range x.offsets[1:] {
		if off > start && off < end {
			end = off
		}
	}
	obj := raw[start:end]
	const empty = "/Font <<\n>>"
	if !bytes.HasPrefix(obj, []byte("2 0 obj\n")) || bytes.Count(obj, []byte(empty)) != 1 {
		return 0, errors.New("dizionario delle risorse senza /Font vuoto")
	}
	return start + bytes.Index(obj, []byte(empty)) + len("/Font <<\n"), nil
}
