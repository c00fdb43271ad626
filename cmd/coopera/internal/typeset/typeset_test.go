package typeset_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
	"github.com/ancisicilia/coopera/templates"
)

const dataDir = "../../../../data"

// tempData copies the profile and logos into a temporary data folder and
// writes the given meeting files into its tavoli/ folder.
func tempData(t testing.TB, meetings map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, filepath.Join(dataDir, "progetto.yaml"), filepath.Join(dir, "progetto.yaml"))
	os.MkdirAll(filepath.Join(dir, "loghi"), 0o755)
	logos, _ := filepath.Glob(filepath.Join(dataDir, "loghi", "*.png"))
	for _, l := range logos {
		copyFile(t, l, filepath.Join(dir, "loghi", filepath.Base(l)))
	}
	os.MkdirAll(filepath.Join(dir, "tavoli"), 0o755)
	for name, body := range meetings {
		if err := os.WriteFile(filepath.Join(dir, "tavoli", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func env() *pipeline.Env { return &pipeline.Env{Templates: templates.FS, Version: "test"} }

// longMeeting has 40 speakers and a long text: three pages or more.
func longMeeting() string {
	var b strings.Builder
	b.WriteString("tavolo: 12\ntitolo: \"Accoglienza integrata e servizi sanitari territoriali: un confronto tra i Comuni della rete SAI\"\n")
	b.WriteString("data: 2026-12-10\nora: \"09:30-13:00\"\nmodalita: mista\nsede:\n  nome: Sala delle Lapidi\n  indirizzo: Piazza Pretoria 1\n  citta: Palermo\n")
	b.WriteString("collegamento: https://meet.example.it/coopera-tavolo-12\nprotocollo:\n  numero: 912\n  data: 2026-11-30\n")
	b.WriteString("coordinatore:\n  titolo: dott.ssa\n  nome: Giulia Ferrante\n  ruolo: Responsabile del Servizio Politiche sociali\n")
	b.WriteString("relatori:\n")
	titles := []string{"dott.", "dott.ssa", "prof.", "prof.ssa", "avv.", "ing."}
	for i := range 40 {
		fmt.Fprintf(&b, "  - titolo: %s\n    nome: Relatore Numero%d Cognomelunghissimo\n    ruolo: Referente dell'amministrazione comunale per l'integrazione e l'accoglienza dei cittadini di Paesi terzi\n    ente: Comune di Caltanissetta\n", titles[i%len(titles)], i+1)
	}
	b.WriteString("testo: |\n")
	para := "L'incontro approfondirà le condizioni organizzative, amministrative e finanziarie che permettono ai Comuni di coordinare i progetti di accoglienza con i servizi sanitari, sociali ed educativi del territorio, con particolare attenzione alla presa in carico delle persone vulnerabili, alla mediazione linguistico-culturale e alla formazione degli operatori. "
	for range 6 {
		b.WriteString("  " + strings.Repeat(para, 2) + "\n\n")
	}
	b.WriteString("note: |\n  L'accesso alla sala è consentito fino ad esaurimento dei posti disponibili; si raccomanda la puntualità.\n")
	b.WriteString("allegati:\n  - Scheda di adesione al Coordinamento\n  - Programma dettagliato\n")
	return b.String()
}

func TestLongLetterFlowsAndPagesAreNumbered(t *testing.T) {
	dir := tempData(t, map[string]string{"lungo.yaml": longMeeting()})
	out, err := env().Letter(filepath.Join(dir, "tavoli", "lungo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if out.Pages < 3 {
		t.Fatalf("pages = %d, want >= 3 for 40 speakers and a long text", out.Pages)
	}
	text := pdfText(t, out.PDF)
	if text == "" {
		return
	}
	for p := 2; p <= out.Pages; p++ {
		want := fmt.Sprintf("Pagina %d di %d", p, out.Pages)
		if !strings.Contains(text, want) {
			t.Errorf("missing %q", want)
		}
		if !strings.Contains(pageText(t, out.PDF, p), "Prot. n. 0912/30/11/26") {
			t.Errorf("page %d lacks the protocol number in its header", p)
		}
	}
	// The signature is never alone at the top of a page: the greeting is
	// on the same page.
	last := pageText(t, out.PDF, out.Pages)
	sigPage := out.Pages
	if !strings.Contains(last, "Mario Emanuele Alvano") {
		sigPage = out.Pages - 1
	}
	if !strings.Contains(pageText(t, out.PDF, sigPage), "cordiali saluti") {
		t.Errorf("the signature on page %d is separated from the greeting", sigPage)
	}
}

func TestQualityOfEveryDocument(t *testing.T) {
	var all typeset.Stats
	docs := renderableDocs(t)
	dir := tempData(t, map[string]string{"lungo.yaml": longMeeting()})
	docs = append(docs, composeLetter(t, filepath.Join(dir, "tavoli", "lungo.yaml"), false))
	for _, doc := range docs {
		res, err := typeset.Render(doc, typeset.Options{Version: "test"})
		if err != nil {
			t.Fatalf("%s: %v", doc.Source, err)
		}
		all.Merge(res.Stats)
	}
	t.Logf("%d documents: lines %d (justified %d), max edge error %.4f pt, spaces min %.2f mean %.2f max %.2f, loose before an address %d (max %.2f), hyphenated %d, max run %d, overfull %d",
		len(docs), all.Lines, all.JustifiedLines, all.MaxEdgeError, all.MinSpaceRatio, all.MeanSpaceRatio(), all.MaxSpaceRatio,
		all.LooseBeforeAddress, all.MaxAddressSpaceRatio, all.HyphenatedLines, all.MaxHyphenRun, all.OverfullLines)
	if all.JustifiedLines < 50 {
		t.Fatalf("only %d justified lines measured", all.JustifiedLines)
	}
	if all.MaxEdgeError > 0.1 {
		t.Errorf("a justified line misses the margin by %.3f pt (> 0.1)", all.MaxEdgeError)
	}
	if all.OverfullLines > 0 {
		t.Errorf("%d overfull lines (by up to %.2f pt)", all.OverfullLines, all.MaxOverfull)
	}
	if all.MaxHyphenRun > 2 {
		t.Errorf("%d consecutive hyphenated lines (at most 2)", all.MaxHyphenRun)
	}
	if all.MinSpaceRatio < 0.66 || all.MaxSpaceRatio > 1.65 {
		t.Errorf("inter-word spaces from %.2f to %.2f of normal, want within [0.66, 1.65]: the tolerance of 200 allows 1.63", all.MinSpaceRatio, all.MaxSpaceRatio)
	}
	// The registration paragraph ("... al sito http://www.anci.sicilia.it/
	// iscrizioni.") is the one place where an address kept whole forces a
	// loose line; each letter has at most one such line.
	if all.LooseBeforeAddress > len(docs) {
		t.Errorf("%d loose lines before an address in %d documents", all.LooseBeforeAddress, len(docs))
	}
}

func TestWordLongerThanTheLineNeverOverflows(t *testing.T) {
	long := strings.Repeat("Precipitevolissimevolmente", 8)
	m := "titolo: Prova\ndata: 2026-12-10\nora: \"15:00-17:00\"\nmodalita: videoconferenza\nprotocollo: {numero: 5, data: 2026-12-01}\n" +
		"testo: |\n  Codice di accesso " + long + " e link https://example.it/" + strings.Repeat("abcdefghij", 15) + " da copiare.\n"
	dir := tempData(t, map[string]string{"m.yaml": m})
	doc := composeLetter(t, filepath.Join(dir, "tavoli", "m.yaml"), false)
	res, err := typeset.Render(doc, typeset.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.OverfullLines != 0 {
		t.Fatalf("%d overfull lines, by up to %.1f pt", res.Stats.OverfullLines, res.Stats.MaxOverfull)
	}
	if text := pdfText(t, res.PDF); text != "" && !strings.Contains(strings.Join(strings.Fields(text), ""), long) {
		t.Errorf("the long word is not intact in the text")
	}
}

func TestEveryScriptPrints(t *testing.T) {
	names := []string{"Ольга Петрова", "Γιώργος Παπαδόπουλος", "Łukasz Wąsowski", "Ștefan Țăranu", "Zoë Müller-Ñúñez"}
	var b strings.Builder
	b.WriteString("titolo: \"Prova di scritture: “virgolette” – trattini — euro € e 1ª volta\"\ndata: 2026-12-10\nora: \"15:00-17:00\"\nmodalita: videoconferenza\nprotocollo: {numero: 6, data: 2026-12-01}\nrelatori:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  - nome: %s\n    genere: f\n", n)
	}
	dir := tempData(t, map[string]string{"m.yaml": b.String()})
	out, err := env().Letter(filepath.Join(dir, "tavoli", "m.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, out.PDF)
	if text == "" {
		return
	}
	for _, n := range append(names, "“virgolette”", "€", "1ª") {
		if !strings.Contains(text, n) {
			t.Errorf("%q not found in the PDF's text", n)
		}
	}
}

func TestCharacterNoFontHasIsReported(t *testing.T) {
	m := "titolo: Prova 🎉\ndata: 2026-12-10\nora: \"15:00-17:00\"\nmodalita: videoconferenza\n"
	dir := tempData(t, map[string]string{"m.yaml": m})
	_, err := env().Letter(filepath.Join(dir, "tavoli", "m.yaml"))
	if err == nil {
		t.Fatal("an emoji was accepted")
	}
	if !regexp.MustCompile(`m\.yaml:1:15: titolo: .*🎉.*U\+1F389`).MatchString(err.Error()) {
		t.Errorf("message does not name file, line, key and character: %v", err)
	}
}

func TestCoverage(t *testing.T) {
	c := typeset.Coverage{}
	for _, r := range "aàÈÉÌÒÙçºª“”’–—€ЖΩłșț" {
		if !c.Has(r) {
			t.Errorf("%q should be printable", r)
		}
	}
	// U+1D538 (double-struck A) is in DejaVu, but beyond the BMP, which the
	// character maps the typesetter reads (format 4) do not cover.
	for _, r := range "🎉\U0001F9E0\U0001D538" {
		if c.Has(r) {
			t.Errorf("%q should not be printable", r)
		}
	}
}

func renderableDocs(t testing.TB) []*compose.Document {
	var docs []*compose.Document
	files, _ := filepath.Glob(filepath.Join(dataDir, "tavoli", "*.yaml"))
	for _, f := range files {
		prof, _ := env().ProfileFor(f)
		m, probs := model.LoadMeeting(f, prof, model.Options{})
		if probs.Err() != nil || len(m.MissingForLetter()) > 0 {
			continue
		}
		docs = append(docs, composeLetter(t, f, m.Protocol == nil))
	}
	rel, _ := filepath.Glob(filepath.Join(dataDir, "comunicati", "*.yaml"))
	for _, f := range rel {
		prof, _ := env().ProfileFor(f)
		r, probs := model.LoadRelease(f, prof, model.Options{})
		if probs.Err() != nil {
			t.Fatal(probs)
		}
		doc, err := compose.ComposeRelease(r, prof, compose.Options{Templates: templates.FS})
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
	}
	if len(docs) < 3 {
		t.Fatalf("only %d documents in data/", len(docs))
	}
	return docs
}

func composeLetter(t testing.TB, path string, draft bool) *compose.Document {
	t.Helper()
	e := env()
	prof, probs := e.ProfileFor(path)
	if probs.Err() != nil {
		t.Fatal(probs)
	}
	m, probs := model.LoadMeeting(path, prof, model.Options{Coverage: typeset.Coverage{}})
	if probs.Err() != nil {
		t.Fatal(probs)
	}
	doc, err := compose.ComposeLetter(m, prof, compose.Options{Templates: templates.FS, Draft: draft})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// pdfText extracts the text with pdftotext; "" (and a skip note) when the
// tool is missing.
func pdfText(t testing.TB, pdf []byte) string {
	return pageText(t, pdf, 0)
}

func pageText(t testing.TB, pdf []byte, page int) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed: text checks skipped")
		return ""
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(f, pdf, 0o644)
	args := []string{}
	if page > 0 {
		args = append(args, "-f", fmt.Sprint(page), "-l", fmt.Sprint(page))
	}
	out, err := exec.Command("pdftotext", append(args, f, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func BenchmarkRenderLetter(b *testing.B) {
	doc := composeLetter(b, filepath.Join(dataDir, "tavoli", "2022-03-02-tavolo-3.yaml"), false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := typeset.Render(doc, typeset.Options{Version: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQuality reports the typesetting figures of every document in
// data/ and the long test meeting as benchmark metrics (make bench).
func BenchmarkQuality(b *testing.B) {
	docs := renderableDocs(b)
	dir := tempData(b, map[string]string{"lungo.yaml": longMeeting()})
	docs = append(docs, composeLetter(b, filepath.Join(dir, "tavoli", "lungo.yaml"), false))
	var all typeset.Stats
	for b.Loop() {
		all = typeset.Stats{}
		for _, d := range docs {
			res, err := typeset.Render(d, typeset.Options{Version: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			all.Merge(res.Stats)
		}
	}
	b.ReportMetric(all.MaxEdgeError, "edge-err-pt")
	b.ReportMetric(all.MaxSpaceRatio, "space-max")
	b.ReportMetric(all.MeanSpaceRatio(), "space-mean")
	b.ReportMetric(float64(all.HyphenatedLines), "hyph-lines")
	b.ReportMetric(float64(all.MaxHyphenRun), "hyph-run")
	b.ReportMetric(float64(all.JustifiedLines), "just-lines")
}
