package recipients

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"golang.org/x/text/unicode/norm"
)

// feminine turns a masculine title into the feminine one, for a woman
// whose title was written "dott." in the list.
var feminine = map[string]string{
	"dott.": "dott.ssa", "dr.": "dott.ssa", "prof.": "prof.ssa", "sig.": "sig.ra",
}

// DisplayTitle is the title as printed: agreed with the gender.
func (r Recipient) DisplayTitle() string {
	if r.Gender == italian.Female {
		if f, ok := feminine[strings.ToLower(r.Title)]; ok {
			return f
		}
	}
	return r.Title
}

// particles start a surname of more than one word: "De Luca", "La Rosa".
var particles = map[string]bool{
	"de": true, "del": true, "della": true, "dei": true, "degli": true, "di": true, "da": true,
	"dal": true, "dalla": true, "la": true, "lo": true, "li": true, "le": true, "lu": true,
	"van": true, "von": true, "der": true, "den": true, "du": true, "des": true, "mc": true, "san": true, "santa": true,
}

// LastName is the surname: as written in cognome, else the name's last
// word together with the particles before it ("Anna De Luca" → "De Luca").
func (r Recipient) LastName() string {
	if r.Surname != "" {
		return r.Surname
	}
	words := strings.Fields(r.Name)
	if len(words) <= 1 {
		return r.Name
	}
	i := len(words) - 1
	for i > 1 && particles[strings.ToLower(strings.TrimSuffix(words[i-1], "'"))] {
		i--
	}
	if strings.HasSuffix(words[len(words)-1], "'") {
		return r.Name
	}
	return strings.Join(words[i:], " ")
}

// FullName is the name and the surname, as the address block prints them:
// nome followed by cognome ("Łucja" + "Nowak"), or nome alone when it
// already ends with the surname ("Łucja Nowak" + "Nowak") or there is no
// cognome.
func (r Recipient) FullName() string {
	if r.Surname == "" || endsWithWords(r.Name, r.Surname) {
		return r.Name
	}
	return r.Name + " " + r.Surname
}

// givenName is FullName without the surname ("" when nothing is left).
func (r Recipient) givenName() string {
	full, last := strings.Fields(r.FullName()), strings.Fields(r.LastName())
	if !endsWithWords(r.FullName(), r.LastName()) {
		return ""
	}
	return strings.Join(full[:len(full)-len(last)], " ")
}

// endsWithWords says whether the words of s end with the words of suffix,
// ignoring case: "Anna De Luca" ends with "de luca", "Anna Nowakowska"
// not with "Nowak".
func endsWithWords(s, suffix string) bool {
	ws, wsuf := strings.Fields(s), strings.Fields(suffix)
	if len(wsuf) == 0 || len(wsuf) > len(ws) {
		return false
	}
	for i, w := range wsuf {
		if !strings.EqualFold(ws[len(ws)-len(wsuf)+i], w) {
			return false
		}
	}
	return true
}

// Greeting is the letter's salutation: the recipient's own (saluto), else
// "Gentile prof.ssa Nowak," with a title, else "Gentile Łucja Nowak,".
func (r Recipient) Greeting() string {
	if r.Salutation != "" {
		return r.Salutation
	}
	if t := r.DisplayTitle(); t != "" {
		return fmt.Sprintf("Gentile %s\u00a0%s,", t, r.LastName())
	}
	return fmt.Sprintf("Gentile %s,", r.FullName())
}

// AddressLines is the address block at the top right of the letter, the
// Italian way: the title with its article and the full name ("Alla
// prof.ssa Łucja Nowak", "Al dott. Mario Rossi", "All'avv. Anna De Luca";
// without a title "Alla cortese attenzione di" and the name below), the
// role, the body.
func (r Recipient) AddressLines() []string {
	var lines []string
	if t := r.DisplayTitle(); t != "" {
		g := r.Gender
		if g == italian.Unknown {
			g = italian.GenderFromTitle(t)
		}
		art := capitalize(italian.Preposition("a", italian.ArticleFor(g, t)))
		if !strings.HasSuffix(art, "'") {
			art += " "
		}
		lines = []string{art + t + " " + r.FullName()}
	} else {
		lines = []string{"Alla cortese attenzione di", r.FullName()}
	}
	if r.Role != "" {
		lines = append(lines, r.Role)
	}
	if r.Body != "" && !strings.Contains(r.Role, r.Body) {
		lines = append(lines, r.Body)
	}
	return lines
}

func capitalize(s string) string {
	for i, c := range s {
		return string(unicode.ToUpper(c)) + s[i+len(string(c)):]
	}
	return s
}

// translit spells letters that have no decomposition in Latin, so that a
// file name says whose letter it is ("Łukasz" → "lukasz", "Мария" → "mariia").
var translit = map[rune]string{
	'ł': "l", 'đ': "d", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'ı': "i", 'þ': "th", 'ð': "d",
	// Cyrillic
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "iu", 'я': "ia", 'і': "i", 'ї': "i", 'є': "ie", 'ґ': "g", 'ј': "j", 'љ': "lj", 'њ': "nj",
	'ћ': "c", 'џ': "dz", 'ђ': "d",
	// Greek
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i", 'κ': "k",
	'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t",
	'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

// Slug is a lower-case ASCII form of the name for file names: letters,
// digits and dashes, at most max bytes, "destinatario" when nothing is left.
func Slug(name string, max int) string {
	var b strings.Builder
	dash := false
	bare := strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(strings.ToLower(name)))
	for _, r := range strings.ReplaceAll(bare, "ου", "ou") {
		s := ""
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			s = string(r)
		default:
			s = translit[r]
		}
		if s == "" {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(s)
	}
	out := b.String()
	if len(out) > max {
		out = strings.TrimRight(out[:max], "-")
	}
	if out == "" {
		return "destinatario"
	}
	return out
}

// FileSuffix is what distinguishes recipient i's letter (0-based): a
// three-digit index, which keeps names unique (two people may share a
// surname, or even a name) and in list order, then the slug of the
// surname followed by the given name ("_001-nowak-lucja").
func FileSuffix(i int, r Recipient) string {
	return fmt.Sprintf("_%03d-%s", i+1, Slug(strings.TrimSpace(r.LastName()+" "+r.givenName()), 40))
}
