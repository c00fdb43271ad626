package compose

import (
	"strings"
	"testing"
)

func TestPersonPhrase(t *testing.T) {
	tedeschi := Persona{Nome: "Antonio Tedeschi", Titolo: "dott.", Ruolo: "Referente per gli Enti locali"}
	alberti := Persona{Nome: "Maddalena Alberti", Titolo: "dott.ssa", Ruolo: "direttrice", Femminile: true}
	bottari := Persona{Nome: "Salvatore Bottari", Ruolo: "Responsabile del Progetto SAI"}
	avv := Persona{Nome: "Marco Bellini", Titolo: "avv."}
	tests := []struct {
		p    Persona
		prep string
		want string
	}{
		{tedeschi, "", "il dott.\u00a0**Antonio Tedeschi**, Referente per gli Enti locali"},
		{tedeschi, "di", "del dott.\u00a0**Antonio Tedeschi**, Referente per gli Enti locali"},
		{alberti, "di", "della dott.ssa\u00a0**Maddalena Alberti**, direttrice"},
		{alberti, "da", "dalla dott.ssa\u00a0**Maddalena Alberti**, direttrice"},
		{bottari, "di", "di **Salvatore Bottari**, Responsabile del Progetto SAI"},
		{bottari, "", "**Salvatore Bottari**, Responsabile del Progetto SAI"},
		{avv, "", "l'avv.\u00a0**Marco Bellini**"},
		{avv, "di", "dell'avv.\u00a0**Marco Bellini**"},
		{Persona{Nome: "A*B", Ruolo: "x_y"}, "", `**A\*B**, x\_y`},
	}
	for _, tt := range tests {
		if got := personPhrase(tt.p, tt.prep); got != tt.want {
			t.Errorf("personPhrase(%q, %q) = %q, want %q", tt.p.Nome, tt.prep, got, tt.want)
		}
	}
}

func TestWithSpeakersReproducesTheSeedSentence(t *testing.T) {
	text := "Durante l'incontro verrà illustrata l'esperienza del Coordinamento."
	ps := []Persona{
		{Nome: "Antonio Tedeschi", Titolo: "dott.", Ruolo: "Referente"},
		{Nome: "Maddalena Alberti", Titolo: "dott.ssa", Ruolo: "direttrice", Femminile: true},
	}
	want := "Durante l'incontro verrà illustrata l'esperienza del Coordinamento, con gli interventi del dott.\u00a0**Antonio Tedeschi**, Referente e della dott.ssa\u00a0**Maddalena Alberti**, direttrice."
	if got := withSpeakers(text, ps); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	one := withSpeakers("Testo.", ps[:1])
	if !strings.Contains(one, "con l'intervento del dott.") {
		t.Errorf("one speaker: %q", one)
	}
	list := withSpeakers("Programma:\n\n- primo punto", ps)
	if !strings.Contains(list, "\n\nInterverranno il dott.") {
		t.Errorf("after a list the speakers get their own paragraph: %q", list)
	}
}

func TestPluralArticle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Referenti del Coordinamento", "tra i"}, {"Enti locali", "tra gli"}, {"Sindaci", "tra i"},
		{"Studenti", "tra gli"}, {"Zelanti", "tra gli"}, {"Psicologi", "tra gli"}, {"", "tra i"},
	}
	for _, tt := range tests {
		if got := pluralArticle("tra", tt.in); got != tt.want {
			t.Errorf("pluralArticle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a*b*", `a\*b\*`}, {"1. primo", `1\. primo`}, {"- voce", `\- voce`}, {"[link](x)", `\[link\](x)`},
		{"<b>", `\<b\>`}, {"e\u0301", "é"}, {"normale", "normale"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Escaped text parses back to itself.
	for _, s := range []string{"a*b*", "1. primo", "**x**", "_y_", "[z](http://e.it)"} {
		blocks, err := Parse(Escape(s))
		if err != nil || len(blocks) != 1 || Text(blocks[0].Runs) != s || blocks[0].Runs[0].Style != 0 {
			t.Errorf("Escape(%q) does not read back literally: %+v %v", s, blocks, err)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Progetto COOPERA, 2° Tavolo tecnico del Coordinamento", 48, "progetto-coopera-2-tavolo-tecnico-del"},
		{"Città è già più", 40, "citta-e-gia-piu"},
		{"../../etc/passwd", 40, "etc-passwd"},
		{"🎉🎉", 40, "documento"},
		{"Ольга", 40, "documento"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, tt.max); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Slug(tt.in, tt.max); len(got) > tt.max || strings.ContainsAny(got, "/\\. ") {
			t.Errorf("Slug(%q) = %q is not a safe file-name part", tt.in, got)
		}
	}
}

func TestPolish(t *testing.T) {
	tests := []struct {
		in    string
		smart bool
		want  string
	}{
		{`l'esperienza "del" progetto`, true, "l’esperienza “del” progetto"},
		{`l'esperienza "del" progetto`, false, `l'esperienza "del" progetto`},
		{"il dott. Rossi e la dott.ssa Bianchi", true, "il dott.\u00a0Rossi e la dott.ssa\u00a0Bianchi"},
		{"mercoledì 2 marzo 2022 ore 15:00", true, "mercoledì 2\u00a0marzo\u00a02022 ore\u00a015:00"},
		{"Prot. n. 0153", true, "Prot.\u00a0n.\u00a00153"},
		{"attendere...", true, "attendere..."},
		{"'citazione'", true, "‘citazione’"},
	}
	for _, tt := range tests {
		b := []Block{{Runs: []Run{{Text: tt.in}}}}
		polish(b, tt.smart)
		if got := b[0].Runs[0].Text; got != tt.want {
			t.Errorf("polish(%q, %v) = %q, want %q", tt.in, tt.smart, got, tt.want)
		}
	}
	// Links are left as written.
	b := []Block{{Runs: []Run{{Text: "http://x.it/a'b", Link: "http://x.it/a'b"}}}}
	polish(b, true)
	if b[0].Runs[0].Text != "http://x.it/a'b" {
		t.Errorf("a link was changed: %q", b[0].Runs[0].Text)
	}
}

func TestParseRolesAndInlines(t *testing.T) {
	src := "<!-- coopera:oggetto -->\n**Oggetto:** prova *corsivo* e <http://e.it>\n\ncorpo\n\n- uno\n- due\n"
	blocks, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 4 {
		t.Fatalf("got %d blocks: %+v", len(blocks), blocks)
	}
	if blocks[0].Role != "oggetto" || blocks[1].Role != "corpo" {
		t.Errorf("roles: %q %q", blocks[0].Role, blocks[1].Role)
	}
	r := blocks[0].Runs
	if r[0].Text != "Oggetto:" || r[0].Style != Bold || r[2].Style != Italic || r[len(r)-1].Link != "http://e.it" {
		t.Errorf("inlines: %+v", r)
	}
	if blocks[2].Kind != ListItem || Text(blocks[3].Runs) != "due" {
		t.Errorf("list: %+v", blocks[2:])
	}
	if _, err := Parse("<!-- coopera:inventato -->\ntesto"); err == nil {
		t.Error("an unknown role was accepted")
	}
	deep := strings.Repeat("> ", 50) + "troppo"
	if _, err := Parse(deep); err == nil {
		t.Error("50 nested quotes were accepted")
	}
}
