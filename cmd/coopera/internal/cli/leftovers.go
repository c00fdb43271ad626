package cli

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/issue"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// codeLeftover marks a temporary file of an interrupted run in verifica's
// findings; codeOdd a data entry that is not a regular file.
const (
	codeLeftover = "temporaneo"
	codeOdd      = "non-regolare"
)

// leftoverFindings lists, as notes, the temporary files that killed runs
// left in the data folder (recursively), in the archive and in each output
// folder, and the .yaml entries of the data folder that are not regular
// files. Nothing is opened for reading but to test a writer's lock, and
// nothing is changed.
func leftoverFindings(dataDir string, outDirs []string, archiveDir string) []issue.Finding {
	var dirs []string
	walk := func(root string) {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			dirs = append(dirs, filepath.Clean(p))
			return nil
		})
	}
	walk(dataDir)
	if archiveDir != "" {
		walk(archiveDir)
	}
	for _, d := range outDirs {
		dirs = append(dirs, filepath.Clean(d))
	}
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)
	var out []issue.Finding
	for _, d := range dirs {
		for _, p := range atomicfile.Leftovers(d) {
			out = append(out, issue.Finding{File: relName(p), Code: codeLeftover, Note: true,
				Message: "file temporaneo lasciato da un'esecuzione interrotta: lo rimuove il prossimo comando che scrive in questa cartella (oppure cancellalo a mano)"})
		}
	}
	filepath.WalkDir(dataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dataDir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		if e, ok := safefile.As(safefile.Entry(p, d)); ok {
			out = append(out, issue.Finding{File: relName(p), Code: codeOdd, Note: true,
				Message: e.Reason() + ": saltato (toglilo dalla cartella o sostituiscilo con un file ordinario)"})
		}
		return nil
	})
	return out
}
