// Command peers times coopera against its peers on the seed letter: the
// whole process, from start to PDF on disk, interleaved (one run of each
// tool in turn, so a busy machine slows every tool alike), and prints the
// medians, the ratio to coopera, the PDF sizes and the peak memory. A peer
// that is not installed is skipped. The peers' inputs are in ../testdata.
//
//	go run ./cmd/coopera/internal/bench/peers [-runs 20]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/bench/harness"
)

type tool struct {
	name string
	cmd  []string
	pdf  string // the file the tool writes
	dir  string // working directory
	ms   []float64
	rss  int64 // peak resident set, kB
	size int64
}

func main() {
	runs := flag.Int("runs", 20, "runs of each tool")
	nodeModules := flag.String("node-modules", "/opt/peers/node_modules", "where npm installed @myriaddreamin/typst-ts-node-compiler")
	flag.Parse()
	root, err := harness.RepoRoot()
	if err != nil {
		fail(err)
	}
	work, err := os.MkdirTemp("", "coopera-peers-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(work)
	bench := filepath.Join(root, "cmd", "coopera", "internal", "bench")
	for _, c := range [][]string{
		{"cp", "-r", filepath.Join(root, "assets", "fonts"), filepath.Join(work, "fonts")},
		{"sh", "-c", "cp " + filepath.Join(bench, "testdata") + "/letter.* " + filepath.Join(root, "data", "loghi") + "/*.png " + work},
	} {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Dir, cmd.Stderr = root, os.Stderr
		if err := cmd.Run(); err != nil {
			fail(fmt.Errorf("%s: %v", strings.Join(c, " "), err))
		}
	}
	if err := harness.Build(root, filepath.Join(work, "coopera")); err != nil {
		fail(err)
	}
	seed := filepath.Join(root, "data", "tavoli", "2022-03-02-tavolo-3.yaml")
	os.Mkdir(filepath.Join(work, "out"), 0o755)
	tools := []*tool{{name: "coopera convoca", cmd: []string{filepath.Join(work, "coopera"), "convoca", "-q", "-o", filepath.Join(work, "out"), seed},
		pdf: filepath.Join(work, "out", "convocazione_2022-0153_2022-03-02_tavolo-3.pdf")}}
	if _, err := os.Stat(filepath.Join(*nodeModules, "@myriaddreamin", "typst-ts-node-compiler")); err == nil {
		// node resolves modules from the script's folder.
		os.Symlink(*nodeModules, filepath.Join(work, "node_modules"))
		if b, err := os.ReadFile(filepath.Join(bench, "peers", "typst.cjs")); err == nil {
			os.WriteFile(filepath.Join(work, "typst.cjs"), b, 0o644)
		}
		tools = append(tools, &tool{name: "Typst (Node addon)", cmd: []string{"node", filepath.Join(work, "typst.cjs"),
			filepath.Join(work, "letter.typ"), filepath.Join(work, "typst.pdf"), filepath.Join(work, "fonts")}, pdf: filepath.Join(work, "typst.pdf")})
	}
	if p, err := exec.LookPath("typst"); err == nil {
		tools = append(tools, &tool{name: "Typst CLI", cmd: []string{p, "compile", "--font-path", filepath.Join(work, "fonts"), "letter.typ", "typst-cli.pdf"},
			pdf: filepath.Join(work, "typst-cli.pdf")})
	}
	if p, err := exec.LookPath("weasyprint"); err == nil {
		tools = append(tools, &tool{name: "WeasyPrint", cmd: []string{p, "letter.html", "weasyprint.pdf"}, pdf: filepath.Join(work, "weasyprint.pdf")})
	}
	if p, err := exec.LookPath("xelatex"); err == nil {
		tools = append(tools, &tool{name: "xelatex + scrlttr2", cmd: []string{p, "-interaction=batchmode", "-halt-on-error", "letter.tex"}, pdf: filepath.Join(work, "letter.pdf")})
	}
	for _, t := range tools {
		t.dir = work
		if err := t.run(); err != nil { // warm-up, and a check that it works
			fmt.Fprintf(os.Stderr, "peers: %s skipped: %v\n", t.name, err)
			t.cmd = nil
		}
	}
	for range *runs {
		for _, t := range tools {
			if t.cmd != nil {
				if err := t.run(); err != nil {
					fail(fmt.Errorf("%s: %v", t.name, err))
				}
			}
		}
	}
	fmt.Printf("Seed letter, whole process, median of %d interleaved runs (%s)\n\n", *runs, time.Now().Format("2006-01-02"))
	fmt.Println("| tool | median ms | min ms | × coopera | PDF KB | peak RSS MB |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	base := harness.Median(tools[0].ms)
	for _, t := range tools {
		if t.cmd == nil {
			continue
		}
		fmt.Printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f |\n", t.name, harness.Median(t.ms), slices.Min(t.ms), harness.Median(t.ms)/base, float64(t.size)/1024, float64(t.rss)/1024)
	}
}

func (t *tool) run() error {
	os.Remove(t.pdf)
	cmd := exec.Command(t.cmd[0], t.cmd[1:]...)
	cmd.Dir = t.dir
	el, peak, err := harness.Run(cmd)
	if err != nil {
		return err
	}
	st, err := os.Stat(t.pdf)
	if err != nil {
		return err
	}
	t.size = st.Size()
	t.ms = append(t.ms, float64(el.Microseconds())/1000)
	t.rss = max(t.rss, peak)
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "peers:", err)
	os.Exit(1)
}
