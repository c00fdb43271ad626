// Package typeset is the layout stage and the only user of fpdf: it sets
// composed blocks into justified, hyphenated lines, flows them onto A4
// pages under the letterhead, and returns the PDF bytes.
package typeset

import (
	"fmt"
	"io"
	"sync"

	"github.com/ancisicilia/coopera/assets"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/hyphen"
)

// A face is one font file: the main family (Titillium Web, the typeface of
// the Italian public administration's design kit) or the fallback (DejaVu
// Sans, for Greek, Cyrillic and symbols Titillium lacks). Its file is read
// in place from the binary, and only when first needed: a letter in
// Italian never opens DejaVu.
type face struct {
	family string // "tw" or "dv"
	style  string // "", "B", "I", "BI"
	file   string
	name   string // PostScript name, for the PDF's BaseFont

	load sync.Once
	ttf  *ttf
	err  error
}

// font returns the parsed font file.
func (f *face) font() (*ttf, error) {
	f.load.Do(func() {
		file, err := assets.FS.Open(f.file)
		if err != nil {
			f.err = fmt.Errorf("font incorporato %s mancante: %v", f.file, err)
			return
		}
		r, ok := file.(io.ReaderAt)
		if !ok {
			f.err = fmt.Errorf("font incorporato %s non leggibile", f.file)
			return
		}
		if f.ttf, err = parseTTF(r); err != nil {
			f.err = fmt.Errorf("font incorporato %s danneggiato: %v", f.file, err)
		}
	})
	return f.ttf, f.err
}

// has reports whether the font has a glyph for r. Only the Basic
// Multilingual Plane counts: that is what the fonts' format 4 character
// maps cover.
func (f *face) has(r rune) bool {
	t, err := f.font()
	return err == nil && t.glyphIndex(r) != 0
}

// width returns r's advance in thousandths of an em. A character the font
// lacks measures as .notdef, or 500 when that is empty.
func (f *face) width(r rune) int {
	t, err := f.font()
	if err != nil {
		return 0
	}
	if g := t.glyphIndex(r); g != 0 {
		return t.width(g)
	}
	if w := t.width(0); w != 0 {
		return w
	}
	return 500
}

var faces = func() map[string]*face {
	out := map[string]*face{}
	for _, f := range []*face{
		{family: "tw", style: "", file: "fonts/TitilliumWeb-Regular.ttf", name: "TitilliumWeb-Regular"},
		{family: "tw", style: "B", file: "fonts/TitilliumWeb-Bold.ttf", name: "TitilliumWeb-Bold"},
		{family: "tw", style: "I", file: "fonts/TitilliumWeb-Italic.ttf", name: "TitilliumWeb-Italic"},
		{family: "tw", style: "BI", file: "fonts/TitilliumWeb-BoldItalic.ttf", name: "TitilliumWeb-BoldItalic"},
		{family: "dv", style: "", file: "fonts/DejaVuSans.ttf", name: "DejaVuSans"},
		{family: "dv", style: "B", file: "fonts/DejaVuSans-Bold.ttf", name: "DejaVuSans-Bold"},
		{family: "dv", style: "I", file: "fonts/DejaVuSans-Oblique.ttf", name: "DejaVuSans-Oblique"},
		{family: "dv", style: "BI", file: "fonts/DejaVuSans-BoldOblique.ttf", name: "DejaVuSans-BoldOblique"},
	} {
		out[f.family+f.style] = f
	}
	return out
}()

func styleName(s compose.Style) string {
	switch s {
	case compose.Bold:
		return "B"
	case compose.Italic:
		return "I"
	case compose.Bold | compose.Italic:
		return "BI"
	}
	return ""
}

// Coverage tells the loader which characters can be printed, so that a
// character no shipped font has is reported with its file, line and key.
type Coverage struct{}

// styles pairs each style's main face with its fallback.
var styles = func() [][2]*face {
	var out [][2]*face
	for _, st := range []string{"", "B", "I", "BI"} {
		out = append(out, [2]*face{faces["tw"+st], faces["dv"+st]})
	}
	return out
}()

// Has reports whether some shipped font in every style can print r. The
// loader asks for every character of the data: printable ASCII, which
// Titillium has in every style (TestASCIIInEveryStyle), is answered first.
func (Coverage) Has(r rune) bool {
	if r >= 0x20 && r < 0x7f || r == '\u00ad' || r == '\u00a0' || r == '\n' || r == '\t' || r == '\u200b' {
		return true
	}
	for _, pair := range styles {
		if !pair[0].has(r) && !pair[1].has(r) {
			return false
		}
	}
	return true
}

// faceFor picks the family that prints r in style st: the main one when it
// can, else the fallback; ok is false when neither can.
func faceFor(r rune, st string) (family string, ok bool) {
	switch {
	case r >= 0x20 && r < 0x7f, faces["tw"+st].has(r):
		return "tw", true
	case faces["dv"+st].has(r):
		return "dv", true
	}
	return "", false
}

// Prepare does ahead what typesetting any document needs: parsing the
// faces the text is set in (upright, bold, italic; the fallback faces are
// parsed only if a character needs them) and building the hyphenation
// patterns.
func Prepare() {
	for _, k := range []string{"tw", "twB", "twI"} {
		faces[k].font()
	}
	hyphen.Italian()
}
