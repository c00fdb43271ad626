package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
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
