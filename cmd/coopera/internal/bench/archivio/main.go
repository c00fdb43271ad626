// Command archivio times `coopera archivio` as a whole process over data
// folders of generated meetings (100, 1,000 and 10,000 by default), from an
// empty archive, and prints documents per second, wall time and peak
// memory, so that growth with the number of documents can be read off.
//
// Each generated meeting is a different letter: its own Tavolo number,
// date, weekday, time, mode, protocol number, title, speakers and text.
// Every letter is issued before the timing (a register and the records in
// emessi/, written in bulk), as archivio writes numbered letters only as
// issued records; archivio still renders each one and compares.
//
//	go run ./cmd/coopera/internal/bench/archivio [-n 100,1000,10000] [-runs 3]
//	go run ./cmd/coopera/internal/bench/archivio -n 1000 -genera DIR
package main

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/bench/harness"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/record"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/ancisicilia/coopera/templates"
)

func main() {
	sizes := flag.String("n", "100,1000,10000", "comma-separated numbers of meetings")
	runs := flag.Int("runs", 3, "runs at each size (the median is shown)")
	bin := flag.String("coopera", "", "a coopera binary (default: built from this checkout)")
	only := flag.String("genera", "", "only write a data folder of -n meetings (one size) here, and time nothing")
	flag.Parse()
	if *only != "" {
		n, err := strconv.Atoi(*sizes)
		if err != nil || n <= 0 {
			fail(fmt.Errorf("-genera wants one size in -n, not %q", *sizes))
		}
		root, err := harness.RepoRoot()
		if err == nil {
			err = generate(root, *only, n)
		}
		if err != nil {
			fail(err)
		}
		return
	}
	work, err := os.MkdirTemp("", "coopera-archivio-bench-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(work)
	root, err := harness.RepoRoot()
	if err != nil {
		fail(err)
	}
	if *bin == "" {
		*bin = filepath.Join(work, "coopera")
		if err := harness.Build(root, *bin); err != nil {
			fail(err)
		}
	}
	fmt.Printf("coopera archivio from an empty archive, whole process, median of %d runs\n\n", *runs)
	fmt.Println("| meetings | seconds | documents/s | peak RSS MB | archive MB |")
	fmt.Println("|---:|---:|---:|---:|---:|")
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fail(fmt.Errorf("-n: %q is not a positive number", s))
		}
		data := filepath.Join(work, fmt.Sprintf("dati-%d", n))
		if err := generate(root, data, n); err != nil {
			fail(err)
		}
		var secs []float64
		var rss int64
		var size int64
		for r := range *runs {
			out := filepath.Join(work, fmt.Sprintf("archivio-%d-%d", n, r))
			el, peak, err := harness.Run(exec.Command(*bin, "archivio", "-q", "-o", out, data))
			if err != nil {
				fail(fmt.Errorf("coopera archivio (%d): %v", n, err))
			}
			secs = append(secs, el.Seconds())
			rss = max(rss, peak)
			size = dirSize(out)
			if got := countPDF(out); got != n {
				fail(fmt.Errorf("archive of %d meetings holds %d PDFs", n, got))
			}
			os.RemoveAll(out)
		}
		med := harness.Median(secs)
		fmt.Printf("| %d | %.2f | %.0f | %.1f | %.1f |\n", n, med, float64(n)/med, float64(rss)/1024, float64(size)/(1<<20))
		os.RemoveAll(data)
	}
}

var (
	modes  = []string{"videoconferenza", "presenza", "mista"}
	topics = []string{
		"L'accoglienza dei minori stranieri non accompagnati nei Comuni della rete SAI",
		"La presa in carico integrata: servizi sociali, sanità e scuola",
		"Rendicontazione dei progetti FAMI: domande frequenti e buone pratiche",
		"Inserimento lavorativo e tirocini: l'esperienza dei Comuni siciliani",
		"Mediazione linguistico-culturale negli uffici comunali",
		"Il Coordinamento provinciale come modello di rete tra Enti locali",
	}
	people = []struct{ title, name, role string }{
		{"dott.", "Antonio Tedeschi", "Referente per gli Enti locali del Coordinamento"},
		{"dott.ssa", "Maddalena Alberti", "direttrice dell'associazione Adl Zavidovici"},
		{"avv.", "Giuseppe Lo Bianco", "consulente legale del progetto"},
		{"prof.ssa", "Rosaria Caruso", "docente di Sociologia delle migrazioni"},
		{"ing.", "Salvatore Messina", "responsabile dei sistemi informativi"},
	}
)

