package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
)

// MaxMarkdownDepth bounds the nesting of lists and quotes in user text; the
// compose stage enforces it again on what templates produce.
const MaxMarkdownDepth = 8

// posIn returns the file position of the byte at off in n's value: inside a
// block scalar (testo: |) a problem on its sixth line is reported there, not
// at the key. It walks the file and the value together, skipping what YAML
// drops (indentation, folded line breaks, quotes, escapes); when the two do
// not line up it falls back to the node's own position.
func (d *decoder) posIn(n *yaml.Node, off int) (int, int) {
	line, col := n.Line, n.Column
	src := d.src
	start := offsetOf(src, n.Line, n.Column)
	if start < 0 || off < 0 || off > len(n.Value) {
		return line, col
	}
	double := n.Style&yaml.DoubleQuotedStyle != 0
	single := n.Style&yaml.SingleQuotedStyle != 0
	fp := start
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		i := strings.IndexByte(string(src[fp:]), '\n')
		if i < 0 {
			return line, col
		}
		fp += i + 1
	case double || single:
		fp++
	}
	v := n.Value
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for i := 0; i < off; {
		if fp >= len(src) {
			return line, col
		}
		c := src[fp]
		switch {
		case double && c == '\\':
			if fp+1 < len(src) && (src[fp+1] == '\n' || src[fp+1] == '\r') {
				fp += 2 // an escaped line break joins the lines
				continue
			}
			n := 2
			if fp+1 < len(src) {
				switch src[fp+1] {
				case 'x':
					n = 4
				case 'u':
					n = 6
				case 'U':
					n = 10
				}
			}
			_, size := utf8.DecodeRuneInString(v[i:])
			i, fp = i+size, fp+n
		case single && c == '\'' && fp+1 < len(src) && src[fp+1] == '\'':
			i, fp = i+1, fp+2
		case c == v[i]:
			i, fp = i+1, fp+1
		case isSpace(c):
			fp++ // indentation, or a line break folded into a space
		case v[i] == ' ' || v[i] == '\n':
			i++ // a folded line break with no indentation to match
		default:
			return line, col
		}
	}
	if off < len(v) && !isSpace(v[off]) {
		for fp < len(src) && isSpace(src[fp]) {
			fp++
		}
	}
	return lineColRunes(src, fp)
}

// offsetOf is the byte offset of a 1-based line and column (in characters),
// -1 when the file has no such place.
func offsetOf(src []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(string(src[off:]), '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(src) || src[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off
}

// lineColRunes is the 1-based line and column (in characters, as YAML
// counts them) of a byte offset.
func lineColRunes(src []byte, off int) (int, int) {
	if off > len(src) {
		off = len(src)
	}
	line, begin := 1, 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line, begin = line+1, i+1
		}
	}
	return line, utf8.RuneCount(src[begin:off]) + 1
}

// errorAt records a problem at the byte off of n's value.
func (d *decoder) errorAt(n *yaml.Node, off int, key, hint, format string, args ...any) {
	d.errorf(n, key, hint, format, args...)
	p := &d.probs[len(d.probs)-1]
	p.Line, p.Column = d.posIn(n, off)
}

// checkChars refuses control characters, invisible format characters and
// characters no shipped font has, at the place of the first one. Only the
// part of n's value between from and to is kept as text; skip names the
// characters the caller drops anyway (spaces of a one-line text).
func (d *decoder) checkChars(n *yaml.Node, key string, from, to int, skip func(rune) bool) {
	s := n.Value
	for i := from; i < to; {
		r, size := utf8.DecodeRuneInString(s[i:])
		off := i
		i += size
		switch {
		case r == '\n' || r == '\t' || (skip != nil && skip(r)):
		case r == '\r' && strings.HasPrefix(s[i:], "\n"):
		case r == utf8.RuneError && size == 1, unicode.IsControl(r):
			d.errorAt(n, off, key, "togli il carattere di controllo (spesso arriva copiando da un altro programma)",
				"il testo contiene il carattere di controllo U+%04X", r)
			return
		case unicode.Is(unicode.Cf, r) && !allowedFormat[r]:
			d.errorAt(n, off, key, "togli il carattere: non si vede, ma cambierebbe il testo copiato dal PDF (spesso arriva copiando da una pagina web o da un programma di videoscrittura)",
				"il testo contiene il carattere invisibile U+%04X (%s): ciò che si stampa non sarebbe ciò che si copia", r, formatName(r))
			return
		case r > 0xFFFF || (d.coverage != nil && !d.coverage.Has(r)):
			// The PDF library maps only the Basic Multilingual Plane: an
			// emoji would crash it, so it is refused here with its key.
			d.errorAt(n, off, key, "sostituisci o togli il carattere: nessun font di coopera può stamparlo",
				"il carattere %q (U+%04X) non è stampabile con i font disponibili", string(r), r)
			return
		}
	}
}

// allowedFormat are the invisible format characters (Unicode category Cf)
// user text may hold: the soft hyphen, which the typesetter honours as a
// hyphenation point. Joiners (U+200C, U+200D) are refused: no script the
// fonts carry (Latin, Greek, Cyrillic) needs them.
var allowedFormat = map[rune]bool{0x00AD: true}

func formatName(r rune) string {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return formatNames[r] + ", un controllo della direzione del testo"
	case formatNames[r] != "":
		return formatNames[r]
	}
	return "un carattere di formato invisibile"
}

