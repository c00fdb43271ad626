package pdf

import (
	"bytes"
	"fmt"
	"strconv"
)

// A character has the same two-byte code in every font of a file, given in
// order of first use, so that one ToUnicode map serves them all. The code
// is also the glyph index in each font's subset (CIDToGIDMap /Identity):
// a subset holds an empty glyph at the codes of characters it does not
// draw.

// Font is a TrueType subset as one file uses it; Finish adds it as a Type0
// font with Identity-H encoding (ISO 32000-1 9.7).
type Font struct {
	Resource    string // name in the pages' /Font resources: "F1", …
	BaseFont    string // the subset's PostScript name: "ABCDEF+TitilliumWeb-Regular"
	Flags       int
	BBox        [4]int
	ItalicAngle float64
	Ascent      int
	Descent     int
	CapHeight   int
	StemV       int
	Program     []byte // the subset font program (glyf-based TrueType)
	Widths      []int  // advance in thousandths of an em by code; -1 where the font draws nothing
}

// Fonts is the fonts of one file and the character of each code.
type Fonts struct {
	List  []Font
	Runes []rune // by code - 1; code 0 is .notdef
}

// addFonts adds the fonts' objects to the file and names them in the
// resource dictionary res.
func (r *rewriter) addFonts(fonts *Fonts, res *dict) error {
	if fonts == nil || len(fonts.List) == 0 {
		return nil
	}
	fd, ok := r.resolve(res.get("Font")).(*dict)
	if !ok {
		fd = newDict()
		res.set("Font", fd)
	}
	toUnicode := r.add(newDict(), fonts.toUnicode())
	for _, u := range fonts.List {
		if len(u.Program) == 0 {
			return fmt.Errorf("font %s senza programma", u.BaseFont)
		}
		prog := newDict()
		prog.set("Length1", num(len(u.Program)))
		program := r.add(prog, u.Program)

		desc := newDict()
		desc.set("Type", name("FontDescriptor"))
		desc.set("FontName", name(u.BaseFont))
		desc.set("Flags", num(u.Flags))
		desc.set("FontBBox", array{num(u.BBox[0]), num(u.BBox[1]), num(u.BBox[2]), num(u.BBox[3])})
		desc.set("ItalicAngle", number(strconv.FormatFloat(u.ItalicAngle, 'f', -1, 64)))
		desc.set("Ascent", num(u.Ascent))
		desc.set("Descent", num(u.Descent))
		desc.set("CapHeight", num(u.CapHeight))
		desc.set("StemV", num(u.StemV))
		desc.set("FontFile2", program)

		info := newDict()
		info.set("Registry", str{b: []byte("Adobe")})
		info.set("Ordering", str{b: []byte("Identity")})
		info.set("Supplement", num(0))
		cid := newDict()
		cid.set("Type", name("Font"))
		cid.set("Subtype", name("CIDFontType2"))
		cid.set("BaseFont", name(u.BaseFont))
		cid.set("CIDSystemInfo", info)
		cid.set("FontDescriptor", r.add(desc, nil))
		cid.set("CIDToGIDMap", name("Identity"))
		cid.set("W", u.widthArray())

		t0 := newDict()
		t0.set("Type", name("Font"))
		t0.set("Subtype", name("Type0"))
		t0.set("BaseFont", name(u.BaseFont))
		t0.set("Encoding", name("Identity-H"))
		t0.set("DescendantFonts", array{r.add(cid, nil)})
		t0.set("ToUnicode", toUnicode)
		fd.set(name(u.Resource), r.add(t0, nil))
	}
	return nil
}

func num(n int) number { return number(strconv.Itoa(n)) }

// widthArray is the /W array: the widths of the codes the font draws, one
// entry per run of consecutive codes.
func (u Font) widthArray() array {
	var w array
	for c := 1; c < len(u.Widths); {
		if u.Widths[c] < 0 {
			c++
			continue
		}
		var run array
		first := c
		for ; c < len(u.Widths) && u.Widths[c] >= 0; c++ {
			run = append(run, num(u.Widths[c]))
		}
		w = append(w, num(first), run)
	}
	return w
}

// toUnicode is the CMap that gives each code its character back, for text
// extraction and search: one range per 256 codes (those that differ only
// in their last byte), each mapping its codes to an array of characters.
func (s *Fonts) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var ranges [][2]int // first and last code of each range
	for first := 1; first <= len(s.Runes); first = (first | 0xFF) + 1 {
		ranges = append(ranges, [2]int{first, min(first|0xFF, len(s.Runes))})
	}
	for start := 0; start < len(ranges); start += 100 { // at most 100 ranges a block
		block := ranges[start:min(start+100, len(ranges))]
		fmt.Fprintf(&b, "%d beginbfrange\n", len(block))
		for _, r := range block {
			fmt.Fprintf(&b, "<%04X> <%04X> [", r[0], r[1])
			for c := r[0]; c <= r[1]; c++ {
				b.WriteByte('<')
				for _, u := range utf16Units(s.Runes[c-1]) {
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
