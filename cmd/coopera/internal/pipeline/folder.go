package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"go.yaml.in/yaml/v3"
)

// facts are the keys of a meeting file the folder check compares, read
// without validating the rest, so that one broken key elsewhere in a file
// does not hide a duplicate.
type facts struct {
	path          string
	number        int
	numberAt      model.Pos
	date          time.Time
	dateAt        model.Pos
	start, end    model.Clock
	clockAt       model.Pos
	proto, year   int
	protoAt       model.Pos
	releaseOf     string // a release: the meeting file it names, cleaned
	releaseOfAt   model.Pos
	releaseOfText string // as written
}

func at(n *yaml.Node) model.Pos { return model.Pos{Line: n.Line, Column: n.Column} }

// readFacts reads what it can of a data file; nil for a file that is not
// a YAML mapping (the file's own validation reports it).
func readFacts(path string, release bool) *facts {
	st, err := os.Stat(path)
	if err != nil || st.Size() > model.MaxFileSize {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	f := &facts{path: path}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i].Value, root.Content[i+1]
		if v.Kind != yaml.ScalarNode && k != "protocollo" {
			continue
		}
		switch {
		case release && k == "tavolo":
			f.releaseOfText, f.releaseOfAt = v.Value, at(v)
			if v.Value != "" && !filepath.IsAbs(v.Value) {
				f.releaseOf = filepath.Clean(filepath.Join(filepath.Dir(path), v.Value))
			}
		case release:
		case k == "tavolo":
			if n, err := strconv.Atoi(v.Value); err == nil && v.Tag == "!!int" && n > 0 {
				f.number, f.numberAt = n, at(v)
			}
		case k == "data":
			if d, err := time.Parse("2006-01-02", v.Value); err == nil {
				f.date, f.dateAt = d, at(v)
			}
		case k == "ora":
			if s, e, ok := model.ClockRange(v.Value); ok {
				f.start, f.end, f.clockAt = s, e, at(v)
			}
		case k == "protocollo" && v.Kind == yaml.MappingNode:
			var n int
			var pos model.Pos
			for j := 0; j+1 < len(v.Content); j += 2 {
				c := v.Content[j+1]
				switch v.Content[j].Value {
				case "numero":
					if x, err := strconv.Atoi(c.Value); err == nil && c.Tag == "!!int" && x > 0 {
						n, pos = x, at(c)
					}
				case "data":
					if d, err := time.Parse("2006-01-02", c.Value); err == nil {
						f.year = d.Year()
					}
				}
			}
			if n > 0 && f.year > 0 {
				f.proto, f.protoAt = n, pos
			}
		}
	}
	return f
}

// folderFiles is every data file under dir, as valida lists them: sorted,
// without hidden folders, schemas and the profile.
func folderFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "schemas") {
			return filepath.SkipDir
		}
		if !d.IsDir() && d.Type().IsRegular() && d.Name() != model.ProfileName && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

func where(f string, p model.Pos) string { return fmt.Sprintf("%s:%d:%d", f, p.Line, p.Column) }