// generate writes the project's profile and logos and n meetings into dir.
func generate(root, dir string, n int) error {
	src := filepath.Join(root, "data")
	if err := os.CopyFS(filepath.Join(dir, "loghi"), os.DirFS(filepath.Join(src, "loghi"))); err != nil {
		return err
	}
	prof, err := os.ReadFile(filepath.Join(src, "progetto.yaml"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "progetto.yaml"), prof, 0o644); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "tavoli"), 0o755); err != nil {
		return err
	}
	day := time.Date(2023, 1, 10, 0, 0, 0, 0, time.UTC)
	perYear := map[int]int{}
	var files []string
	for i := range n {
		day = day.AddDate(0, 0, 1+i%3)
		start := 9 + i%8
		var b strings.Builder
		fmt.Fprintf(&b, "tavolo: %d\n", i+1)
		fmt.Fprintf(&b, "titolo: %q\n", fmt.Sprintf("%s (%d)", topics[i%len(topics)], i+1))
		fmt.Fprintf(&b, "data: %s\n", day.Format("2006-01-02"))
		fmt.Fprintf(&b, "ora: \"%02d:00-%02d:30\"\n", start, start+2)
		mode := modes[i%len(modes)]
		fmt.Fprintf(&b, "modalita: %s\n", mode)
		if mode != "videoconferenza" {
			b.WriteString("sede:\n  nome: Sala Martorana, Palazzo Comitini\n  indirizzo: via Maqueda 100\n  citta: Palermo\n")
		}
		if mode != "presenza" && i%2 == 0 {
			fmt.Fprintf(&b, "collegamento: https://meet.example.org/coopera-%d\n", i+1)
		}
		pdate := day.AddDate(0, 0, -7)
		perYear[pdate.Year()]++
		fmt.Fprintf(&b, "protocollo:\n  numero: %d\n  data: %s\n", perYear[pdate.Year()], pdate.Format("2006-01-02"))
		b.WriteString("destinatari: Referenti del Coordinamento dei Comuni siciliani aderenti al SAI\n")
		b.WriteString("relatori:\n")
		for j := range 1 + i%3 {
			p := people[(i+j)%len(people)]
			fmt.Fprintf(&b, "  - titolo: %s\n    nome: %s\n    ruolo: %q\n", p.title, p.name, p.role)
		}
		fmt.Fprintf(&b, "testo: |\n  Durante l'incontro si discuterà di %s, con spazio per le domande dei partecipanti.\n", strings.ToLower(topics[(i+1)%len(topics)]))
		name := fmt.Sprintf("%s-tavolo-%d.yaml", day.Format("2006-01-02"), i+1)
		if err := os.WriteFile(filepath.Join(dir, "tavoli", name), []byte(b.String()), 0o644); err != nil {
			return err
		}
		files = append(files, filepath.Join(dir, "tavoli", name))
	}
	return issueAll(dir, files)
}

// issueAll issues every generated letter at once: it renders each (on
// every core), keeps its record and writes the register in one go.
func issueAll(dir string, files []string) error {
	env := &pipeline.Env{Templates: templates.FS}
	prof, probs := env.ProfileFor(files[0])
	if err := probs.Err(); err != nil {
		return err
	}
	entries := make([][2]register.Entry, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out, err := env.Letter(f)
			if err != nil {
				errs[i] = err
				return
			}
			src, err := os.ReadFile(f)
			if err == nil {
				_, err = record.Save(prof, out.Meeting.Protocol.Date.Year(), out.Name, out.PDF, src)
			}
			if err != nil {
				errs[i] = err
				return
			}
			m := out.Meeting
			rel, _ := filepath.Rel(dir, f)
			e := register.Entry{Year: m.Protocol.Date.Year(), Number: m.Protocol.Number, Date: m.Protocol.Date,
				Kind: register.Registered, Formatted: out.Doc.Protocol, Subject: out.Doc.Meta.Title,
				Source: filepath.ToSlash(rel), SourceSHA256: hex.EncodeToString(m.SHA256[:])}
			issued := e
			issued.Kind, issued.PDFSHA256 = register.Issued, register.Hash(out.PDF)
			entries[i] = [2]register.Entry{e, issued}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	var all []register.Entry
	for _, e := range entries {
		all = append(all, e[0], e[1])
	}
	return register.Create(filepath.Join(dir, "registro-protocollo.txt"), all)
}

func dirSize(dir string) int64 {
	var n int64
	filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
		return nil
	})
	return n
}

func countPDF(dir string) int {
	n := 0
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() && filepath.Ext(p) == ".pdf" {
			n++
		}
		return nil
	})
	return n
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "archivio bench:", err)
	os.Exit(1)
}
