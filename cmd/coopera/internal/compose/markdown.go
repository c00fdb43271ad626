package compose

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
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
const MaxDepth = 8

var roleMarker = lazyre.New(`^<!--\s*coopera:([a-z-]+)\s*-->\s*$`)

// KnownRoles are the roles the typesetter styles.
var KnownRoles = map[string]bool{
	"corpo": true, "protocollo": true, "oggetto": true, "saluto": true, "congedo": true, "firma": true,
	"allegati": true, "intestazione": true, "titolo": true, "sottotitolo": true, "luogo-data": true, "contatti": true,
	"destinatari": true,
}

var md = goldmark.New()

// Parse turns the Markdown a template produced into blocks.
func Parse(src string) ([]Block, error) {
	source := []byte(norm.NFC.String(src))
	doc := md.Parser().Parse(text.NewReader(source))
	p := &mdParser{src: source, role: "corpo"}
	if err := p.blocks(doc, 0); err != nil {
		return nil, err
	}
	return p.out, nil
}

type mdParser struct {
	src     []byte
	out     []Block
	role    string // role of the next block
	pending bool   // a marker set role for the next block only
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
		return fmt.Errorf("testo annidato troppo in profondità (più di %d livelli di elenchi o citazioni)", MaxDepth)
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
		return fmt.Errorf("testo annidato troppo in profondità (più di %d livelli di elenchi o citazioni)", MaxDepth)
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
					return fmt.Errorf("ruolo %q sconosciuto nel modello", m[1])
				}
				p.role, p.pending = m[1], true
			}
			// Other HTML is dropped: documents are typeset, not browsed.
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
			runs = append(runs, p.inlines(c, style, string(c.Destination))...)
		case *ast.AutoLink:
			url := string(c.URL(p.src))
			label := string(c.Label(p.src))
			if c.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(url, "mailto:") {
				url = "mailto:" + url
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
			if strings.HasPrefix(strings.ToLower(b.String()), "<br") && len(runs) > 0 {
				runs[len(runs)-1].Break = true
			}
		default:
			runs = append(runs, p.inlines(c, style, link)...)
		}
	}
	return merge(runs)
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
