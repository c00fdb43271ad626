package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
	"go.yaml.in/yaml/v3"
)

// ProfileName is the profile's file name, looked up from a data file's
// folder upwards.
const ProfileName = "progetto.yaml"

// Options tune loading.
type Options struct {
	Coverage     Coverage // nil: no font check
	AllowOutside bool     // let data files name images outside their folder
}

// FindProfile returns the progetto.yaml in dataFile's folder or the nearest
// parent folder.
func FindProfile(dataFile string) (string, error) {
	abs, err := filepath.Abs(dataFile)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(abs)
	for {
		p := filepath.Join(dir, ProfileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return relToWD(p), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s: nessun %s nella cartella del file né in quelle superiori", dataFile, ProfileName)
		}
		dir = parent
	}
}

// relToWD keeps messages short and independent of where the checkout is.
func relToWD(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && len(r) < len(p) {
			return r
		}
	}
	return p
}

// LoadProfile reads and validates a profile.
func LoadProfile(path string, opt Options) (*Profile, Problems) {
	d := &decoder{file: path, coverage: opt.Coverage, pos: map[string]Pos{}}
	data, err := readFile(path)
	if err != nil {
		return nil, Problems{fileProblem(path, err)}
	}
	abs, _ := filepath.Abs(path)
	p := &Profile{Path: path, Dir: filepath.Dir(abs), SHA256: sum(data), Pos: d.pos}
	root := d.parse(data)
	if root == nil {
		return nil, d.probs
	}
	d.decodeProfile(root, p, opt.AllowOutside)
	probs := d.probs.sorted()
	if probs.Err() != nil {
		return nil, probs
	}
	return p, probs
}

// LoadMeeting reads and validates a meeting file against its profile.
func LoadMeeting(path string, prof *Profile, opt Options) (*Meeting, Problems) {
	d := &decoder{file: path, coverage: opt.Coverage, pos: map[string]Pos{}}
	data, err := readFile(path)
	if err != nil {
		return nil, Problems{fileProblem(path, err)}
	}
	m := &Meeting{Path: path, SHA256: sum(data), Pos: d.pos}
	root := d.parse(data)
	if root == nil {
		return nil, d.probs
	}
	if kind, at := otherKind(root); kind != "" {
		// A profile or a release read as a meeting would give a score of
		// meeting-file errors: the one that matters is the file's kind.
		return nil, Problems{{File: path, Line: at.Line, Column: at.Column,
			Message: notMeeting + ": " + kind,
			Hint:    "indica un file di incontro, come quelli in data/tavoli (per esempio data/tavoli/2022-01-31-tavolo-2.yaml)"}}
	}
	d.decodeMeeting(root, m, prof)
	if m.Release != nil {
		d.crossCheck(m.Release)
	}
	m.Placeholders = d.holes
	probs := d.probs.sorted()
	if probs.Err() != nil {
		return nil, probs
	}
	return m, probs
}

