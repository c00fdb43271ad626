package compose_test

// Golden files: the composed text of every document in data/, as Markdown
// and as the blocks the typesetter receives. A change to a template, a
// helper or the data shows up here as a readable diff; after an intended
// change, rewrite them with
//
//	go test ./cmd/coopera/internal/compose -run Golden -update

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/templates"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.golden with the current output")

const goldenDir = "testdata/golden"

// goldenData is the repository's data folder.
func goldenData(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "data"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// composeAll composes every document of data/ the way coopera would: a
// letter for a meeting with its protocol number, a draft for one without,
// nothing for a historical record that lacks what a letter needs, and
// every press release. The map is keyed by golden file stem.
func composeAll(t *testing.T) map[string]*compose.Document {
	t.Helper()
	dir := goldenData(t)
	prof, probs := model.LoadProfile(filepath.Join(dir, model.ProfileName), model.Options{})
	if probs.Err() != nil {
		t.Fatalf("profile: %v", probs)
	}
	docs := map[string]*compose.Document{}
	meetings, _ := filepath.Glob(filepath.Join(dir, "tavoli", "*.yaml"))
	if len(meetings) == 0 {
		t.Fatal("no meeting files in data/tavoli")
	}
	for _, path := range meetings {
		m, probs := model.LoadMeeting(path, prof, model.Options{})
		if probs.Err() != nil {
			t.Fatalf("%s: %v", path, probs)
		}
		if len(m.MissingForLetter()) > 0 {
			continue
		}
		doc, err := compose.ComposeLetter(m, prof, compose.Options{Templates: templates.FS, Draft: m.Protocol == nil})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs["tavoli_"+strings.TrimSuffix(filepath.Base(path), ".yaml")] = doc
	}
	releases, _ := filepath.Glob(filepath.Join(dir, "comunicati", "*.yaml"))
	if len(releases) == 0 {
		t.Fatal("no press-release files in data/comunicati")
	}
	for _, path := range releases {
		r, probs := model.LoadRelease(path, prof, model.Options{})
		if probs.Err() != nil {
			t.Fatalf("%s: %v", path, probs)
		}
		doc, err := compose.ComposeRelease(r, prof, compose.Options{Templates: templates.FS})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs["comunicati_"+strings.TrimSuffix(filepath.Base(path), ".yaml")] = doc
	}
	return docs
}

func TestGolden(t *testing.T) {
	docs := composeAll(t)
	for _, must := range []string{"tavoli_2022-03-02-tavolo-3", "tavoli_2022-01-31-tavolo-2", "comunicati_2022-01-25-tavolo-2"} {
		if docs[must] == nil {
			t.Errorf("the seed document %s was not composed", must)
		}
	}
	want := map[string]bool{}
	for stem, doc := range docs {
		want[stem+".md.golden"] = true
		want[stem+".blocks.golden"] = true
		t.Run(stem, func(t *testing.T) {
			checkGolden(t, stem+".md.golden", doc.Markdown)
			checkGolden(t, stem+".blocks.golden", DumpDocument(doc))
		})
	}
	// A golden file whose document is gone is stale: it would hide that
	// a document stopped rendering.
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.golden"))
	for _, f := range files {
		if !want[filepath.Base(f)] {
			if *update {
				os.Remove(f)
				continue
			}
			t.Errorf("%s has no document any more (run with -update to remove it)", f)
		}
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the composed text (run with -update after an intended change):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first lines that differ, enough to see what changed.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(wl), len(gl)) && shown < 8; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n  want: %q\n  got:  %q\n", i+1, w, g)
			shown++
		}
	}
	return b.String()
}

var kindNames = map[compose.BlockKind]string{
	compose.Paragraph: "paragrafo",
	compose.Heading:   "titolo",
	compose.ListItem:  "elenco",
}

// DumpDocument writes what the typesetter receives, one block per line:
// role, kind (with level), then the runs with their style marked
// (**bold**, _italic_, [text](link), ⏎ for a hard break).
func DumpDocument(doc *compose.Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tipo: %s\nfile: %s\nprotocollo: %s\nbozza: %v\n", doc.Kind, doc.FileName, doc.Protocol, doc.Draft)
	fmt.Fprintf(&b, "titolo: %s\noggetto: %s\nautore: %s\nparole chiave: %s\ndata: %s\n",
		doc.Meta.Title, doc.Meta.Subject, doc.Meta.Author, strings.Join(doc.Meta.Keywords, "; "), doc.Meta.Date.Format("2006-01-02"))
	b.WriteString("---\n")
	for _, bl := range doc.Blocks {
		kind := kindNames[bl.Kind]
		if bl.Level > 0 {
			kind += fmt.Sprint(bl.Level)
		}
		fmt.Fprintf(&b, "%s %s: %s\n", bl.Role, kind, DumpRuns(bl.Runs))
	}
	return b.String()
}

// DumpRuns marks each run's style and link.
func DumpRuns(runs []compose.Run) string {
	var b strings.Builder
	for _, r := range runs {
		s := r.Text
		if r.Style&compose.Italic != 0 {
			s = "_" + s + "_"
		}
		if r.Style&compose.Bold != 0 {
			s = "**" + s + "**"
		}
		if r.Link != "" {
			s = "[" + s + "](" + r.Link + ")"
		}
		if r.Break {
			s += "⏎"
		}
		b.WriteString(s)
	}
	return b.String()
}

func TestDumpRuns(t *testing.T) {
	runs := []compose.Run{
		{Text: "Oggetto:", Style: compose.Bold},
		{Text: " testo "},
		{Text: "corsivo", Style: compose.Italic, Break: true},
		{Text: "sito", Style: compose.Bold | compose.Italic, Link: "https://example.it"},
	}
	want := "**Oggetto:** testo _corsivo_⏎[**_sito_**](https://example.it)"
	if got := DumpRuns(runs); got != want {
		t.Errorf("DumpRuns = %q, want %q", got, want)
	}
}

// TestGoldenCoversData makes sure every renderable file of data/ has a
// golden document, so that a new meeting file is not silently left out.
func TestGoldenCoversData(t *testing.T) {
	dir := goldenData(t)
	docs := composeAll(t)
	var missing []string
	for _, sub := range []string{"tavoli", "comunicati"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*.yaml"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(data), "\nstorico: true") || strings.HasPrefix(string(data), "storico: true") {
				continue
			}
			stem := sub + "_" + strings.TrimSuffix(filepath.Base(f), ".yaml")
			if docs[stem] == nil {
				missing = append(missing, stem)
			}
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("files of data/ without a golden document: %v", missing)
	}
}
