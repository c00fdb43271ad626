package hyphen

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ancisicilia/coopera/assets"
)

// texWords holds TeX's own hyphenation of each word: LuaTeX 1.15 (TeX Live
// 2022, INITEX) loaded with assets/hyph/hyph-it.pat.txt, \lefthyphenmin=2,
// \righthyphenmin=2, \uchyph=1, lccodes set for ' ’ and the accented vowels,
// and a \showhyphens-style box per word; the output was pasted here. The same
// check against all 502 distinct words of /work/shared/seeds agreed too.
// Note TeX gives coor-di-na-men-to, not co-or-: the patterns have no o1o.
var texWords = []string{
	"con-fe-ren-za", "am-mi-ni-stra-zio-ne", "uni-ver-si-tà", "coor-di-na-men-to",
	"in-te-gra-zio-ne", "con-vo-ca-zio-ne", "vul-ne-ra-bi-li-tà", "se-gre-ta-rio",
	"as-so-cia-zio-ne", "pa-ler-mo", "si-ci-lia", "co-mu-ni", "sin-da-co",
	"as-ses-so-re", "pre-si-den-te", "coo-pe-ra-zio-ne", "pro-get-to",
	"par-te-ci-pa-zio-ne", "ter-ri-to-rio", "re-gio-na-le", "po-li-ti-che",
	"so-cia-li", "mi-gran-ti", "in-clu-sio-ne", "ac-co-glien-za", "ta-vo-lo",
	"tec-ni-co", "riu-nio-ne", "or-di-ne", "gior-no", "ap-pro-va-zio-ne",
	"ver-ba-le", "se-du-ta", "de-le-ga-zio-ne", "pro-to-col-lo", "co-mu-ni-ca-to",
	"stam-pa", "isti-tu-zio-na-le", "svi-lup-po", "so-ste-ni-bi-le",
	"fi-nan-zia-men-to", "eu-ro-peo", "agri-gen-to", "cal-ta-nis-set-ta",
	"ca-ta-nia", "mes-si-na", "ra-gu-sa", "si-ra-cu-sa", "tra-pa-ni", "pub-bli-ca",
	"cit-ta-di-nan-za", "for-ma-zio-ne", "la-vo-ro", "orien-ta-men-to",
	"me-dia-zio-ne", "in-ter-cul-tu-ra-le", "psi-co-lo-go", "pneu-ma-ti-co",
	"aiuo-la", "ae-reo", "pau-ra", "pia-ce-re", "guer-ra", "aiu-to", "ac-qua",
	"scien-za", "gnoc-chi", "su-bal-ter-no", "tran-sal-pi-no", "per-ché", "cit-tà",
	"ve-ner-dì", "lu-ne-dì", "at-ti-vi-tà", "op-por-tu-ni-tà", "qua-li-tà", "apnea",
	"ri-strut-tu-ra-zio-ne", "obiet-ti-vo", "di-par-ti-men-to", "an-ti-bio-ti-co",
	"ex-tra-co-mu-ni-ta-rio", "trans-na-zio-na-le", "pneu-mo-lo-gia", "cuo-io",
	"ra-gaz-zo", "col-la-bo-ra-zio-ne", "eco-no-mia", "idea", "ma-ieu-ti-ca",
	"ostru-zio-ne", "bio-lo-gia",
	// Case and accents, also from TeX.
	"Pa-ler-mo", "UNI-VER-SI-TÀ", "Cit-tà", "COO-PE-RA", "Za-vi-do-vi-ci",
}

func TestTeXWords(t *testing.T) {
	h := Italian()
	for _, want := range texWords {
		word := strings.ReplaceAll(want, "-", "")
		if got := h.Hyphenate(word); got != want {
			t.Errorf("Hyphenate(%q) = %q, want %q (TeX)", word, got, want)
		}
	}
}

