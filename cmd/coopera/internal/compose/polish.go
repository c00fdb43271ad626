package compose

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

const nbsp = "\u00a0"

var (
	titleSpace = regexp.MustCompile(`(?i)\b(dott\.ssa|prof\.ssa|sig\.ra|dott\.|prof\.|avv\.|ing\.|on\.|sig\.|arch\.|geom\.|rag\.|mons\.|sen\.|n\.|nn\.|art\.|prot\.|p\.v\.) +`)
	dayMonth   = regexp.MustCompile(`(?i)\b(\d{1,2}[º°]?) +(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)\b`)
	monthYear  = regexp.MustCompile(`(?i)\b(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre) +(\d{4})\b`)
	hourSpace  = regexp.MustCompile(`(?i)\b(ore|h\.) +(\d)`)
)

// polish applies the typographic conventions of an Italian office: ties
// that keep "dott. Rossi", "2 marzo 2022" and "ore 15:00" on one line,
// and, unless the profile turns it off, typographic quotes and apostrophes.
// Links are left exactly as written.
func polish(blocks []Block, smart bool) {
	for bi := range blocks {
		prev := ' '
		for ri := range blocks[bi].Runs {
			r := &blocks[bi].Runs[ri]
			if r.Link != "" && strings.Contains(r.Text, "/") {
				prev = lastRune(r.Text, prev)
				continue
			}
			t := r.Text
			t = titleSpace.ReplaceAllString(t, "$1"+nbsp)
			t = dayMonth.ReplaceAllString(t, "$1"+nbsp+"$2")
			t = monthYear.ReplaceAllString(t, "$1"+nbsp+"$2")
			t = hourSpace.ReplaceAllString(t, "$1"+nbsp+"$2")
			if smart {
				t = quotes(t, &prev)
			} else {
				prev = lastRune(t, prev)
			}
			r.Text = t
		}
		tieAcrossRuns(blocks[bi].Runs)
	}
}

// tieAcrossRuns ties a title that ends one run to the name that starts the
// next ("dott. " + "**Antonio Tedeschi**").
func tieAcrossRuns(runs []Run) {
	for i := 0; i+1 < len(runs); i++ {
		t := runs[i].Text
		if strings.HasSuffix(t, " ") && titleSpace.MatchString(lastWord(t)+" ") {
			runs[i].Text = strings.TrimSuffix(t, " ") + nbsp
		}
	}
}

func lastWord(s string) string {
	s = strings.TrimRight(s, " ")
	if i := strings.LastIndexAny(s, " "+nbsp); i >= 0 {
		return s[i+1:]
	}
	return s
}

func lastRune(s string, def rune) rune {
	if s == "" {
		return def
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// quotes turns straight quotes into typographic ones by context: after a
// letter or digit a ' is an apostrophe or closing quote (’), elsewhere an
// opening one (‘); " opens after a space or bracket and closes otherwise.
func quotes(s string, prev *rune) string {
	if !strings.ContainsAny(s, `'"`) {
		*prev = lastRune(s, *prev)
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\'':
			if unicode.IsLetter(*prev) || unicode.IsDigit(*prev) || unicode.IsPunct(*prev) && *prev != '(' && *prev != '[' {
				b.WriteRune('’')
			} else {
				b.WriteRune('‘')
			}
		case '"':
			if unicode.IsSpace(*prev) || *prev == '(' || *prev == '[' || *prev == 0xa0 || *prev == '‘' {
				b.WriteRune('“')
			} else {
				b.WriteRune('”')
			}
		default:
			b.WriteRune(r)
		}
		*prev = r
	}
	return b.String()
}