var formatNames = map[rune]string{
	0x061C: "ARABIC LETTER MARK",
	0x180E: "MONGOLIAN VOWEL SEPARATOR",
	0x200B: "ZERO WIDTH SPACE",
	0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER",
	0x200E: "LEFT-TO-RIGHT MARK",
	0x200F: "RIGHT-TO-LEFT MARK",
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2060: "WORD JOINER",
	0x2061: "FUNCTION APPLICATION",
	0x2062: "INVISIBLE TIMES",
	0x2063: "INVISIBLE SEPARATOR",
	0x2064: "INVISIBLE PLUS",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
	0xFFF9: "INTERLINEAR ANNOTATION ANCHOR",
	0xFFFA: "INTERLINEAR ANNOTATION SEPARATOR",
	0xFFFB: "INTERLINEAR ANNOTATION TERMINATOR",
}

// SafeLink reports whether dest may become a live link in a PDF: only
// http, https and mailto. Case, spaces and control characters around or
// inside the scheme do not hide another one.
func SafeLink(dest string) bool {
	s := strings.Map(func(r rune) rune {
		if r <= ' ' || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, dest)
	i := strings.IndexByte(s, ':')
	if i <= 0 || strings.ContainsAny(s[:i], "/?#") {
		return false // no scheme: a relative link leads nowhere in a PDF
	}
	switch strings.ToLower(s[:i]) {
	case "http", "https":
		return strings.HasPrefix(s[i:], "://") && len(s) > i+3
	case "mailto":
		return len(s) > i+1
	}
	return false
}

// LinkHint is the suggestion for a link SafeLink refuses.
const LinkHint = "solo gli indirizzi http://, https:// e mailto: diventano collegamenti: scrivi l'indirizzo completo, per esempio [iscrizioni](https://www.anci.sicilia.it/iscrizioni), oppure togli il collegamento"

var userMarkdown = goldmark.New()

// checkMarkdown refuses what would not print as written in user Markdown:
// links of a scheme other than http, https and mailto, raw HTML (the
// typesetter would drop it) and lists or quotes nested beyond
// MaxMarkdownDepth. s is n's value from the byte base on.
func (d *decoder) checkMarkdown(n *yaml.Node, key, s string, base int) {
	src := []byte(s)
	doc := userMarkdown.Parser().Parse(text.NewReader(src))
	reported := false
	at := func(off int, hint, format string, args ...any) {
		off = max(off, 0)
		if !reported {
			d.errorAt(n, base+off, key, hint, format, args...)
		}
		reported = true
	}
	var walk func(node ast.Node, depth int)
	walk = func(node ast.Node, depth int) {
		for c := node.FirstChild(); c != nil && !reported; c = c.NextSibling() {
			dep := depth
			switch c := c.(type) {
			case *ast.List, *ast.Blockquote:
				dep++
				if dep > MaxMarkdownDepth {
					at(startOf(c, src), "usa al massimo "+fmt.Sprint(MaxMarkdownDepth)+" livelli di elenchi o citazioni uno dentro l'altro",
						"testo annidato troppo in profondità (più di %d livelli di elenchi o citazioni)", MaxMarkdownDepth)
					return
				}
			case *ast.HTMLBlock:
				at(startOf(c, src), htmlHint, "il testo contiene HTML (%s), che non verrebbe stampato", truncate(firstLine(c, src), 40))
				return
			case *ast.RawHTML:
				raw := segmentsText(c.Segments, src)
				if isBreak(raw) {
					continue
				}
				at(c.Segments.At(0).Start, htmlHint, "il testo contiene HTML (%s), che non verrebbe stampato", truncate(raw, 40))
				return
			case *ast.Link:
				if dest := string(c.Destination); !SafeLink(dest) {
					off := startOf(c, src)
					if off < 0 {
						off = blockStart(c, src)
					}
					if i := strings.Index(s[off:], dest); dest != "" && i >= 0 {
						off += i
					}
					at(off, LinkHint, "collegamento non ammesso: %q", truncate(dest, 60))
					return
				}
			case *ast.AutoLink:
				if c.AutoLinkType == ast.AutoLinkURL {
					if url := string(c.URL(src)); !SafeLink(url) {
						off := blockStart(c, src)
						if i := strings.Index(s[off:], "<"+string(c.Label(src))); i >= 0 {
							off += i + 1
						}
						at(off, LinkHint, "collegamento non ammesso: %q", truncate(url, 60))
						return
					}
				}
			}
			walk(c, dep)
		}
	}
	walk(doc, 0)
}

const htmlHint = "i tag HTML non si stampano: usa **grassetto**, *corsivo* ed elenchi con «-»; per scrivere il segno «<» come testo scrivi «\\<»"

// isBreak tells the one tag user text may hold, <br>, which the
// typesetter prints as a line break.
func isBreak(raw string) bool {
	s := strings.ToLower(strings.Join(strings.Fields(raw), ""))
	return s == "<br>" || s == "<br/>"
}

func segmentsText(segs *text.Segments, src []byte) string {
	var b strings.Builder
	for i := 0; i < segs.Len(); i++ {
		seg := segs.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

func firstLine(n ast.Node, src []byte) string {
	if n.Lines().Len() == 0 {
		return ""
	}
	seg := n.Lines().At(0)
	return strings.TrimSpace(string(seg.Value(src)))
}

// startOf is the byte offset where a node's text begins: its first line,
// or the first text of its descendants. An inline node's own markup (the
// "[" of a link) comes just before its first text.
func startOf(n ast.Node, src []byte) int {
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			off := t.Segment.Start
			if n.Type() == ast.TypeInline && off > 0 {
				off-- // the "[" or "<" that opens it
			}
			return off
		}
		if off := startOf(c, src); off >= 0 {
			return off
		}
	}
	return -1
}

// blockStart is where the block holding an inline node begins.
func blockStart(n ast.Node, src []byte) int {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}
