package compose_test

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/templates"
)

// seedMeeting loads the profile and the 3º Tavolo of the golden data.
func seedMeeting(t *testing.T) (*model.Profile, *model.Meeting) {
	t.Helper()
	dir := goldenData(t)
	prof, probs := model.LoadProfile(filepath.Join(dir, model.ProfileName), model.Options{})
	if probs.Err() != nil {
		t.Fatal(probs)
	}
	m, probs := model.LoadMeeting(filepath.Join(dir, "tavoli", "2022-03-02-tavolo-3.yaml"), prof, model.Options{})
	if probs.Err() != nil {
		t.Fatal(probs)
	}
	return prof, m
}

// TestPrepareLeavesErrorsToCompose: Prepare on a user's folder whose
// templates do not parse, or are missing, reports nothing and breaks
// nothing; composing then gives the message it gives without Prepare.
func TestPrepareLeavesErrorsToCompose(t *testing.T) {
	prof, m := seedMeeting(t)
	head, _ := templates.FS.ReadFile(compose.LetterheadTemplate)
	for name, fsys := range map[string]fstest.MapFS{
		"broken letter": {
			compose.LetterTemplate:     {Data: []byte("Gentili {{ .Riunione.Titolo ")},
			compose.LetterheadTemplate: {Data: head},
		},
		"no letterhead": {
			compose.LetterTemplate: {Data: []byte("Gentili,\n\nla riunione.\n")},
		},
	} {
		opt := compose.Options{Templates: fsys}
		_, before := compose.ComposeLetter(m, prof, opt)
		if before == nil {
			t.Fatalf("%s: composes", name)
		}
		compose.Prepare(fsys, compose.Letter)
		compose.Prepare(fsys, compose.Release) // no release template at all
		_, after := compose.ComposeLetter(m, prof, opt)
		if after == nil || after.Error() != before.Error() {
			t.Errorf("%s: after Prepare the error is %v, before it was %v", name, after, before)
		}
		if !strings.Contains(before.Error(), ".tmpl") {
			t.Errorf("%s: the error does not name the template: %v", name, before)
		}
	}
}
