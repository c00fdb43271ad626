package compose

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const nbsp = "\u00a0"

// titles are the abbreviations tied to the word after them, longer first
// where one begins another ("dott.ssa" before "dott.").
var titles = []string{"dott.ssa", "prof.ssa", "sig.ra", "dott.", "prof.", "avv.", "ing.", "on.", "sig.", "arch.", "geom.", "rag.", "mons.", "sen.", "n.", "nn.", "art.", "prot.", "p.v."}

// months are the names tieNumbers looks for.
var months = []string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}

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
			t := tieNumbers(tieTitles(r.Text))
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

// Typography is what polish does to the words of a letter, for text that
// is printed elsewhere (the HTML calendar): the ties of "dott. Rossi",
// "2 marzo 2022" and "ore 15", and, when smart, typographic quotes and
// apostrophes.
func Typography(s string, smart bool) string {
	s = tieNumbers(tieTitles(s))
	if smart {
		prev := ' '
		s = quotes(s, &prev)
	}
	return s
}

// tieAcrossRuns ties a title that ends one run to the name that starts the
// next ("dott. " + "**Antonio Tedeschi**").
func tieAcrossRuns(runs []Run) {
	for i := 0; i+1 < len(runs); i++ {
		t := runs[i].Text
		if w := lastWord(t) + " "; strings.HasSuffix(t, " ") && tieTitles(w) != w {
			runs[i].Text = strings.TrimSuffix(t, " ") + nbsp
		}
	}
}

// tieTitles replaces the spaces after a title ("dott. ", "Prot. n. ") with
// one non-breaking space. A title starts where a word starts (the byte
// before it is not an ASCII letter, digit or underscore) and matches
// without regard to ASCII case. It is the hot path of composition, so it
// scans by hand what the regular expression
// (?i)\b(dott\.ssa|…|p\.v\.) + would find; the tests hold that expression
// as its specification.
func tieTitles(s string) string {
	if !strings.Contains(s, ".") || !strings.Contains(s, " ") {
		return s
	}
	var spans [][2]int
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) || i > 0 && isWordByte(s[i-1]) {
			continue
		}
		for _, t := range titles {
			if a, b, ok := spacesAfter(s, i, t); ok {
				spans = append(spans, [2]int{a, b})
				i = b - 1
				break
			}
		}
	}
	return tie(s, spans)
}

// tieNumbers replaces with one non-breaking space the spaces of
// "2 marzo" and "2º marzo" (one or two digits), "marzo 2022" (four digits)
// and "ore 15" or "h. 15". Names match without regard to ASCII case and
// start and end at word boundaries, as in the regular expressions the
// tests hold as its specification.
func tieNumbers(s string) string {
	if !strings.ContainsAny(s, "0123456789") || !strings.Contains(s, " ") {
		return s
	}
	var spans [][2]int // runs of spaces to tie, in order
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) || i > 0 && isWordByte(s[i-1]) {
			continue
		}
		if a, b, ok := spacesAfter(s, i, "ore"); ok && b < len(s) && isDigit(s[b]) {
			spans = append(spans, [2]int{a, b})
			continue
		}
		if a, b, ok := spacesAfter(s, i, "h."); ok && b < len(s) && isDigit(s[b]) {
			spans = append(spans, [2]int{a, b})
			continue
		}
		for _, m := range months {
			n := i + len(m)
			if n > len(s) || !asciiEqualFold(s[i:n], m) || n < len(s) && isWordByte(s[n]) {
				continue
			}
			if a := daySpaces(s, i); a < i {
				spans = append(spans, [2]int{a, i})
			}
			if a, b, ok := spacesAfter(s, i, m); ok && b+4 <= len(s) && allDigits(s[b:b+4]) && (b+4 == len(s) || !isWordByte(s[b+4])) {
				spans = append(spans, [2]int{a, b})
			}
			i = n - 1
			break
		}
	}
	return tie(s, spans)
}

// tie replaces each run of spaces [a, b) of spans, in order and apart, with
// one non-breaking space.
func tie(s string, spans [][2]int) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp[0]])
		b.WriteString(nbsp)
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// spacesAfter reports whether word (lower-case ASCII) stands at i and is followed
// by one or more spaces, which it returns as [a, b).
func spacesAfter(s string, i int, word string) (a, b int, ok bool) {
	a = i + len(word)
	if a >= len(s) || s[a] != ' ' || !asciiEqualFold(s[i:a], word) {
		return 0, 0, false
	}
	b = a
	for b < len(s) && s[b] == ' ' {
		b++
	}
	return a, b, true
}

// daySpaces returns where the spaces before the month at i start when a day
// ("2", "12", "2º", "2°") at a word boundary precedes them, and i otherwise.
func daySpaces(s string, i int) int {
	k := i
	for k > 0 && s[k-1] == ' ' {
		k--
	}
	a := k
	if a == i {
		return i
	}
	if k >= 2 && (s[k-2:k] == "º" || s[k-2:k] == "°") {
		k -= 2
	}
	d := 0
	for k > 0 && isDigit(s[k-1]) && d < 3 {
		k--
		d++
	}
	if d == 0 || d > 2 || k > 0 && isWordByte(s[k-1]) {
		return i
	}
	return a
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for k := range len(s) {
		if !isDigit(s[k]) {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isWordByte(c byte) bool { return isASCIILetter(c) || isDigit(c) || c == '_' }

// asciiEqualFold compares s with the lower-case ASCII title t.
func asciiEqualFold(s, t string) bool {
	for k := range len(t) {
		c := s[k]
		if isASCIILetter(c) {
			c |= 0x20
		}
		if c != t[k] {
			return false
		}
	}
	return true
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
