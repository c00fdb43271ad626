// Package typeset is the layout stage and the only user of fpdf: it sets
// composed blocks into justified, hyphenated lines, flows them onto A4
// pages under the letterhead, and returns the PDF bytes.
package typeset

import (
	"fmt"
	"sync"

	"github.com/ancisicilia/coopera/assets"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"golang.org/x/image/font/sfnt"
)

// A face is one font file: the main family (Titillium Web, the typeface of
// the Italian public administration's design kit) or the fallback (DejaVu
// Sans, for Greek, Cyrillic and symbols Titillium lacks).
type face struct {
	family string // fpdf family name
	style  string // fpdf style: "", "B", "I", "BI"
	file   string
	data   []byte

	mu    sync.Mutex
	fnt   *sfnt.Font
	buf   sfnt.Buffer
	known map[rune]bool
}

// has reports whether the font has a glyph for r, asking the font's cmap
// lazily: scanning whole tables would cost milliseconds at every start.
func (f *face) has(r rune) bool {
	if r > 0xFFFF {
		return false // fpdf's font subsetting handles the BMP only
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if v, ok := f.known[r]; ok {
		return v
	}
	gi, err := f.fnt.GlyphIndex(&f.buf, r)
	v := err == nil && gi != 0
	f.known[r] = v
	return v
}

var faceFiles = []struct{ family, style, file string }{
	{"tw", "", "fonts/TitilliumWeb-Regular.ttf"},
	{"tw", "B", "fonts/TitilliumWeb-Bold.ttf"},
	{"tw", "I", "fonts/TitilliumWeb-Italic.ttf"},
	{"tw", "BI", "fonts/TitilliumWeb-BoldItalic.ttf"},
	{"dv", "", "fonts/DejaVuSans.ttf"},
	{"dv", "B", "fonts/DejaVuSans-Bold.ttf"},
	{"dv", "I", "fonts/DejaVuSans-Oblique.ttf"},
	{"dv", "BI", "fonts/DejaVuSans-BoldOblique.ttf"},
}

// fonts are read and their character maps parsed once per process.
var fonts = sync.OnceValues(func() (map[string]*face, error) {
	out := make(map[string]*face, len(faceFiles))
	for _, f := range faceFiles {
		data, err := assets.FS.ReadFile(f.file)
		if err != nil {
			return nil, fmt.Errorf("font incorporato %s mancante: %v", f.file, err)
		}
		fnt, err := sfnt.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("font incorporato %s danneggiato: %v", f.file, err)
		}
		out[f.family+f.style] = &face{family: f.family, style: f.style, file: f.file, data: data, fnt: fnt, known: map[rune]bool{}}
	}
	return out, nil
})

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

// Has reports whether some shipped font in every style can print r.
func (Coverage) Has(r rune) bool {
	if r == '\u00ad' || r == '\u00a0' || r == '\n' || r == '\t' || r == '\u200b' {
		return true
	}
	fs, err := fonts()
	if err != nil {
		return false
	}
	for _, st := range []string{"", "B", "I", "BI"} {
		if !fs["tw"+st].has(r) && !fs["dv"+st].has(r) {
			return false
		}
	}
	return true
}

// faceFor picks the family that prints r in style st: the main one when it
// can, else the fallback; ok is false when neither can.
func faceFor(r rune, st string) (family string, ok bool) {
	fs, _ := fonts()
	switch {
	case r >= 0x20 && r < 0x7f, fs["tw"+st].has(r):
		return "tw", true
	case fs["dv"+st].has(r):
		return "dv", true
	}
	return "", false
}
