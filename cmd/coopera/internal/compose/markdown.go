package compose

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

// Style is a run's font style.
type Style uint8

const (
	Bold Style = 1 << iota
	Italic
)

// Run is a piece of text in one style; Link makes it clickable.
type Run struct {
	Text  string
	Style Style
	Link  string
	Break bool // a hard line break after this run
}

// BlockKind is what a block is in the layout.
type BlockKind uint8

const (
	Paragraph BlockKind = iota
	Heading
	ListItem
)

// Block is one paragraph, heading or list item with its role: the template
// names roles with "<!-- coopera:RUOLO -->" lines; the default is "corpo".
type Block struct {
	Kind  BlockKind
	Role  string
	Level int // heading level or list depth (1-based)
	Runs  []Run
}

// MaxDepth bounds Markdown nesting (lists in lists, quotes in quotes).
const MaxDepth = model.MaxMarkdownDepth

// errTooDeep is the nesting limit's message; user text meets it earlier,
// in the model, with its file and line.
var errTooDeep = &MarkdownError{
	Message: fmt.Sprintf("testo annidato troppo in profondità (più di %d livelli di elenchi o citazioni)", MaxDepth),
	Hint:    fmt.Sprintf("usa al massimo %d livelli di elenchi o citazioni uno dentro l'altro", MaxDepth)}

// MarkdownError is a problem in the Markdown a template produced, at a
// line of that text (0: not known).
type MarkdownError struct {
	Line          int
	Message, Hint string
}

func (e *MarkdownError) Error() string {
	s := e.Message
	if e.Line > 0 {
		s = fmt.Sprintf("riga %d del testo prodotto: %s", e.Line, s)
	}
	if e.Hint != "" {
		s += "\n  suggerimento: " + e.Hint
	}
	return s
}

const htmlTemplateHint = "i modelli producono Markdown: togli il tag, oppure scrivi «\\<» per un segno «<» come testo"

var roleMarker = lazyre.New(`^<!--\s*coopera:([a-z-]+)\s*-->\s*$`)

// KnownRoles are the roles the typesetter styles.
var KnownRoles = map[string]bool{
	"corpo": true, "protocollo": true, "oggetto": true, "saluto": true, "congedo": true, "firma": true,
	"allegati": true, "intestazione": true, "titolo": true, "sottotitolo": true, "luogo-data": true, "contatti": true,
	"destinatari": true,
}

var md = goldmark.New()

// Parse turns the Markdown a template produced into blocks.
func Parse(src string) ([]Block, error) { return parseMarkdown(src, false) }

// parseMarkdown is Parse; relative says whether links without a scheme are kept
// (the calendar links to the documents beside it in the archive).
func parseMarkdown(src string, relative bool) ([]Block, error) {
	source := []byte(norm.NFC.String(src))
	doc := md.Parser().Parse(text.NewReader(source))
	p := &mdParser{src: source, role: "corpo", relative: relative}
	if err := p.blocks(doc, 0); err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err
	}
	return p.out, nil
}

type mdParser struct {
	src     []byte
	out     []Block
	role    string // role of the next block
	pending bool   // a marker set role for the next block only
	err     error  // the first link or tag refused while reading inlines

	relative bool // links without a scheme are allowed
}

// safe says whether dest may become a live link.
func (p *mdParser) safe(dest string) bool {
	if model.SafeLink(dest) {
		return true
	}
	return p.relative && !strings.ContainsAny(dest, ":\\") && !strings.HasPrefix(dest, "/")
}

// lineOf is the 1-based line of a byte offset in the Markdown.
func (p *mdParser) lineOf(off int) int {
	return bytes.Count(p.src[:min(off, len(p.src))], []byte("\n")) + 1
}

func (p *mdParser) fail(off int, hint, format string, args ...any) {
	if p.err == nil {
		p.err = &MarkdownError{Line: p.lineOf(off), Message: fmt.Sprintf(format, args...), Hint: hint}
	}
}

func (p *mdParser) next() string {
	r := p.role
	if p.pending {
		p.pending = false
		p.role = "corpo"
	}
	return r
}

func (p *mdParser) blocks(n ast.Node, depth int) error {
	if depth > MaxDepth {
		return errTooDeep
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if err := p.block(c, depth); err != nil {
			return err
		}
	}
	return nil
}

