package calendar

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
)

// The page is self-contained: inline style, no script, no font or image
// from elsewhere, so it opens the same from a USB stick or an archive.
const pageTemplate = `<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="coopera">
<title>{{ .Title }}</title>
<style>
:root { color-scheme: light; --accento: #1f4e79; --tenue: #5a6470; --riga: #d7dde4; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: #1d232a; font: 1rem/1.55 "DejaVu Serif", Georgia, "Times New Roman", serif; }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; }
.progetto { margin: 0; color: var(--tenue); font: 600 .8rem/1.4 system-ui, sans-serif; letter-spacing: .06em; text-transform: uppercase; }
h1 { margin: .3rem 0 .6rem; color: var(--accento); font: 700 1.9rem/1.2 system-ui, sans-serif; }
.intro { margin: 0 0 1.5rem; color: var(--tenue); }
ol.calendario { list-style: none; margin: 0; padding: 0; }
ol.calendario > li { margin: 0 0 1.1rem; padding: 1rem 1.25rem; background: #fff; border: 1px solid var(--riga); border-left: .35rem solid var(--accento); border-radius: .35rem; }
h2 { margin: 0; font: 700 1.2rem/1.3 system-ui, sans-serif; color: var(--accento); }
h2 .data { display: block; margin-top: .15rem; color: #1d232a; font-weight: 500; font-size: 1rem; }
.tema { margin: .5rem 0 .25rem; font-weight: 700; }
.quando, .coordina { margin: .25rem 0; }
h3 { margin: .8rem 0 .2rem; color: var(--tenue); font: 600 .8rem/1.3 system-ui, sans-serif; letter-spacing: .05em; text-transform: uppercase; }
ul { margin: .2rem 0 0; padding-left: 1.2rem; }
li li { margin: .15rem 0; }
a { color: var(--accento); text-underline-offset: .15em; }
a:focus-visible { outline: 2px solid var(--accento); outline-offset: 2px; }
footer { padding-top: .5rem; padding-bottom: 2rem; color: var(--tenue); font-size: .85rem; }
@media print { body { background: #fff; } ol.calendario > li { break-inside: avoid; border-color: #999; } }
</style>
</head>
<body>
<header>
{{- with .Project }}
<p class="progetto">{{ . }}</p>
{{- end }}
<h1>{{ .Title }}</h1>
<p class="intro">{{ .Intro }}</p>
</header>
<main>
<ol class="calendario">
{{- range .Entries }}
<li id="{{ .ID }}">
<article aria-labelledby="titolo-{{ .ID }}">
<h2 id="titolo-{{ .ID }}">{{ .Heading }} <span class="data"><time datetime="{{ .ISODate }}">{{ .Date }}</time></span></h2>
{{- with .Theme }}
<p class="tema">{{ . }}</p>
{{- end }}
{{- with .When }}
<p class="quando">{{ . }}</p>
{{- end }}
{{- with .Chair }}
<p class="coordina">{{ . }}</p>
{{- end }}
{{- if .Talks }}
<h3>Interventi</h3>
<ul>
{{- range .Talks }}
<li>{{ . }}</li>
{{- end }}
</ul>
{{- end }}
{{- if .Materials }}
<h3>Materiali</h3>
<ul>
{{- range .Materials }}
<li><a href="{{ .URL }}">{{ .Label }}</a></li>
{{- end }}
</ul>
{{- end }}
{{- if .Docs }}
<h3>Documenti</h3>
<ul>
{{- range .Docs }}
<li><a href="{{ .URL }}" type="application/pdf">{{ .Label }}</a></li>
{{- end }}
</ul>
{{- end }}
</article>
</li>
{{- end }}
</ol>
</main>
<footer>
<p>{{ .Footer }}</p>
</footer>
</body>
</html>
`

// page is parsed on first use: every coopera command would pay for it at
// start-up otherwise.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("calendario").Parse(pageTemplate))
})

// HTML writes the calendar as one self-contained HTML5 page.
func (c *Calendar) HTML() ([]byte, error) {
	p := c.Profile
	// The words as the PDFs print them: ties and, per the profile,
	// typographic quotes (addresses are left alone).
	t := func(s string) string { return compose.Typography(s, p.Typography.SmartQuotes) }
	entries := c.views()
	for i := range entries {
		v := &entries[i]
		v.Heading, v.Date, v.Theme, v.When, v.Chair = t(v.Heading), t(v.Date), t(v.Theme), t(v.When), t(v.Chair)
		for j := range v.Talks {
			v.Talks[j] = t(v.Talks[j])
		}
		for j := range v.Materials {
			v.Materials[j].Label = t(v.Materials[j].Label)
		}
		for j := range v.Docs {
			v.Docs[j].Label = t(v.Docs[j].Label)
		}
	}
	data := map[string]any{
		"Title":   t(c.Title()),
		"Project": t(p.Letterhead.Title),
		"Intro":   t(c.intro()),
		"Entries": entries,
		"Footer":  t(strings.Join(p.Letterhead.Footer, " · ")),
	}
	var b bytes.Buffer
	if err := page().Execute(&b, data); err != nil {
		return nil, fmt.Errorf("calendario HTML: %v", err)
	}
	return b.Bytes(), nil
}
