package typeset_test

// The closing never stands alone: letters built to overflow a page by an
// exact number of lines, counted by the typesetter itself, rendered by the
// whole pipeline and read back page by page with pdftotext.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
)

const closingStart = "In attesa di incontrarvi"

// overflowMeeting is a meeting file with the given number of speakers and
// the first words of a long text.
func overflowMeeting(speakers, words int) string {
	var b strings.Builder
	b.WriteString("tavolo: 9\ntitolo: \"Servizi sanitari e accoglienza: il lavoro di rete dei Comuni\"\n")
	b.WriteString("data: 2026-12-10\nora: \"15:00-17:00\"\nmodalita: videoconferenza\n")
	b.WriteString("protocollo:\n  numero: 412\n  data: 2026-11-30\n")
	b.WriteString("destinatari: Referenti del Coordinamento dei Comuni siciliani aderenti al SAI\nsaluto: \"Gentilissimi,\"\n")
	if speakers > 0 {
		b.WriteString("relatori:\n")
		for i := range speakers {
			fmt.Fprintf(&b, "  - titolo: dott.ssa\n    nome: Relatrice Numero%d\n    ruolo: Referente per l'integrazione del Comune di Enna\n", i+1)
		}
	}
	sentence := strings.Fields("Durante l'incontro i Comuni della rete presenteranno le esperienze di coordinamento tra i progetti di accoglienza e i servizi sanitari e sociali del territorio, con attenzione alla presa in carico delle persone più vulnerabili.")
	text := make([]string, words)
	for i := range text {
		text[i] = sentence[i%len(sentence)]
	}
	fmt.Fprintf(&b, "testo: |\n  %s\n", strings.Join(text, " "))
	return b.String()
}

// overflowing writes, into dir, the meeting whose letter, poured at its
// natural spacing, takes pages pages and puts exactly k lines on the last:
// the text grows a word at a time, and the typesetter counts the lines.
func overflowing(t *testing.T, dir string, speakers, pages, k int) string {
	t.Helper()
	path := filepath.Join(dir, "tavoli", fmt.Sprintf("r%d-p%d-k%d.yaml", speakers, pages, k))
	fill := func(words int) (int, int) {
		if err := os.WriteFile(path, []byte(overflowMeeting(speakers, words)), 0o644); err != nil {
			t.Fatal(err)
		}
		p, last, err := typeset.NaturalFill(composeLetter(t, path, false))
		if err != nil {
			t.Fatal(err)
		}
		return p, last
	}
	below := func(words int) bool {
		p, last := fill(words)
		return p < pages || p == pages && last < k
	}
	// The smallest text that reaches the target, by bisection: the count
	// of lines grows with the text.
	lo, hi := 1, 4000
	for lo < hi {
		mid := (lo + hi) / 2
		if below(mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if p, last := fill(lo); p != pages || last != k {
		t.Fatalf("no text gives %d speakers' letter %d pages with %d lines on the last (%d words: %d pages, %d lines)", speakers, pages, k, lo, p, last)
	}
	return path
}

// pdfPages is the page count pdfinfo reads, or -1 without pdfinfo.
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		return -1
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(f, pdf, 0o644)
	out, err := exec.Command("pdfinfo", f).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", out)
	}
	var n int
	fmt.Sscan(string(m[1]), &n)
	return n
}

// textLines are the page's lines of text but its header (the protocol
// number and "Pagina N di M") and the footer.
func textLines(page string) []string {
	var lines []string
	for l := range strings.SplitSeq(page, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "Prot. n.") || strings.HasPrefix(l, "Pagina ") {
			continue
		}
		if l == "ANCI SICILIA" {
			break
		}
		lines = append(lines, l)
	}
	return lines
}

// checkClosing asserts what the page with the closing carries: the
// greeting with the signature and, when it is not the first page, at least
// two lines of the body before the greeting.
func checkClosing(t *testing.T, pdf []byte, pages int) {
	t.Helper()
	for p := 1; p <= pages; p++ {
		lines := textLines(pageText(t, pdf, p))
		at := -1
		for i, l := range lines {
			if strings.HasPrefix(l, closingStart) {
				at = i
			}
		}
		if at < 0 {
			if p == pages {
				t.Errorf("the last page lacks the closing:\n%s", strings.Join(lines, "\n"))
			}
			continue
		}
		if p != pages {
			t.Errorf("the closing is on page %d of %d", p, pages)
		}
		rest := strings.Join(lines[at:], "\n")
		if !strings.Contains(rest, "Mario Emanuele Alvano") || !strings.Contains(rest, "Segretario Generale ANCI Sicilia") {
			t.Errorf("page %d: the signature is not with the closing:\n%s", p, rest)
		}
		if p > 1 && at < 2 {
			t.Errorf("page %d starts with %d body lines before the closing, want >= 2:\n%s", p, at, strings.Join(lines, "\n"))
		}
	}
}

func TestClosingNeverStandsAlone(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed")
	}
	tests := []struct {
		name            string
		speakers, pages int // the natural pages of the letter
		k               int // the lines its last page gets
		want            int // the pages of the rendered letter
	}{
		// A line or two too many: the letter fits on one page.
		{"overflow by 1 line", 2, 2, 1, 1},
		{"overflow by 2 lines", 2, 2, 2, 1},
		// Too many to give back: the closing takes body lines with it.
		{"overflow by 5 lines", 2, 2, 5, 2},
		{"overflow by 6 lines", 2, 2, 6, 2},
		// In between, either, as long as the closing is not alone.
		{"overflow by 3 lines", 2, 2, 3, 0},
		{"overflow by 4 lines", 2, 2, 4, 0},
		// 40 speakers, a last page of 1, 2 and 5 lines.
		{"40 speakers, overflow by 1 line", 40, 3, 1, 2},
		{"40 speakers, overflow by 2 lines", 40, 3, 2, 2},
		{"40 speakers, overflow by 3 lines", 40, 3, 3, 0},
		{"40 speakers, overflow by 4 lines", 40, 3, 4, 0},
		{"40 speakers, overflow by 5 lines", 40, 3, 5, 3},
	}
	dir := tempData(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := overflowing(t, dir, tt.speakers, tt.pages, tt.k)
			out, err := env().Letter(path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want > 0 && out.Pages != tt.want {
				t.Errorf("pages = %d, want %d", out.Pages, tt.want)
			}
			if n := pdfPages(t, out.PDF); n >= 0 && n != out.Pages {
				t.Errorf("pdfinfo counts %d pages, the pipeline %d", n, out.Pages)
			}
			checkClosing(t, out.PDF, out.Pages)
		})
	}
}

// The draft of the 2º Tavolo in data/ is such a letter: at its natural
// spacing its closing and signature alone would go to a second page.
func TestSeedDraftFitsOnOnePage(t *testing.T) {
	doc := composeLetter(t, filepath.Join(dataDir, "tavoli", "2022-01-31-tavolo-2.yaml"), true)
	if pages, last, err := typeset.NaturalFill(doc); err != nil || pages != 2 || last > 4 {
		t.Fatalf("natural fill: %d pages, %d lines on the last (%v); the test needs a letter a few lines too long", pages, last, err)
	}
	res, err := typeset.Render(doc, typeset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 1 {
		t.Errorf("pages = %d, want 1", res.Pages)
	}
	if text := pdfText(t, res.PDF); text != "" && !strings.Contains(text, closingStart) {
		t.Errorf("the closing is missing:\n%s", text)
	}
}
