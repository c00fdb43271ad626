package model

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Placeholder is what coopera nuovo writes for a fact to be filled in
// later (a title, a venue): the file validates, a draft shows the word,
// and no final letter or register entry may carry it.
const Placeholder = "DA DEFINIRE"

// placeholderValues are the stand-ins the scaffold writes, as values or as
// commented-out examples a user may uncomment: a whole value equal to one
// of them, in any case, is still to be filled in.
var placeholderValues = []string{
	strings.ToLower(Placeholder), "…", "...", "nome cognome", "via …", "https://…",
	"durante l'incontro …", "aaaa-mm-gg",
}

// IsPlaceholder reports whether s is (or, for a one-line value, contains)
// a stand-in that must be replaced before a letter is issued. In Markdown
// text only a whole placeholder value or the word in capitals counts, so
// that prose such as «le date sono da definire insieme» stays free.
func IsPlaceholder(s string, multiline bool) bool {
	v := strings.ToLower(strings.Join(strings.Fields(s), " "))
	for _, p := range placeholderValues {
		if v == p {
			return true
		}
	}
	if multiline {
		return strings.Contains(s, Placeholder)
	}
	return strings.Contains(v, strings.ToLower(Placeholder))
}

// placeholder records s at line:col as a value to be filled in: a warning
// now, and in d.holes the error a final letter gets (see
// Meeting.Placeholders).
func (d *decoder) placeholder(line, col int, key, s string) {
	q := truncate(strings.Join(strings.Fields(s), " "), 40)
	what := "«" + q + "»"
	if utf8.RuneCountInString(q) > 30 {
		// A longer text holding the word: quote the word, not the text.
		what = "il testo contiene «" + Placeholder + "», che"
		q = Placeholder
	}
	d.probs = append(d.probs, Problem{File: d.file, Line: line, Column: col, Key: key, Warning: true,
		Message: what + " è da completare: la bozza si compone, un documento definitivo no",
		Hint:    "scrivi il valore definitivo al posto di «" + q + "» prima di emettere il documento (coopera convoca senza --bozza, coopera comunicato, coopera protocollo assegna o registra)"})
	d.holes = append(d.holes, Problem{File: d.file, Line: line, Column: col, Key: key,
		Message: what + " è un segnaposto da completare: un documento definitivo non lo può contenere",
		Hint:    "scrivi il valore definitivo nel file; per una lettera, intanto coopera convoca --bozza compone la bozza"})
}

// PlaceholderErrors returns holes (Meeting.Placeholders,
// Release.Placeholders) as an error, for a command that must not issue a
// document while they are there; nil when there are none.
func PlaceholderErrors(holes Problems) error {
	if len(holes) == 0 {
		return nil
	}
	return slices.Clone(holes)
}