func (p *mdParser) block(c ast.Node, depth int) error {
	// Nested lists recurse through here, not through blocks: the limit
	// must hold on this path too.
	if depth > MaxDepth {
		return errTooDeep
	}
	{
		switch c := c.(type) {
		case *ast.HTMLBlock:
			var raw strings.Builder
			for i := 0; i < c.Lines().Len(); i++ {
				seg := c.Lines().At(i)
				raw.Write(seg.Value(p.src))
			}
			if m := roleMarker().FindStringSubmatch(strings.TrimSpace(raw.String())); m != nil {
				if !KnownRoles[m[1]] {
					return &MarkdownError{Line: p.lineOf(c.Lines().At(0).Start), Message: fmt.Sprintf("ruolo %q sconosciuto", m[1]),
						Hint: "i ruoli sono quelli elencati nel README, alla voce «Templates» (corpo, protocollo, oggetto, saluto, …)"}
				}
				p.role, p.pending = m[1], true
			} else if t := strings.TrimSpace(raw.String()); !strings.HasPrefix(t, "<!--") || !strings.HasSuffix(t, "-->") {
				// A comment is the template's own note; any other HTML
				// would vanish from the document.
				p.fail(c.Lines().At(0).Start, htmlTemplateHint, "il testo contiene HTML (%s), che non verrebbe stampato", firstWords(t))
			}
		case *ast.Paragraph, *ast.TextBlock:
			p.out = append(p.out, Block{Kind: Paragraph, Role: p.next(), Runs: p.inlines(c, 0, "")})
		case *ast.Heading:
			p.out = append(p.out, Block{Kind: Heading, Role: p.next(), Level: c.Level, Runs: p.inlines(c, 0, "")})
		case *ast.List:
			role := p.next()
			for item := c.FirstChild(); item != nil; item = item.NextSibling() {
				first := true
				for ic := item.FirstChild(); ic != nil; ic = ic.NextSibling() {
					switch ic := ic.(type) {
					case *ast.Paragraph, *ast.TextBlock:
						kind := ListItem
						if !first {
							kind = Paragraph
						}
						p.out = append(p.out, Block{Kind: kind, Role: role, Level: depth + 1, Runs: p.inlines(ic, 0, "")})
						first = false
					default:
						if err := p.block(ic, depth+1); err != nil {
							return err
						}
					}
				}
			}
		case *ast.Blockquote:
			if err := p.blocks(c, depth+1); err != nil {
				return err
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			var raw strings.Builder
			for i := 0; i < c.Lines().Len(); i++ {
				seg := c.Lines().At(i)
				raw.Write(seg.Value(p.src))
			}
			p.out = append(p.out, Block{Kind: Paragraph, Role: p.next(), Runs: []Run{{Text: strings.TrimRight(raw.String(), "\n")}}})
		case *ast.ThematicBreak:
		default:
			if err := p.blocks(c, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *mdParser) inlines(n ast.Node, style Style, link string) []Run {
	var runs []Run
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			t := unescape(c.Segment.Value(p.src))
			if c.SoftLineBreak() {
				t += " "
			}
			runs = append(runs, Run{Text: t, Style: style, Link: link, Break: c.HardLineBreak()})
		case *ast.String:
			runs = append(runs, Run{Text: string(c.Value), Style: style, Link: link})
		case *ast.Emphasis:
			s := style | Italic
			if c.Level >= 2 {
				s = style | Bold
			}
			runs = append(runs, p.inlines(c, s, link)...)
		case *ast.Link:
			if !p.safe(string(c.Destination)) {
				p.fail(p.textStart(c), model.LinkHint, "collegamento non ammesso: %q", string(c.Destination))
			}
			runs = append(runs, p.inlines(c, style, string(c.Destination))...)
		case *ast.AutoLink:
			url := string(c.URL(p.src))
			label := string(c.Label(p.src))
			if c.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(url, "mailto:") {
				url = "mailto:" + url
			}
			if !p.safe(url) {
				p.fail(p.textStart(n), model.LinkHint, "collegamento non ammesso: %q", url)
			}
			runs = append(runs, Run{Text: label, Style: style, Link: url})
		case *ast.CodeSpan:
			var b strings.Builder
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if tx, ok := t.(*ast.Text); ok {
					b.Write(tx.Segment.Value(p.src))
				}
			}
			runs = append(runs, Run{Text: b.String(), Style: style, Link: link})
		case *ast.Image:
			runs = append(runs, p.inlines(c, style, link)...)
		case *ast.RawHTML:
			// Inline HTML is not typeset; <br> is the one tag people use.
			var b strings.Builder
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				b.Write(seg.Value(p.src))
			}
			tag := strings.ToLower(strings.Join(strings.Fields(b.String()), ""))
			switch {
			case tag == "<br>" || tag == "<br/>":
				if len(runs) > 0 {
					runs[len(runs)-1].Break = true
				}
			case strings.HasPrefix(tag, "<!--"):
			default:
				p.fail(c.Segments.At(0).Start, htmlTemplateHint, "il testo contiene HTML (%s), che non verrebbe stampato", firstWords(b.String()))
			}
		default:
			runs = append(runs, p.inlines(c, style, link)...)
		}
	}
	return merge(runs)
}

// textStart is the offset of the first text inside n, or of n's block.
func (p *mdParser) textStart(n ast.Node) int {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	for q := n; q != nil; q = q.Parent() {
		if q.Type() == ast.TypeBlock && q.Lines().Len() > 0 {
			return q.Lines().At(0).Start
		}
	}
	return 0
}

func firstWords(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// unescape resolves backslash escapes and entities as a Markdown renderer
// would: "\*" is an asterisk, "&amp;" an ampersand.
func unescape(b []byte) string {
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	b = util.ResolveEntityNames(b)
	return string(b)
}

// merge joins neighbouring runs of the same style and link.
func merge(runs []Run) []Run {
	out := runs[:0]
	for _, r := range runs {
		if n := len(out); n > 0 && out[n-1].Style == r.Style && out[n-1].Link == r.Link && !out[n-1].Break {
			out[n-1].Text += r.Text
			out[n-1].Break = r.Break
			continue
		}
		out = append(out, r)
	}
	return out
}

// Text returns the plain text of runs, for tests and metadata.
func Text(runs []Run) string {
	var b strings.Builder
	for _, r := range runs {
		b.WriteString(r.Text)
		if r.Break {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
