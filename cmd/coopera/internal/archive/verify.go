package archive

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Difference is one way the archive, its manifest and a fresh render
// disagree.
type Difference struct {
	File    string `json:"file"`
	Source  string `json:"origine,omitempty"`
	Problem string `json:"problema"`
}

func (d Difference) String() string {
	if d.Source != "" {
		return fmt.Sprintf("%s (da %s): %s", d.File, d.Source, d.Problem)
	}
	return fmt.Sprintf("%s: %s", d.File, d.Problem)
}

// ErrNoManifest is returned by Verify for a folder without manifest.
var ErrNoManifest = errors.New("nessun manifest")

// Verify renders every document of opt.Data in memory and compares it, and
// the file in opt.Out, with opt.Out's manifest. It writes nothing. The
// differences come sorted by file; none means the archive is what the data
// give today.
func Verify(ctx context.Context, opt Options) ([]Difference, error) {
	if err := checkOut(opt.Out); err != nil {
		return nil, err
	}
	man, ok, err := ReadManifest(opt.Out)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w in %s\nsuggerimento: crea l'archivio con coopera archivio -o %s", ErrNoManifest, opt.Out, opt.Out)
	}
	unlock, err := lockDir(opt.Out, false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	items, err := render(ctx, opt, nil)
	if err != nil {
		return nil, err
	}
	fresh := map[string]item{}
	for _, it := range items {
		if it.rendered {
			fresh[it.entry.File] = it
		}
	}
	b := &builder{opt: opt}
	var diffs []Difference
	listed := map[string]bool{}
	for _, e := range man.Documents {
		listed[e.File] = true
		add := func(format string, args ...any) {
			diffs = append(diffs, Difference{File: e.File, Source: e.Source, Problem: fmt.Sprintf(format, args...)})
		}
		disk, err := safefile.Read(b.abs(e.File), -1)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			add("manca nell'archivio")
		case err != nil:
			add("illeggibile: %v", err)
		case hashOf(disk) != e.SHA256:
			add("il file nell'archivio non corrisponde al manifest (sha256 %s…, registrato %s…)", hashOf(disk)[:12], e.SHA256[:12])
		}
		it, ok := fresh[e.File]
		switch {
		case !ok:
			add("l'origine %s non produce più questo documento (file assente, rinominato o escluso)", e.Source)
		case it.entry.SHA256 != e.SHA256:
			why := ""
			if it.entry.SourceSHA256 != e.SourceSHA256 {
				why = " (l'origine è cambiata)"
			}
			add("il nuovo rendering differisce dal manifest%s: sha256 %s…, registrato %s…", why, it.entry.SHA256[:12], e.SHA256[:12])
		}
	}
	for file, it := range fresh {
		if !listed[file] {
			diffs = append(diffs, Difference{File: file, Source: it.rel, Problem: "non è nell'archivio: esegui coopera archivio"})
		}
	}
	slices.SortFunc(diffs, func(a, b Difference) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return strings.Compare(a.Problem, b.Problem)
	})
	return diffs, nil
}
