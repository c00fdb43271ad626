package model

import "testing"

func TestIsPlaceholder(t *testing.T) {
	cases := []struct {
		s         string
		multiline bool
		want      bool
	}{
		{Placeholder, false, true},
		{"da definire", false, true},
		{"  Da  Definire ", false, true},
		{"Sala da definire", false, true},
		{"…", false, true},
		{"...", false, true},
		{"Nome Cognome", false, true},
		{"Via …", false, true},
		{"https://…", false, true},
		{"Durante l'incontro …", true, true},
		{"La sede è DA DEFINIRE.", true, true},
		// Prose and real values stay free.
		{"I dettagli sono da definire con i Comuni.", true, false},
		{"Sala Martorana", false, false},
		{"Palermo", false, false},
		{"https://meet.example.it/tavolo", false, false},
		{"Referente per gli Enti locali…", false, false},
	}
	for _, c := range cases {
		if got := IsPlaceholder(c.s, c.multiline); got != c.want {
			t.Errorf("IsPlaceholder(%q, %v) = %v, want %v", c.s, c.multiline, got, c.want)
		}
	}
}
