package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
)

// checkOutputDir refuses an output folder that is missing or not a folder
// before any work is done.
func checkOutputDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("la cartella di uscita %s non esiste\nsuggerimento: creala (mkdir -p %s) oppure indica un'altra cartella con -o", dir, dir)
	case err != nil:
		return fmt.Errorf("cartella di uscita %s: %v", dir, err)
	case !st.IsDir():
		return fmt.Errorf("%s non è una cartella: -o vuole la cartella in cui scrivere i PDF\nsuggerimento: indica con -o una cartella (per esempio -o out, dopo mkdir -p out), non un file", dir)
	}
	return nil
}

// writeError explains a failed write of path with the fix for its cause:
// a folder that cannot be written, a full disk, a folder in the way.
func writeError(path string, err error) error {
	dir := filepath.Dir(path)
	st, serr := os.Lstat(path)
	switch {
	case serr == nil && st.IsDir():
		return fmt.Errorf("scrittura di %s: al suo posto c'è una cartella\nsuggerimento: sposta o rinomina la cartella %s, oppure indica un'altra cartella con -o", path, path)
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("scrittura di %s: spazio su disco esaurito\nsuggerimento: libera spazio nel disco della cartella %s (o scegli un'altra cartella con -o) e ripeti", path, dir)
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("scrittura di %s: la cartella %s è su un disco di sola lettura\nsuggerimento: indica con -o una cartella su un disco scrivibile", path, dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("scrittura di %s: permesso negato nella cartella %s\nsuggerimento: dai il permesso di scrittura (chmod u+w %s) o indica un'altra cartella con -o", path, dir, dir)
	}
	msg := fmt.Sprintf("scrittura di %s: %v", path, err)
	if strings.Contains(msg, "suggerimento:") {
		return errors.New(msg)
	}
	return fmt.Errorf("%s\nsuggerimento: controlla che la cartella %s esista e sia scrivibile, poi ripeti", msg, dir)
}

// checkKind refuses a press release given to convoca and a meeting given
// to comunicato (told apart by their folder, as valida does): decoding one
// as the other would only list confusing missing and unknown keys.
func checkKind(files []string, want compose.Kind) error {
	var probs model.Problems
	for _, f := range files {
		dir := filepath.Base(filepath.Dir(f))
		switch {
		case want == compose.Letter && pipeline.Kind(f) == compose.Release:
			probs = append(probs, model.Problem{File: f, Message: "è un comunicato stampa (cartella comunicati), non un incontro",
				Hint: "per i comunicati usa «coopera comunicato " + f + "»"})
		case want == compose.Release && dir == "tavoli":
			probs = append(probs, model.Problem{File: f, Message: "è un incontro (cartella tavoli), non un comunicato stampa",
				Hint: "per le lettere di convocazione usa «coopera convoca " + f + "»"})
		}
	}
	if len(probs) > 0 {
		return probs
	}
	return nil
}

// renderAll renders every file with fn and returns the outputs only when
// all succeeded: a batch with a bad file writes nothing.
func renderAll(files []string, fn func(string) (*pipeline.Output, error)) ([]*pipeline.Output, error) {
	var outs []*pipeline.Output
	var errs []error
	names := map[string]string{}
	for _, f := range files {
		out, err := fn(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := names[out.Name]; dup {
			errs = append(errs, fmt.Errorf("%s e %s producono lo stesso file %s: cambia il numero di protocollo, la data o il titolo di uno dei due", prev, f, out.Name))
			continue
		}
		names[out.Name] = f
		outs = append(outs, out)
	}
	if len(errs) > 0 {
		return nil, joinProblems(errs)
	}
	return outs, nil
}

// joinProblems flattens problem lists so that each prints on its own line,
// once: a problem of a shared file (the profile, a logo) comes back from
// every data file that uses it.
func joinProblems(errs []error) error {
	var all model.Problems
	var others []error
	seen := map[string]bool{}
	for _, e := range errs {
		var ps model.Problems
		if errors.As(e, &ps) {
			all = append(all, ps...)
			continue
		}
		if !seen[e.Error()] {
			seen[e.Error()] = true
			others = append(others, e)
		}
	}
	all = all.Unique()
	if len(others) == 0 {
		return all
	}
	for _, p := range all {
		others = append(others, p)
	}
	return errors.Join(others...)
}

// writeAll writes the outputs atomically into dir and reports each path.
func writeAll(g *globals, outs []*pipeline.Output, dir string, stdout, stderr io.Writer) error {
	type written struct {
		File    string `json:"file"`
		Origine string `json:"origine"`
		Tipo    string `json:"tipo"`
		Pagine  int    `json:"pagine"`
		Byte    int    `json:"byte"`
	}
	var list []written
	cleanLeftovers(g, stderr, dir)
	for _, o := range outs {
		for _, w := range o.Warnings {
			fmt.Fprintf(stderr, "coopera: %s\n", w)
		}
		path := filepath.Join(dir, o.Name)
		if err := atomicfile.Write(path, o.PDF); err != nil {
			return writeError(path, err)
		}
		list = append(list, written{path, o.Source, string(o.Kind), o.Pages, len(o.PDF)})
		if !g.quiet && !g.json {
			fmt.Fprintln(stdout, path)
		}
	}
	if g.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	return nil
}

// cleanLeftovers removes, from each folder a run is about to write into,
// the temporary files that an earlier run killed half way left behind, and
// says which. Only a run that writes cleans: a failing or read-only one
// leaves the folders as they are (protocollo verifica lists them).
func cleanLeftovers(g *globals, stderr io.Writer, dirs ...string) {
	seen := map[string]bool{}
	for _, d := range dirs {
		if d = filepath.Clean(d); seen[d] {
			continue
		}
		seen[d] = true
		for _, p := range atomicfile.Clean(d) {
			if !g.quiet {
				fmt.Fprintf(stderr, "coopera: %s: rimosso il file temporaneo lasciato da un'esecuzione interrotta\n", p)
			}
		}
	}
}
