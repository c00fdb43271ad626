package typeset

import (
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/ancisicilia/coopera/assets"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Coverage.Has and faceFor answer printable ASCII without asking the fonts.
func TestASCIIInEveryStyle(t *testing.T) {
	for _, pair := range styles {
		for r := rune(0x20); r < 0x7f; r++ {
			if !pair[0].has(r) {
				t.Errorf("%s lacks %q", pair[0].name, r)
			}
		}
	}
}

// The typesetter measures with the widths fpdf measured with before it was
// given no fonts: the same letters break into the same lines.
func TestWidthsMatchFpdf(t *testing.T) {
	for key, f := range faces {
		data, err := assets.FS.ReadFile(f.file)
		if err != nil {
			t.Fatal(err)
		}
		pdf := fpdf.New("P", "pt", "A4", "")
		pdf.AddUTF8FontFromBytes(f.family, f.style, data)
		pdf.SetFont(f.family, f.style, 1000)
		if err := pdf.Error(); err != nil {
			t.Fatal(err)
		}
		// Every BMP character, those the font lacks included.
		for r := rune(1); r <= 0xFFFF; r++ {
			if r >= 0xD800 && r < 0xE000 {
				continue
			}
			if got, want := f.width(r), int(pdf.GetStringWidth(string(r))); got != want {
				t.Fatalf("%s: width of %U = %d, fpdf %d", key, r, got, want)
			}
		}
	}
}

// A subset keeps each glyph's outline and advance, under its new index,
// composite glyphs (DejaVu's accented capitals) included.
func TestSubsetKeepsOutlines(t *testing.T) {
	for _, key := range []string{"tw", "twBI", "dv", "dvB"} {
		f := faces[key]
		src, err := f.font()
		if err != nil {
			t.Fatal(err)
		}
		gids := []uint16{0}
		for _, r := range "Aaé ÈÀÖñ€’ЖΩ.,-" {
			if g := src.glyphIndex(r); g != 0 {
				gids = append(gids, g)
			}
		}
		gids = append(gids, noGlyph)
		program, err := src.subsetProgram(gids)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		data, _ := assets.FS.ReadFile(f.file)
		orig, err := sfnt.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := sfnt.Parse(program)
		if err != nil {
			t.Fatalf("%s: the subset does not parse: %v", key, err)
		}
		if sub.NumGlyphs() < len(gids) {
			t.Fatalf("%s: %d glyphs, want at least %d", key, sub.NumGlyphs(), len(gids))
		}
		ppem := fixed.I(src.unitsPerEm)
		var b1, b2 sfnt.Buffer
		for i, g := range gids {
			got, err := sub.LoadGlyph(&b2, sfnt.GlyphIndex(i), ppem, nil)
			if err != nil {
				t.Fatalf("%s: glyph %d: %v", key, i, err)
			}
			adv, _ := sub.GlyphAdvance(&b2, sfnt.GlyphIndex(i), ppem, font.HintingNone)
			if g == noGlyph {
				if len(got) != 0 || adv != 0 {
					t.Errorf("%s: the empty slot %d has an outline or a width", key, i)
				}
				continue
			}
			want, _ := orig.LoadGlyph(&b1, sfnt.GlyphIndex(g), ppem, nil)
			if !equalSegments(got, want) {
				t.Errorf("%s: glyph %d (was %d) changed its outline", key, i, g)
			}
			if wantAdv, _ := orig.GlyphAdvance(&b1, sfnt.GlyphIndex(g), ppem, font.HintingNone); adv != wantAdv {
				t.Errorf("%s: glyph %d advance %v, want %v", key, i, adv, wantAdv)
			}
		}
		if sum := checksum(program); sum != 0xB1B0AFBA {
			t.Errorf("%s: font checksum %#x, want 0xB1B0AFBA", key, sum)
		}
	}
}

func equalSegments(a, b sfnt.Segments) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
