package compose

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// titleSpec is what tieTitles does, as a regular expression: the code
// scans by hand because this expression was a tenth of a letter's time.
var titleSpec = regexp.MustCompile(`(?i)\b(dott\.ssa|prof\.ssa|sig\.ra|dott\.|prof\.|avv\.|ing\.|on\.|sig\.|arch\.|geom\.|rag\.|mons\.|sen\.|n\.|nn\.|art\.|prot\.|p\.v\.) +`)

func TestTieTitlesMatchesSpec(t *testing.T) {
	cases := []string{
		"", "dott. Rossi", "Dott.ssa  Bianchi e prof. Verdi", "Prot. n. 0153/23/02/22",
		"il sig.ra Rossi", "ANN. Rossi", "nn. 3 e 4", "p.v. incontro", "x_dott. Rossi",
		"3dott. Rossi", "àdott. Rossi", "dott.", "dott. ", "dott.\u00a0Rossi", "on. on. on. x",
		"l'avv. Neri, l'ing. Blu", "PROT. N. 12", "art. 5, comma 2", "dott.ssa. Rossi",
	}
	for _, c := range cases {
		if got, want := tieTitles(c), titleSpec.ReplaceAllString(c, "$1"+nbsp); got != want {
			t.Errorf("tieTitles(%q) = %q, want %q", c, got, want)
		}
	}
	// Random strings over the characters that matter.
	alphabet := []string{"d", "o", "t", ".", "s", "a", "n", "p", "r", "v", "i", "g", " ", " ", "D", "N", "P", "_", "1", "à", "\u00a0", "'", ",", "e", "c", "h", "m", "f"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		c := b.String()
		if got, want := tieTitles(c), titleSpec.ReplaceAllString(c, "$1"+nbsp); got != want {
			t.Fatalf("tieTitles(%q) = %q, want %q", c, got, want)
		}
	}
}

func BenchmarkPolish(b *testing.B) {
	src := "Il dott. Antonio Tedeschi e la dott.ssa Maddalena Alberti interverranno mercoledì 2 marzo 2022, ore 15:00, " +
		"sul tema dell'accoglienza. Prot. n. 0153/23/02/22. L'incontro si terrà in videoconferenza e il link sarà inviato prima."
	for b.Loop() {
		polish([]Block{{Runs: []Run{{Text: src}, {Text: src}}}}, true)
	}
}

func TestTypography(t *testing.T) {
	in := `L'intervento "Il SAI" del dott. Rossi, 2 marzo 2022 ore 15`
	if got, want := Typography(in, true), "L’intervento “Il SAI” del dott.\u00a0Rossi, 2\u00a0marzo\u00a02022 ore\u00a015"; got != want {
		t.Errorf("smart: %q, want %q", got, want)
	}
	if got, want := Typography(in, false), `L'intervento "Il SAI" del dott.`+"\u00a0Rossi, 2\u00a0marzo\u00a02022 ore\u00a015"; got != want {
		t.Errorf("plain: %q, want %q", got, want)
	}
}
