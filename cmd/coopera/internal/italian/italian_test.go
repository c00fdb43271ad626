package italian

import (
	"testing"
	"time"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestLongDate(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{day(2022, 3, 2), "mercoledì 2 marzo 2022"},
		{day(2022, 1, 31), "lunedì 31 gennaio 2022"},
		{day(2021, 12, 22), "mercoledì 22 dicembre 2021"},
		{day(2022, 5, 25), "mercoledì 25 maggio 2022"},
		{day(2026, 12, 10), "giovedì 10 dicembre 2026"},
		{day(2024, 2, 29), "giovedì 29 febbraio 2024"},
		{day(2023, 10, 1), "domenica 1º ottobre 2023"},
		{day(2022, 4, 30), "sabato 30 aprile 2022"},
		{day(2022, 11, 4), "venerdì 4 novembre 2022"},
		{day(2022, 3, 22), "martedì 22 marzo 2022"},
		{day(2022, 9, 5), "lunedì 5 settembre 2022"},
	}
	for _, tt := range tests {
		if got := LongDate(tt.t); got != tt.want {
			t.Errorf("LongDate(%s) = %q, want %q", tt.t.Format("2006-01-02"), got, tt.want)
		}
	}
	if got := Date(day(2022, 1, 25)); got != "25 gennaio 2022" {
		t.Errorf("Date = %q", got)
	}
	if got := DayMonth(day(2022, 8, 1)); got != "1º agosto" {
		t.Errorf("DayMonth = %q", got)
	}
}

func TestMonthNumber(t *testing.T) {
	for i, m := range []string{"gennaio", "Febbraio", "MARZO", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"} {
		if got := MonthNumber(m); got != i+1 {
			t.Errorf("MonthNumber(%q) = %d, want %d", m, got, i+1)
		}
	}
	if MonthNumber("marzp") != 0 {
		t.Error("unknown month should give 0")
	}
}

func TestOrdinal(t *testing.T) {
	if got := Ordinal(3); got != "3º" || []rune(got)[1] != '\u00ba' {
		t.Errorf("Ordinal(3) = %q, want 3 and U+00BA", got)
	}
	if got := OrdinalFeminine(1); got != "1ª" {
		t.Errorf("OrdinalFeminine(1) = %q", got)
	}
}

func TestGenderAndArticles(t *testing.T) {
	tests := []struct {
		title string
		g     Gender
		art   string
	}{
		{"dott.", Male, "il"}, {"dott.ssa", Female, "la"}, {"Dott.ssa", Female, "la"},
		{"prof.", Male, "il"}, {"prof.ssa", Female, "la"}, {"sig.ra", Female, "la"},
		{"avv.", Unknown, "l'"}, {"ing.", Unknown, "l'"}, {"on.", Unknown, "l'"},
		{"dottoressa", Female, "la"}, {"Professore", Male, "il"}, {"avvocata", Female, "l'"},
	}
	for _, tt := range tests {
		if got := GenderFromTitle(tt.title); got != tt.g {
			t.Errorf("GenderFromTitle(%q) = %v, want %v", tt.title, got, tt.g)
		}
		if got := ArticleFor(GenderFromTitle(tt.title), tt.title); got != tt.art {
			t.Errorf("ArticleFor(%q) = %q, want %q", tt.title, got, tt.art)
		}
	}
	if got := ArticleFor(Male, "studente"); got != "lo" {
		t.Errorf("lo studente: got %q", got)
	}
	if got := ArticleFor(Male, "zio"); got != "lo" {
		t.Errorf("lo zio: got %q", got)
	}
	if got := ArticleFor(Female, "avv."); got != "l'" {
		t.Errorf("l'avv.: got %q", got)
	}
}

func TestPreposition(t *testing.T) {
	tests := []struct{ prep, art, want string }{
		{"di", "il", "del"}, {"di", "la", "della"}, {"di", "l'", "dell'"}, {"di", "lo", "dello"},
		{"a", "il", "al"}, {"a", "la", "alla"}, {"da", "il", "dal"}, {"da", "la", "dalla"},
		{"in", "il", "nel"}, {"su", "la", "sulla"}, {"con", "il", "con il"},
	}
	for _, tt := range tests {
		if got := Preposition(tt.prep, tt.art); got != tt.want {
			t.Errorf("Preposition(%q, %q) = %q, want %q", tt.prep, tt.art, got, tt.want)
		}
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a e b"}, {[]string{"a", "b", "c"}, "a, b e c"},
	}
	for _, tt := range tests {
		if got := Join(tt.in); got != tt.want {
			t.Errorf("Join(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