// CheckFolder checks the data folder dir as a whole, which no single
// file's validation can: two meetings with the same Tavolo number, two
// with the same protocol number and year (errors), two at overlapping
// times on the same day (a warning), a press release whose meeting is
// missing or contradicts it (errors, in the release and, for a
// contradiction, in the meeting too). Each problem stands in one file and
// names the other file and line. Files that cannot be read are left to
// their own validation.
func (e *Env) CheckFolder(dir string) model.Problems {
	files, err := folderFiles(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return model.Problems{{File: dir, Message: fmt.Sprintf("impossibile leggere la cartella: %v", err)}}
	}
	var meetings, releases []*facts
	byPath := map[string]*facts{}
	for _, p := range files {
		rel := Kind(p) == compose.Release
		f := readFacts(p, rel)
		switch {
		case f == nil:
		case rel:
			releases = append(releases, f)
		default:
			meetings = append(meetings, f)
			byPath[filepath.Clean(p)] = f
		}
	}
	var probs model.Problems
	// Files are grouped by each compared fact (not compared pairwise), so
	// that a folder of thousands of meetings costs one pass.
	type proto struct{ number, year int }
	byNumber, byProto, byDay := map[int][]*facts{}, map[proto][]*facts{}, map[time.Time][]*facts{}
	next := 1
	for _, m := range meetings {
		if m.number > 0 {
			byNumber[m.number] = append(byNumber[m.number], m)
			next = max(next, m.number+1)
		}
		if m.proto > 0 {
			byProto[proto{m.proto, m.year}] = append(byProto[proto{m.proto, m.year}], m)
		}
		if !m.date.IsZero() && m.end > 0 {
			byDay[m.date] = append(byDay[m.date], m)
		}
	}
	for _, a := range meetings {
		// Same Tavolo number.
		for _, b := range byNumber[a.number] {
			if a != b && a.number > 0 {
				probs = append(probs, model.Problem{File: a.path, Line: a.numberAt.Line, Column: a.numberAt.Column, Key: "tavolo",
					Message: fmt.Sprintf("il %dº Tavolo è anche in %s: ogni Tavolo ha il suo numero", a.number, where(b.path, b.numberAt)),
					Hint:    fmt.Sprintf("correggi il numero in uno dei due file (il primo libero è %d), oppure togli il file doppio", next)})
			}
		}
		// Same protocol number and year.
		for _, b := range byProto[proto{a.proto, a.year}] {
			if a != b && a.proto > 0 {
				probs = append(probs, model.Problem{File: a.path, Line: a.protoAt.Line, Column: a.protoAt.Column, Key: "protocollo.numero",
					Message: fmt.Sprintf("il protocollo n. %d del %d è anche in %s: ogni numero vale per una sola lettera", a.proto, a.year, where(b.path, b.protoAt)),
					Hint:    "lascia il numero al file della lettera a cui è stato dato e togli la chiave protocollo dall'altro, che avrà un numero suo"})
			}
		}
		// Overlapping times on the same day.
		for _, b := range byDay[a.date] {
			if a != b && a.end > 0 && a.start < b.end && b.start < a.end {
				probs = append(probs, model.Problem{File: a.path, Line: a.clockAt.Line, Column: a.clockAt.Column, Key: "ora", Warning: true,
					Message: fmt.Sprintf("l'incontro (%s-%s) si sovrappone a quello di %s (%s-%s), lo stesso giorno", a.start, a.end, where(b.path, b.clockAt), b.start, b.end),
					Hint:    "controlla data e orario dei due file; se i due incontri sono davvero contemporanei, ignora l'avviso"})
			}
		}
	}
	// Press releases against their meetings: the loader's cross-check,
	// reported in the meeting too.
	for _, r := range releases {
		if r.releaseOfText == "" {
			continue
		}
		m := byPath[r.releaseOf]
		if m == nil {
			if _, err := os.Stat(r.releaseOf); r.releaseOf != "" && errors.Is(err, fs.ErrNotExist) {
				probs = append(probs, model.Problem{File: r.path, Line: r.releaseOfAt.Line, Column: r.releaseOfAt.Column, Key: "tavolo",
					Message: fmt.Sprintf("il file dell'incontro %q non esiste", r.releaseOfText),
					Hint:    "il percorso è relativo alla cartella di questo file, per esempio ../tavoli/2022-01-31-tavolo-2.yaml"})
			}
			continue
		}
		prof, pp := e.ProfileFor(r.path)
		if pp.Err() != nil {
			continue
		}
		_, rp := model.LoadRelease(r.path, prof, model.Options{AllowOutside: e.AllowOutside})
		for _, p := range rp.Errors() {
			key, pos := contradicted(p, m)
			if p.File != r.path || key == "" {
				continue
			}
			probs = append(probs, p, model.Problem{File: m.path, Line: pos.Line, Column: pos.Column, Key: key,
				Message: fmt.Sprintf("il comunicato %s lo contraddice: %s", where(r.path, model.Pos{Line: p.Line, Column: p.Column}), p.Message),
				Hint:    fmt.Sprintf("correggi «%s» in questo file o il testo del comunicato %s", key, r.path)})
		}
	}
	return probs
}

// contradicted is the meeting key a cross-check error of a release is
// about, and where it stands; "" for any other problem.
func contradicted(p model.Problem, m *facts) (string, model.Pos) {
	switch {
	case !strings.HasPrefix(p.Hint, "correggi il testo o "):
		return "", model.Pos{}
	case strings.Contains(p.Hint, "l'orario"):
		return "ora", m.clockAt
	case strings.Contains(p.Hint, "il numero"):
		return "tavolo", m.numberAt
	default:
		return "data", m.dateAt
	}
}

// ConflictsOf keeps the problems of CheckFolder that stand in file.
func ConflictsOf(probs model.Problems, file string) model.Problems {
	abs, _ := filepath.Abs(file)
	var out model.Problems
	for _, p := range probs {
		if pa, _ := filepath.Abs(p.File); pa == abs {
			out = append(out, p)
		}
	}
	return out
}

// Issuable refuses to give out's meeting a number, or to issue its
// letter, while the file holds placeholders or conflicts with another
// file of its data folder (the profile's); the folder's warnings about
// the file join out.Warnings.
func (e *Env) Issuable(out *Output) error {
	m := out.Meeting
	if m == nil {
		return nil
	}
	if err := model.PlaceholderErrors(m.Placeholders); err != nil {
		return err
	}
	prof, probs := e.ProfileFor(m.Path)
	if probs.Err() != nil || prof == nil {
		return nil // the letter's own render reported it
	}
	dir := prof.Dir
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, dir); err == nil && len(r) < len(dir) {
			dir = r
		}
	}
	mine := ConflictsOf(e.CheckFolder(dir), m.Path)
	for _, w := range mine.Warnings() {
		if !slices.Contains(out.Warnings, w) {
			out.Warnings = append(out.Warnings, w)
		}
	}
	return mine.Err()
}
