package issue

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/ancisicilia/coopera/templates"
)

// rewriteJournal rebuilds data/registro-protocollo.txt: its header, then
// "coopera protocollo registra" of the seed letter. Its own name, not
// -update, so that refreshing the reproducibility hashes never rewrites an
// issued letter's impronta by accident. Once the journal is committed its
// lines are a record: do not use this flag then (see TestSeedJournal).
var rewriteJournal = flag.Bool("rewrite-journal", false, "rebuild data/registro-protocollo.txt (only before it is first committed)")

// seedVersion is the producer version of every development build ("go run",
// "make build" off a release tag): none. The seed letter's impronta was
// computed with it.
const seedVersion = ""

var seedLetters = []string{"tavoli/2022-03-02-tavolo-3.yaml"}

// TestSeedJournal checks the journal of data/: intact, the seed numbers in
// it, each issued letter re-rendering to its impronta. It fails when the
// templates or the typesetting change the seed letter: an issued letter's
// impronta never changes silently. Before the journal is first committed,
// refresh it with
//
//	go test ./cmd/coopera/internal/issue -run TestSeedJournal -rewrite-journal
//
// After that, a failure here means the letter no longer renders as issued:
// the issued PDF (the archive's copy) is the record, and the test is to be
// changed to expect the difference, never the journal.
func TestSeedJournal(t *testing.T) {
	env := &pipeline.Env{Templates: templates.FS, Version: seedVersion}
	path := filepath.Join(repoData, "registro-protocollo.txt")
	if *rewriteJournal {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var header strings.Builder
		for _, l := range strings.SplitAfter(string(raw), "\n") {
			if !strings.HasPrefix(l, "#") {
				break
			}
			header.WriteString(l)
		}
		if err := os.WriteFile(path, []byte(header.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, s := range seedLetters {
			res, err := Record(filepath.Join(repoData, filepath.FromSlash(s)), Options{Env: env, OutDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s impronta %s", s, res.Formatted, res.Issued.PDFSHA256)
		}
	}
	prof := profile(t, repoData)
	if prof.Protocol.Managed {
		t.Fatal("data/progetto.yaml: the seeds' numbers come from ANCI Sicilia's register (gestione: esterna)")
	}
	r := mustRead(t, path)
	for _, s := range seedLetters {
		h := r.BySource(s)
		if len(h) != 2 || h[0].Kind != register.Registered || h[1].Kind != register.Issued {
			t.Errorf("%s: journal entries %+v, want registrato and emesso", s, h)
		}
	}
	if e, ok := r.Lookup(2022, 153); !ok || e.Formatted != "0153/23/02/22" || e.Date.Format("2006-01-02") != "2022-02-23" {
		t.Errorf("0153 of 2022: %+v", e)
	}
	// 0440 stays out: its day is not known (see the journal's header).
	if _, ok := r.Lookup(2022, 440); ok {
		t.Error("0440 is in the journal without a known date")
	}
	rep, err := Verify(VerifyOptions{Env: env, Profile: prof})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if !f.Note {
			t.Errorf("%s", f)
		}
	}
	if rep.Issued != len(seedLetters) {
		t.Errorf("%d letters issued, want %d", rep.Issued, len(seedLetters))
	}
	if t.Failed() {
		t.Log("if templates or typesetting changed before the journal was committed: go test ./cmd/coopera/internal/issue -run TestSeedJournal -rewrite-journal")
	}
}
