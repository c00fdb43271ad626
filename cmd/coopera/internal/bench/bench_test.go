package bench_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdfa"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/typeset"
	"github.com/ancisicilia/coopera/templates"
)

// seed is the letter every peer sets too (Prot. n. 0153/23/02/22).
var (
	seed    = filepath.Join("..", "..", "..", "..", "data", "tavoli", "2022-03-02-tavolo-3.yaml")
	profile = filepath.Join("..", "..", "..", "..", "data", "progetto.yaml")
)

func opts() model.Options { return model.Options{Coverage: typeset.Coverage{}} }

func loadSeed(tb testing.TB) (*model.Profile, *model.Meeting) {
	tb.Helper()
	p, probs := model.LoadProfile(profile, opts())
	if err := probs.Err(); err != nil {
		tb.Fatal(err)
	}
	m, probs := model.LoadMeeting(seed, p, opts())
	if err := probs.Err(); err != nil {
		tb.Fatal(err)
	}
	return p, m
}

func composeSeed(tb testing.TB) *compose.Document {
	tb.Helper()
	p, m := loadSeed(tb)
	doc, err := compose.ComposeLetter(m, p, compose.Options{Templates: templates.FS})
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

func meta(doc *compose.Document) pdf.Meta {
	date := typeset.DocTime(doc.Meta.Date)
	return pdf.Meta{Title: doc.Meta.Title, Author: doc.Meta.Author, Subject: doc.Meta.Subject,
		Keywords: doc.Meta.Keywords, Creator: "coopera bench", Producer: "coopera bench",
		Lang: "it-IT", Created: date, Modified: date}
}

// TestSeedLetterIsValid keeps the benchmarks honest: what they time is a
// complete letter that passes the PDF/A checks.
func TestSeedLetterIsValid(t *testing.T) {
	out, err := (&pipeline.Env{Templates: templates.FS, Version: "bench"}).Letter(seed)
	if err != nil {
		t.Fatal(err)
	}
	if out.Pages != 1 {
		t.Errorf("pages = %d, want 1", out.Pages)
	}
	if probs := pdfa.Check(out.PDF); len(probs) > 0 {
		t.Errorf("the seed letter fails PDF/A checks: %v", probs)
	}
	t.Logf("seed letter: %d bytes", len(out.PDF))
}

func BenchmarkLoadProfile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, probs := model.LoadProfile(profile, opts()); probs.Err() != nil {
			b.Fatal(probs)
		}
	}
}

func BenchmarkLoadMeeting(b *testing.B) {
	p, _ := loadSeed(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, probs := model.LoadMeeting(seed, p, opts()); probs.Err() != nil {
			b.Fatal(probs)
		}
	}
}

func BenchmarkCompose(b *testing.B) {
	p, m := loadSeed(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compose.ComposeLetter(m, p, compose.Options{Templates: templates.FS}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTypeset(b *testing.B) {
	doc := composeSeed(b)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		res, err := typeset.Render(doc, typeset.Options{Version: "bench", Meta: meta(doc)})
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.PDF)
	}
	b.ReportMetric(float64(n), "pdf-bytes")
}

func BenchmarkPDFACheck(b *testing.B) {
	out, err := (&pipeline.Env{Templates: templates.FS, Version: "bench"}).Letter(seed)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if probs := pdfa.Check(out.PDF); len(probs) > 0 {
			b.Fatal(probs)
		}
	}
}

// BenchmarkPipeline is one letter in memory as a single run makes it: a
// fresh Env (the profile is loaded again), the process-wide font and image
// caches warm.
func BenchmarkPipeline(b *testing.B) {
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out, err := (&pipeline.Env{Templates: templates.FS, Version: "bench"}).Letter(seed)
		if err != nil {
			b.Fatal(err)
		}
		n = len(out.PDF)
	}
	b.ReportMetric(float64(n), "pdf-bytes")
}

// BenchmarkPipelineParallel is a batch (archivio): one Env shared by all
// goroutines, one per core.
func BenchmarkPipelineParallel(b *testing.B) {
	env := &pipeline.Env{Templates: templates.FS, Version: "bench"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := env.Letter(seed); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	out, err := (&pipeline.Env{Templates: templates.FS, Version: "bench"}).Letter(seed)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), out.Name)
	b.ReportAllocs()
	b.SetBytes(int64(len(out.PDF)))
	for b.Loop() {
		if err := atomicfile.Write(path, out.PDF); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := os.Stat(path); err != nil {
		b.Fatal(err)
	}
}

// TestEveryDocumentKeepsItsGlyphs guards the compact text writer: every
// character drawn must be in its font's subset (PDF/A 6.2.11.8, which
// pdfa.Check verifies through the CIDToGIDMap) in every document of data/.
func TestEveryDocumentKeepsItsGlyphs(t *testing.T) {
	env := &pipeline.Env{Templates: templates.FS, Version: "bench", Draft: true}
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "..", "data", "*", "*.yaml"))
	n := 0
	for _, f := range files {
		var out *pipeline.Output
		var err error
		if pipeline.Kind(f) == compose.Release {
			out, err = env.PressRelease(f)
		} else {
			out, err = env.Letter(f)
		}
		if err != nil {
			continue // historical meetings that miss facts
		}
		n++
		if probs := pdfa.Check(out.PDF); len(probs) > 0 {
			t.Errorf("%s: %v", f, probs)
		}
	}
	if n < 3 {
		t.Fatalf("only %d documents rendered", n)
	}
}
