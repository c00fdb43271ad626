package model_test

// FuzzLoadMeeting feeds random bytes to the loader as a meeting file. The
// loader must never panic and must always answer one of two ways: a
// meeting and no errors, or errors that each name the file and, since the
// file is small enough to read, a line and a column.
//
//	go test ./cmd/coopera/internal/model -run '^$' -fuzz FuzzLoadMeeting -fuzztime 90s

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

func FuzzLoadMeeting(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(dataDir, "tavoli", "*.yaml"))
	releases, _ := filepath.Glob(filepath.Join(dataDir, "comunicati", "*.yaml"))
	for _, p := range append(files, releases...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "# solo un commento\n", "\ufefftavolo: 3\r\n", "tavolo: 0153\n", "a: &a [*a]\n",
		"titolo: \"x\ny", "protocollo: {numero: 99999999999999999999, data: 2022-02-30}\n",
		"sede:\n  <<: {nome: x}\n", "relatori:\n  - nome: \"\\u0007\"\n", "ora: \"23:59-00:00\"\n",
		"data: 2022-02-29\n", "modalita: mista\nsede: []\n", "---\n---\n", "? [a]\n: b\n",
		"relatori: [{nome: 😀}]\n", "comunicato:\n  data: 2022-01-01\n  testo: il 3º Tavolo\n",
	} {
		f.Add([]byte(s))
	}
	prof, probs := model.LoadProfile(filepath.Join(dataDir, model.ProfileName), model.Options{})
	if probs.Err() != nil {
		f.Fatalf("profile: %v", probs)
	}
	dir := f.TempDir()
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, fmt.Sprintf("m%d.yaml", n.Add(1)))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(path)
		m, probs := model.LoadMeeting(path, prof, model.Options{Coverage: latinOnly{}})
		switch {
		case m == nil && probs.Err() == nil:
			t.Fatalf("no meeting and no error: %v", probs)
		case m != nil && probs.Err() != nil:
			t.Fatalf("a meeting and errors: %v", probs)
		}
		for _, p := range probs {
			if p.File != path {
				t.Errorf("problem names %q, not the file: %v", p.File, p)
			}
			if p.Line < 1 || p.Column < 1 {
				t.Errorf("problem without line and column: %v", p)
			}
			if p.Message == "" || strings.Contains(p.Message, "yaml: line") {
				t.Errorf("problem without an Italian message: %q", p.Message)
			}
		}
		if m == nil {
			return
		}
		if m.Date.IsZero() {
			t.Errorf("a meeting without its date")
		}
		if !m.Historical && (m.Title == "" || m.End <= m.Start || m.Mode == "") {
			t.Errorf("a meeting without title, time or mode: %+v", m)
		}
		if (m.Mode == model.InPerson || m.Mode == model.Mixed) && m.Venue == nil {
			t.Errorf("mode %s without a venue", m.Mode)
		}
		if m.Protocol != nil && (m.Protocol.Number < 1 || m.Protocol.Number > 9999) {
			t.Errorf("protocol number %d outside the profile's format", m.Protocol.Number)
		}
	})
}

// latinOnly stands in for the fonts' coverage, so that the fuzzer also
// meets the "character not printable" path.
type latinOnly struct{}

func (latinOnly) Has(r rune) bool { return r < 0x250 || (r >= 0x2000 && r < 0x2070) }
