package model

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestPosIn puts a marker (§) somewhere in a scalar of every style and
// checks that the position posIn gives for it in the value is where it
// stands in the file.
func TestPosIn(t *testing.T) {
	for _, src := range []string{
		"k: un testo con § dentro\n",
		"città: «perché» §\n",
		"k: un testo\n  che va a capo\n  e poi §\n",
		"k: \"tra virgolette\n  a capo \\t §\"\n",
		"k: 'l''apostrofo, poi §'\n",
		"k: |\n  prima\n\n  terza riga §\n",
		"k: | # un commento\n  prima\n    rientrata §\n",
		"k: |-\n  prima\n  §\n",
		"k: |4\n      sei spazi §\n",
		"k: >\n  piegato\n  su righe\n\n  nuovo paragrafo §\n",
		"k: >\n  piegato\n    più rientrato §\n",
		"a:\n  - b:\n      k: |\n        in profondità\n        riga §\n",
		"k: [uno, \"due §\"]\n",
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		n := find(&doc)
		if n == nil {
			t.Fatalf("%q: no scalar holds the marker", src)
		}
		d := &decoder{src: []byte(src)}
		line, col := d.posIn(n, strings.Index(n.Value, "§"))
		wantLine, wantCol := lineColRunes([]byte(src), strings.Index(src, "§"))
		if line != wantLine || col != wantCol {
			t.Errorf("%q: posIn = %d:%d, want %d:%d", src, line, col, wantLine, wantCol)
		}
	}
}

func find(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "§") {
		return n
	}
	for _, c := range n.Content {
		if f := find(c); f != nil {
			return f
		}
	}
	return nil
}

// TestPosInEscape: a character written as an escape is reported at the
// escape's backslash; what cannot be lined up falls back to the node.
func TestPosInEscape(t *testing.T) {
	src := "k: \"a\\u202Eb \\x41 c\"\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	n := doc.Content[0].Content[1]
	d := &decoder{src: []byte(src)}
	if l, c := d.posIn(n, strings.Index(n.Value, "\u202e")); l != 1 || c != 6 {
		t.Errorf("U+202E at %d:%d, want 1:6", l, c)
	}
	if l, c := d.posIn(n, strings.Index(n.Value, "c")); l != 1 || c != 19 {
		t.Errorf("c at %d:%d, want 1:19", l, c)
	}
	d.src = []byte("k: altro\n")
	if l, c := d.posIn(n, 3); l != n.Line || c != n.Column {
		t.Errorf("misaligned: %d:%d, want the node's %d:%d", l, c, n.Line, n.Column)
	}
}

func TestSafeLink(t *testing.T) {
	for dest, want := range map[string]bool{
		"https://www.anci.sicilia.it/iscrizioni": true,
		"http://example.it":                      true,
		"HTTPS://EXAMPLE.IT":                     true,
		"mailto:ancisicilia@anci.sicilia.it":     true,
		"javascript:alert(1)":                    false,
		"JaVaScript:alert(1)":                    false,
		" javascript:alert(1)":                   false,
		"java\tscript:alert(1)":                  false,
		"java\u200bscript:alert(1)":              false,
		"file:///etc/shadow":                     false,
		"data:text/html;base64,PHNjcmlwdD4=":     false,
		"ftp://example.it/x":                     false,
		"vbscript:msgbox":                        false,
		"pagina.html":                            false,
		"/assoluto":                              false,
		"https:":                                 false,
		"mailto:":                                false,
		"":                                       false,
	} {
		if got := SafeLink(dest); got != want {
			t.Errorf("SafeLink(%q) = %v, want %v", dest, got, want)
		}
	}
}

// TestCheckText: the checks of user text, each at its place.
func TestCheckText(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"k: |\n  uno\n  due \u202e\n", "3:7: k: il testo contiene il carattere invisibile U+202E (RIGHT-TO-LEFT OVERRIDE"},
		{"k: |\n  uno\n  due \u2067\n", "3:7: k: il testo contiene il carattere invisibile U+2067 (RIGHT-TO-LEFT ISOLATE"},
		{"k: |\n  uno\n  due \u200e\n", "3:7: k: il testo contiene il carattere invisibile U+200E (LEFT-TO-RIGHT MARK"},
		{"k: |\n  uno\n  due \u061c\n", "3:7: k: il testo contiene il carattere invisibile U+061C (ARABIC LETTER MARK"},
		{"k: |\n  uno\n  due \ufeff\n", "3:7: k: il testo contiene il carattere invisibile U+FEFF (ZERO WIDTH NO-BREAK SPACE)"},
		{"k: |\n  uno\n  due \u200d\n", "3:7: k: il testo contiene il carattere invisibile U+200D (ZERO WIDTH JOINER)"},
		{"k: |\n  uno\n\n  [x](javascript:y)\n", "4:7: k: collegamento non ammesso: \"javascript:y\""},
		{"k: |\n  uno <b>due</b>\n", "2:7: k: il testo contiene HTML (<b>)"},
		{"k: |\n  uno\n\n  <!-- nascosto -->\n", "4:3: k: il testo contiene HTML (<!-- nascosto -->)"},
		{"k: |\n  > > > > > > > > > troppo\n", "2:21: k: testo annidato troppo in profondità"},
		{"k: |\n  uno\u00adnove, a<br>capo, 3 \\< 4, <https://a.it> e <a@b.it>\n", ""},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(c.src), &doc); err != nil {
			t.Fatal(err)
		}
		d := &decoder{file: "f.yaml", src: []byte(c.src)}
		var s string
		d.markdown(doc.Content[0].Content[1], "k", &s)
		got := ""
		if len(d.probs) > 0 {
			got = d.probs[0].String()
		}
		if (c.want == "") != (got == "") || c.want != "" && !strings.HasPrefix(got, "f.yaml:"+c.want) {
			t.Errorf("%q:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

// TestPosInEveryOffset: any offset of any scalar maps to a place in the
// file, at or after the node, never a panic.
func TestPosInEveryOffset(t *testing.T) {
	src := "a: \"x\\u202E\\\n  y\\\"z\"\nb: 'l''a\n  b'\nc: |+\n  uno\n\n   due\n\nd: >-\n  tre\n\n    quattro\n  cinque\ne: un\n  due\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	d := &decoder{src: []byte(src)}
	lines := strings.Count(src, "\n") + 1
	m := doc.Content[0]
	for i := 1; i < len(m.Content); i += 2 {
		n := m.Content[i]
		for off := 0; off <= len(n.Value); off++ {
			l, c := d.posIn(n, off)
			if l < n.Line || l > lines || c < 1 {
				t.Errorf("%s at %d: %d:%d", m.Content[i-1].Value, off, l, c)
			}
		}
	}
}
