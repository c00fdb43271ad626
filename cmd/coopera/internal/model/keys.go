package model

import (
	"fmt"
	"strings"
	"unicode"
)

// lookalikes maps the Cyrillic and Greek letters that print like Latin
// ones to the Latin letter a reader sees.
var lookalikes = map[rune]rune{
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ѵ': 'v',
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S',
	'ο': 'o', 'α': 'a', 'ι': 'i', 'ν': 'v', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'κ': 'k', 'ε': 'e', 'ϲ': 'c',
	'Ο': 'O', 'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ρ': 'P', 'Τ': 'T', 'Χ': 'X', 'Ζ': 'Z', 'Η': 'H', 'Υ': 'Y',
}

// scriptName names, in Italian and in the feminine (la lettera …), the
// alphabet of a letter that is not Latin.
func scriptName(r rune) string {
	for _, s := range []struct {
		table *unicode.RangeTable
		name  string
	}{
		{unicode.Cyrillic, "cirillica"}, {unicode.Greek, "greca"}, {unicode.Armenian, "armena"},
		{unicode.Hebrew, "ebraica"}, {unicode.Arabic, "araba"}, {unicode.Georgian, "georgiana"},
	} {
		if unicode.Is(s.table, r) {
			return s.name
		}
	}
	return "di un altro alfabeto"
}

// UnknownKey explains a key that is none of known. A key that holds a
// letter of another alphabet (a Cyrillic «а» that prints like «a») is
// named as such, with its Latin spelling, instead of «forse intendevi»
// and two words that look the same.
func UnknownKey(key string, known []string) (message, hint string) {
	for _, r := range key {
		if !unicode.IsLetter(r) || unicode.Is(unicode.Latin, r) {
			continue
		}
		message = fmt.Sprintf("la chiave «%s» contiene la lettera %s «%c» (U+%04X)", key, scriptName(r), r, r)
		latin := strings.Map(func(r rune) rune {
			if l, ok := lookalikes[r]; ok {
				return l
			}
			return r
		}, key)
		for _, k := range known {
			if k == latin || k == strings.ToLower(latin) {
				return message, "riscrivila con lettere latine: " + k
			}
		}
		if s := suggest(latin, known); s != "" {
			return message, "riscrivila con lettere latine: forse intendevi «" + s + "»?"
		}
		return message, "riscrivila con lettere latine; le chiavi ammesse sono: " + strings.Join(known, ", ")
	}
	if s := suggest(key, known); s != "" {
		return "chiave sconosciuta", "forse intendevi «" + s + "»?"
	}
	return "chiave sconosciuta", "le chiavi ammesse qui sono: " + strings.Join(known, ", ")
}
