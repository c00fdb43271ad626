// Package italian holds the language facts every document depends on: long
// dates with the weekday, ordinals, articles by gender and lists joined with
// "e". Pure functions; the templates reach them through compose.
package italian

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

var weekdays = [7]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"}

var months = [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
	"luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}

// Weekday names t's day of the week in lower case, as Italian writes it.
func Weekday(t time.Time) string { return weekdays[t.Weekday()] }

// Month names t's month in lower case.
func Month(t time.Time) string { return months[t.Month()-1] }

// MonthNumber returns 1-12 for an Italian month name (any case), 0 if none.
func MonthNumber(name string) int {
	name = strings.ToLower(name)
	for i, m := range months {
		if m == name {
			return i + 1
		}
	}
	return 0
}

// Day writes the day of the month; the first is "1º" by house style.
func Day(t time.Time) string {
	if t.Day() == 1 {
		return "1º"
	}
	return fmt.Sprint(t.Day())
}

// Date writes "2 marzo 2022".
func Date(t time.Time) string {
	return Day(t) + " " + Month(t) + " " + fmt.Sprint(t.Year())
}

// LongDate writes "mercoledì 2 marzo 2022": the weekday is always computed.
func LongDate(t time.Time) string { return Weekday(t) + " " + Date(t) }

// DayMonth writes "2 marzo", for texts that leave the year implied.
func DayMonth(t time.Time) string { return Day(t) + " " + Month(t) }

// Ordinal writes "3º" with the masculine ordinal indicator (U+00BA), never
// the degree sign.
func Ordinal(n int) string { return fmt.Sprintf("%dº", n) }

// OrdinalFeminine writes "3ª".
func OrdinalFeminine(n int) string { return fmt.Sprintf("%dª", n) }

// Gender of a person, as the data says or as inferred from a title.
type Gender uint8

const (
	Unknown Gender = iota
	Male
	Female
)

// titles maps a title (lower case, with its final dot) to the gender it
// states; titles that do not say (e.g. "avv.", "ing.", "on.") are absent.
var titles = map[string]Gender{
	"dott.": Male, "dott.ssa": Female, "dr.": Male, "dr.ssa": Female,
	"prof.": Male, "prof.ssa": Female, "sig.": Male, "sig.ra": Female, "sig.na": Female,
	"avv.ssa": Female, "ing.ssa": Female, "arch.ssa": Female, "geom.ssa": Female,
	"rag.ssa": Female, "mons.": Male, "don": Male, "suor": Female, "padre": Male,
	"dott.sse": Female, "dott.ri": Male,
	// Written out in full, as people also type them.
	"dottore": Male, "dottoressa": Female, "professore": Male, "professoressa": Female,
	"signore": Male, "signora": Female, "signorina": Female, "avvocato": Male, "avvocata": Female,
	"avvocatessa": Female, "monsignore": Male, "suora": Female,
}

// GenderFromTitle infers the gender a title states, Unknown when it says none.
func GenderFromTitle(title string) Gender {
	return titles[strings.ToLower(strings.TrimSpace(title))]
}

// Article returns the definite article for a person: "la" for a woman, "il"
// otherwise ("il dott.", "la dott.ssa"). Before a vowel or certain consonant
// clusters Italian elides or changes it; titles are abbreviations that start
// with a consonant, so only names need the full rule (see ArticleFor).
func Article(g Gender) string {
	if g == Female {
		return "la"
	}
	return "il"
}

// ArticleFor returns the article for a word that follows it directly:
// "l'" before a vowel, "lo" before s+consonant, z, gn, ps, x, y (masculine).
func ArticleFor(g Gender, next string) string {
	r := []rune(strings.ToLower(next))
	if len(r) == 0 {
		return Article(g)
	}
	if isVowel(r[0]) {
		return "l'"
	}
	if g == Female {
		return "la"
	}
	switch {
	case r[0] == 's' && len(r) > 1 && !isVowel(r[1]),
		r[0] == 'z', r[0] == 'x', r[0] == 'y',
		len(r) > 1 && (string(r[:2]) == "gn" || string(r[:2]) == "ps" || string(r[:2]) == "pn"):
		return "lo"
	}
	return "il"
}

// Preposition contracts di/a/da/in/su with the article: ("di", "la") → "della".
func Preposition(prep, article string) string {
	stems := map[string]string{"di": "de", "a": "a", "da": "da", "in": "ne", "su": "su"}
	stem, ok := stems[prep]
	if !ok {
		return prep + " " + article
	}
	switch article {
	case "il":
		return stem + "l"
	case "l'":
		return stem + "ll'"
	default:
		return stem + "l" + article
	}
}

func isVowel(r rune) bool {
	switch unicode.ToLower(r) {
	case 'a', 'e', 'i', 'o', 'u', 'à', 'è', 'é', 'ì', 'ò', 'ó', 'ù':
		return true
	}
	return false
}

// Join writes a list the Italian way: "a", "a e b", "a, b e c".
func Join(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " e " + items[len(items)-1]
}