func TestRules(t *testing.T) {
	h := Italian()
	tests := []struct {
		name, word, want string
	}{
		// Case-insensitive: same points whatever the case.
		{"capitalised", "Amministrazione", "Am-mi-ni-stra-zio-ne"},
		{"upper", "AMMINISTRAZIONE", "AM-MI-NI-STRA-ZIO-NE"},
		{"upper accented", "VULNERABILITÀ", "VUL-NE-RA-BI-LI-TÀ"},
		{"decomposed accent", "citta\u0300", "cit-ta\u0300"},
		{"decomposed upper", "UNIVERSITA\u0300", "UNI-VER-SI-TA\u0300"},
		{"accents inside", "perciò", "per-ciò"},

		// Minima: two letters each side.
		{"short", "ala", "ala"},
		{"four letters", "pane", "pa-ne"},
		{"no single letter left", "aereo", "ae-reo"},
		{"vowel start", "idea", "idea"},

		// Apostrophes: only the part after the last one breaks, as a word.
		{"dell'aria", "dell'aria", "dell'aria"},
		{"elision", "dell'amministrazione", "dell'am-mi-ni-stra-zio-ne"},
		{"curly apostrophe", "all’accoglienza", "all’ac-co-glien-za"},
		{"quest'anno", "quest'anno", "quest'an-no"},
		{"word start patterns after apostrophe", "l'apnea", "l'apnea"},
		{"anti after apostrophe", "dell'antibiotico", "dell'an-ti-bio-ti-co"},
		{"upper elision", "L'UNIVERSITÀ", "L'UNI-VER-SI-TÀ"},
		{"two apostrophes", "d'un'integrazione", "d'un'in-te-gra-zio-ne"},
		{"truncation", "po'", "po'"},
		{"aphaeresis", "'ndrangheta", "'ndran-ghe-ta"},
		{"modifier apostrophe", "dell\u02BCaria", "dell\u02BCaria"},

		// Soft hyphens win over the patterns.
		{"soft only", "coo\u00ADpe\u00ADra", "coo-pe-ra"},
		{"soft overrides patterns", "ammini\u00ADstrazione", "ammini-strazione"},
		{"soft respects minima", "a\u00ADmministrazione", "amministrazione"},
		{"soft in a URL", "www.anci.\u00ADsicilia.it", "www.anci.-sicilia.it"},

		// No points: URLs, addresses, numbers, codes.
		{"url", "https://www.anci.sicilia.it/iscrizioni", "https://www.anci.sicilia.it/iscrizioni"},
		{"domain", "www.anci.sicilia.it", "www.anci.sicilia.it"},
		{"email", "segreteria@anci.sicilia.it", "segreteria@anci.sicilia.it"},
		{"at only", "amministrazione@", "amministrazione@"},
		{"protocol", "0153/23/02/22", "0153/23/02/22"},
		{"digits in word", "amministrazione2022", "amministrazione2022"},
		{"slash", "integrazione/migrazione", "integrazione/migrazione"},
		{"colon inside", "convocazione:tavolo", "convocazione:tavolo"},
		{"underscore", "coopera_convocazione", "coopera_convocazione"},
		{"equals", "amministrazione=vero", "amministrazione=vero"},
		{"ampersand", "ricerca&sviluppo", "ricerca&sviluppo"},
		{"dot inside", "amministrazione.pdf", "amministrazione.pdf"},

		// Sentence punctuation around a word is not part of it.
		{"trailing period", "amministrazione.", "am-mi-ni-stra-zio-ne."},
		{"comma", "conferenza,", "con-fe-ren-za,"},
		{"guillemets", "«cooperazione»", "«coo-pe-ra-zio-ne»"},
		{"quotes and colon", "\"convocazione\":", "\"con-vo-ca-zio-ne\":"},
		{"parenthesis", "(territorio)", "(ter-ri-to-rio)"},

		// Compounds: each part on its own, nothing next to the hyphen.
		{"compound", "socio-sanitario", "so-cio-sa-ni-ta-rio"},
		{"compound short part", "co-finanziato", "co-fi-nan-zia-to"},
		{"compound upper", "EXTRA-UE", "EX-TRA-UE"},
		{"compound with elision", "nord-dell'Europa", "nord-dell'Eu-ro-pa"},
		{"double hyphen", "tavolo--tecnico", "ta-vo-lo--tec-ni-co"},

		// Other scripts: the patterns are Italian.
		{"cyrillic", "администрация", "администрация"},
		{"greek", "διοίκηση", "διοίκηση"},
		{"mixed scripts", "amministrazioneπ", "amministrazioneπ"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.Hyphenate(tt.word); got != tt.want {
				t.Errorf("Hyphenate(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestPointsOffsets(t *testing.T) {
	h := Italian()
	tests := []struct {
		word string
		want []int
	}{
		{"università", []int{3, 6, 8}},
		{"città", []int{3}},
		{"dell'aria", nil},
		{"dell'amministrazione", []int{7, 9, 11, 15, 18}},
		{"coo\u00ADpe\u00ADra", []int{4, 7}},
		{"0153/23/02/22", nil},
		{"socio-sanitario", []int{2, 8, 10, 12}},
	}
	for _, tt := range tests {
		if got := h.Points(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("Points(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
}

func TestCaseInsensitive(t *testing.T) {
	h := Italian()
	for _, w := range texWords {
		w = strings.ToLower(strings.ReplaceAll(w, "-", ""))
		lower := h.Points(w)
		for _, v := range []string{strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			if got := h.Points(v); !slices.Equal(got, lower) {
				t.Errorf("Points(%q) = %v, want %v as for %q", v, got, lower, w)
			}
		}
	}
}

func TestMinima(t *testing.T) {
	pats := Italian()
	data := "1ba 1ca 1da 1fa"
	h, err := New(data, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Hyphenate("abacadafa"); got != "a-ba-ca-dafa" {
		t.Errorf("leftMin=1 rightMin=3: got %q", got)
	}
	h, err = New(data, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Hyphenate("abacadafa"); got != "aba-ca-da-fa" {
		t.Errorf("leftMin=3 rightMin=1: got %q", got)
	}
	if got := pats.Hyphenate("aceto"); got != "ace-to" {
		t.Errorf("Italian aceto: got %q", got)
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name     string
		patterns string
		l, r     int
	}{
		{"empty", "", 2, 2},
		{"only comments", "% nothing here\n", 2, 2},
		{"digits only", "a1b 12", 2, 2},
		{"two digits in a row", "a12b", 2, 2},
		{"left min zero", "1ba", 0, 2},
		{"right min negative", "1ba", 2, -1},
	}
	for _, tt := range tests {
		if _, err := New(tt.patterns, tt.l, tt.r); err == nil {
			t.Errorf("%s: New(%q, %d, %d) succeeded, want error", tt.name, tt.patterns, tt.l, tt.r)
		}
	}
	h, err := New("% comment\n1ba  1CA % trailing comment\n\t1da\n", 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Hyphenate("abacada"); got != "a-ba-ca-da" {
		t.Errorf("comments and upper-case patterns: got %q", got)
	}
}

// TestTrieSize checks that New sizes its tables to the trie exactly: one
// node per distinct prefix of the patterns (the root being the empty one),
// every node reached, whatever the order, the accents or the repetitions.
func TestTrieSize(t *testing.T) {
	it, err := assets.FS.ReadFile("hyph/hyph-it.pat.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, patterns := range []string{
		string(it),
		"1ba 1ca",
		"b1a b2a 1bab ab1 2à1 àè ä1 1àa Àb ì2ì 1b",
		"zz1z 1z z2 1za1b zab",
	} {
		h, err := New(patterns, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		prefixes := map[string]bool{"": true}
		for _, tok := range strings.Fields(patterns) {
			var b strings.Builder
			for _, r := range tok {
				if r < '0' || r > '9' {
					b.WriteRune(unicode.ToLower(r))
					prefixes[b.String()] = true
				}
			}
		}
		nodes := len(h.trans) / h.nsym
		if nodes != len(prefixes) || len(h.voff) != nodes || len(h.vlen) != nodes {
			t.Errorf("%.20q: %d nodes (%d, %d), want %d", patterns, nodes, len(h.voff), len(h.vlen), len(prefixes))
		}
		reached := make([]bool, nodes)
		reached[0] = true
		for _, c := range h.trans {
			reached[c] = true
		}
		if i := slices.Index(reached, false); i >= 0 {
			t.Errorf("%.20q: node %d is never reached", patterns, i)
		}
	}
}

func TestExceptions(t *testing.T) {
	base := Italian()
	h, err := base.WithExceptions([]string{"coo-pe-ra", "ANCI", "Sici-lia", "a-ra-bo", "cit-ta\u0300"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ word, want string }{
		{"coopera", "coo-pe-ra"},
		{"COOPERA", "COO-PE-RA"},
		{"Coopera", "Coo-pe-ra"},
		{"anci", "anci"},
		{"Sicilia", "Sici-lia"},
		{"dell'ANCI", "dell'ANCI"},
		{"arabo", "ara-bo"},                  // the minima still hold
		{"città", "cit-tà"},                  // composed and decomposed forms are one key
		{"cooperazione", "coo-pe-ra-zio-ne"}, // only whole words match
		{"socio-coopera", "so-cio-coo-pe-ra"},
	}
	for _, tt := range tests {
		if got := h.Hyphenate(tt.word); got != tt.want {
			t.Errorf("Hyphenate(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	// The receiver is untouched.
	if got := base.Hyphenate("sicilia"); got != "si-ci-lia" {
		t.Errorf("base changed: %q", got)
	}
	// Layering keeps the earlier exceptions.
	h2, err := h.WithExceptions([]string{"pa-lermo"})
	if err != nil {
		t.Fatal(err)
	}
	if got := h2.Hyphenate("coopera") + " " + h2.Hyphenate("palermo"); got != "coo-pe-ra pa-lermo" {
		t.Errorf("layered exceptions: %q", got)
	}
	for _, bad := range []string{"", "-coo", "coo-", "co--pe", "dell'aria", "anci2", "αβγ", " - "} {
		if _, err := base.WithExceptions([]string{bad}); err == nil {
			t.Errorf("WithExceptions(%q) succeeded, want error", bad)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		word          string
		k             int
		before, after string
	}{
		{"conferenza", 3, "con-", "ferenza"},
		{"coo\u00ADpe\u00ADra", 4, "coo-", "pera"},
		{"coo\u00ADpe\u00ADra", 7, "coope-", "ra"},
		{"città", 3, "cit-", "tà"},
		{"città", 0, "", "città"},
		{"città", 5, "città", ""},
	}
	for _, tt := range tests {
		b, a := Split(tt.word, tt.k)
		if b != tt.before || a != tt.after {
			t.Errorf("Split(%q, %d) = %q, %q; want %q, %q", tt.word, tt.k, b, a, tt.before, tt.after)
		}
	}
}

func TestItalianShared(t *testing.T) {
	first, second := Italian(), Italian()
	if first != second {
		t.Error("Italian() built twice")
	}
}

func TestConcurrent(t *testing.T) {
	h, err := Italian().WithExceptions([]string{"coo-pe-ra"})
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields(paragraph)
	want := make([]string, len(words))
	for i, w := range words {
		want[i] = h.Hyphenate(w)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i, w := range words {
				if got := h.Hyphenate(w); got != want[i] {
					t.Errorf("concurrent Hyphenate(%q) = %q, want %q", w, got, want[i])
				}
			}
		})
	}
	wg.Wait()
}

func TestAppendPointsNoAlloc(t *testing.T) {
	h := Italian()
	words := strings.Fields(paragraph)
	dst := make([]int, 0, 64)
	allocs := testing.AllocsPerRun(20, func() {
		for _, w := range words {
			dst = h.AppendPoints(dst[:0], w)
		}
	})
	if allocs != 0 {
		t.Errorf("AppendPoints allocates %.1f times per paragraph, want 0", allocs)
	}
}

// paragraph is adapted from the seed convocation letters.
const paragraph = `Vi invito a partecipare al Tavolo Tecnico tra i Referenti del
Coordinamento dei Comuni Siciliani aderenti al SAI che si svolgerà, mercoledì 2
marzo 2022 alle ore 15:00, in videoconferenza. Durante l'incontro verrà
illustrata l'esperienza del Coordinamento dei Progetti SAI della provincia di
Brescia, un modello di rete che funziona dal 2016, con gli interventi del
dott. Antonio Tedeschi, Referente per gli Enti locali del Coordinamento e
Consigliere delegato all'Accoglienza e l'Integrazione del Comune di
Collebeato. Vi informo che la richiesta di iscrizione dovrà avvenire previa
registrazione al sito https://www.anci.sicilia.it/iscrizioni (prot. n.
0153/23/02/22); l'amministrazione socio-sanitaria garantirà la partecipazione
delle università e delle associazioni del territorio.`

func BenchmarkPoints(b *testing.B) {
	h := Italian()
	words := strings.Fields(paragraph)
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			_ = h.Points(w)
		}
	}
}

func BenchmarkAppendPoints(b *testing.B) {
	h := Italian()
	words := strings.Fields(paragraph)
	dst := make([]int, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			dst = h.AppendPoints(dst[:0], w)
		}
	}
}

func FuzzPoints(f *testing.F) {
	for _, w := range texWords {
		f.Add(strings.ReplaceAll(w, "-", ""))
	}
	for _, w := range strings.Fields(paragraph) {
		f.Add(w)
	}
	f.Add("coo\u00ADpe\u00ADra")
	f.Add("dell'a\u0300ria")
	f.Add("a-b'c-d’e")
	h := Italian()
	f.Fuzz(func(t *testing.T, word string) {
		pts := h.Points(word)
		n := utf8.RuneCountInString(word)
		rs := []rune(word)
		soft := strings.ContainsRune(word, softHyphen)
		for i, k := range pts {
			if i > 0 && k <= pts[i-1] {
				t.Fatalf("Points(%q) = %v: not ascending", word, pts)
			}
			if k < h.leftMin || k > n-h.rightMin {
				t.Fatalf("Points(%q) = %v: %d outside [%d, %d]", word, pts, k, h.leftMin, n-h.rightMin)
			}
			if !soft && (isApostrophe(rs[k-1]) || isApostrophe(rs[k]) || isHyphen(rs[k-1]) || isHyphen(rs[k])) {
				t.Fatalf("Points(%q) = %v: break at %d next to an apostrophe or hyphen", word, pts, k)
			}
		}
		// Sentence punctuation around the word is allowed; inside it, these
		// characters mean a URL, an address or a number.
		core := strings.TrimRight(strings.TrimLeft(word, leadingPunct), trailingPunct)
		if !soft && strings.ContainsAny(core, "0123456789@/:._=&") && len(pts) > 0 {
			t.Fatalf("Points(%q) = %v, want none", word, pts)
		}
		_ = h.Hyphenate(word)
	})
}

// BenchmarkNew is the Italian patterns' parse, done once at every start.
func BenchmarkNew(b *testing.B) {
	data, err := assets.FS.ReadFile("hyph/hyph-it.pat.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(string(data), 2, 2); err != nil {
			b.Fatal(err)
		}
	}
}