// LoadRelease reads a press-release file and, when it names one, its
// meeting, checking the facts of one against the other.
func LoadRelease(path string, prof *Profile, opt Options) (*Release, Problems) {
	d := &decoder{file: path, coverage: opt.Coverage, pos: map[string]Pos{}}
	data, err := readFile(path)
	if err != nil {
		return nil, Problems{fileProblem(path, err)}
	}
	r := &Release{Path: path, SHA256: sum(data), Pos: d.pos}
	root := d.parse(data)
	if root == nil {
		return nil, d.probs
	}
	if !d.decodeRelease(root, "", r, true) {
		return nil, d.probs
	}
	r.Placeholders = d.holes
	if r.MeetingPath != "" {
		abs, _ := filepath.Abs(path)
		mp, cerr := confine(filepath.Dir(abs), r.MeetingPath, opt.AllowOutside)
		if cerr != nil && prof != nil && !filepath.IsAbs(r.MeetingPath) {
			// A release may point at a sibling folder (../tavoli/…): the
			// data folder is the profile's.
			if rel, err := filepath.Rel(prof.Dir, filepath.Join(filepath.Dir(abs), r.MeetingPath)); err == nil {
				mp, cerr = confine(prof.Dir, rel, opt.AllowOutside)
			}
			if cerr != nil {
				// Quote the path as the user wrote it, not as rebased.
				cerr = fmt.Errorf("il percorso %q esce dalla cartella dei dati", r.MeetingPath)
			}
		}
		at := d.pos["tavolo"]
		switch {
		case cerr != nil:
			d.probs = append(d.probs, Problem{File: path, Line: at.Line, Column: at.Column, Key: "tavolo", Message: cerr.Error(),
				Hint: "indica un file di data/tavoli, relativo a questo file (per esempio ../tavoli/2022-03-02-tavolo-3.yaml)"})
		default:
			if _, err := os.Stat(mp); errors.Is(err, os.ErrNotExist) {
				d.probs = append(d.probs, Problem{File: path, Line: at.Line, Column: at.Column, Key: "tavolo",
					Message: fmt.Sprintf("il file dell'incontro %q non esiste", r.MeetingPath),
					Hint:    "il percorso è relativo alla cartella di questo file, per esempio ../tavoli/2022-01-31-tavolo-2.yaml"})
				break
			}
			m, mprobs := LoadMeeting(relToWD(mp), prof, opt)
			if len(mprobs) == 1 && strings.HasPrefix(mprobs[0].Message, notMeeting) {
				d.probs = append(d.probs, Problem{File: path, Line: at.Line, Column: at.Column, Key: "tavolo",
					Message: fmt.Sprintf("il file %q non è un file di incontro%s", r.MeetingPath, strings.TrimPrefix(mprobs[0].Message, notMeeting)),
					Hint:    "indica il file dell'incontro in data/tavoli, relativo a questo file (per esempio ../tavoli/2022-01-31-tavolo-2.yaml)"})
				break
			}
			if mprobs.Err() != nil {
				d.probs = append(d.probs, Problem{File: path, Line: at.Line, Column: at.Column, Key: "tavolo",
					Message: fmt.Sprintf("il file dell'incontro %q ha errori (elencati qui sotto)", r.MeetingPath)})
				d.probs = append(d.probs, mprobs...)
				break
			}
			r.Meeting = m
			d.crossCheck(r)
		}
	}
	probs := d.probs.sorted()
	if probs.Err() != nil {
		return nil, probs
	}
	return r, probs
}

// trimPath drops the path a wrapped error repeats after the file name.
// fileProblem reports a file that could not be read, with the fix for
// its kind (a folder, a pipe, a file too big).
func fileProblem(path string, err error) Problem {
	p := Problem{File: path, Message: trimPath(path, err)}
	if e, ok := safefile.As(err); ok {
		p.Hint = e.Hint()
	}
	return p
}

func trimPath(path string, err error) string {
	s := err.Error()
	if len(s) > len(path)+2 && s[:len(path)+2] == path+": " {
		return s[len(path)+2:]
	}
	return s
}

const notMeeting = "il file non è un file di incontro"

// otherKind recognises a data file of another kind where a meeting is
// expected: the profile, or a press release. It returns what the file is,
// in Italian, and where its telling key stands; "" when it may be a meeting.
func otherKind(root *yaml.Node) (string, Pos) {
	if root == nil || root.Kind != yaml.MappingNode {
		return "", Pos{}
	}
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		keys[root.Content[i].Value] = root.Content[i+1]
	}
	for _, k := range []string{"ora", "modalita", "relatori", "coordinatore"} {
		if _, ok := keys[k]; ok {
			return "", Pos{}
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case k.Value == "progetto" || k.Value == "firmatario" || k.Value == "intestazione":
			return "è il profilo del progetto (" + ProfileName + ")", Pos{k.Line, k.Column}
		case k.Value == "tavolo" && v.Kind == yaml.ScalarNode && v.Tag == "!!str" && strings.HasSuffix(v.Value, ".yaml"):
			return "è un comunicato stampa (la sua chiave «tavolo» nomina un file)", Pos{k.Line, k.Column}
		}
	}
	return "", Pos{}
}
