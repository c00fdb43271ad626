// Package hyphen is the hyphenation stage of the typesetter: its one job is to
// say where an Italian word may be broken at the end of a line.
//
// It implements Liang's algorithm (the one TeX uses) over the hyph-utf8
// Italian patterns by Claudio Beccari, shipped in assets/hyph. On top of the
// patterns it applies the house rules of the documents: at least two letters
// each side of a break, no break at or next to an apostrophe, soft hyphens
// typed by the user override the patterns, and URLs, e-mail addresses,
// numbers and non-Latin words are never broken.
package hyphen

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ancisicilia/coopera/assets"
)

// softHyphen is U+00AD: where the user typed one, it is the only place a word
// may break.
const softHyphen = '\u00AD'

// stackRunes bounds the words handled without heap buffers; Italian words are
// far shorter, longer input only costs an allocation.
const stackRunes = 64

// Hyphenator is immutable after construction and safe for concurrent use.
type Hyphenator struct {
	leftMin, rightMin int

	// The trie is dense: trans[node*nsym+sym] is the child, 0 meaning none
	// (the root is never a child). For the Italian patterns that is 497 nodes
	// x 29 symbols, ~58 KB, and every step is one index operation.
	nsym  int
	ascii [utf8.RuneSelf]int16 // symbol of an ASCII rune, -1 if unused
	other map[rune]int16       // symbol of a non-ASCII rune
	trans []int32

	// A node ending a pattern has its digits at vals[voff[n] : voff[n]+vlen[n]];
	// digit t sits before the pattern's letter t.
	voff []int32
	vlen []uint8
	vals []uint8

	// exceptions maps a lower-case word to its break offsets (in letters).
	exceptions map[string][]int
}

// New parses patterns in the hyph-utf8 .pat.txt format (one pattern per
// whitespace-separated token, '%' starting a comment) and returns a
// hyphenator that keeps at least leftMin letters before and rightMin letters
// after each break.
func New(patterns string, leftMin, rightMin int) (*Hyphenator, error) {
	if leftMin < 1 || rightMin < 1 {
		return nil, fmt.Errorf("minimi di sillabazione non validi: %d e %d (devono essere almeno 1)", leftMin, rightMin)
	}
	// First pass: each pattern's letters (lower case) and digits, the
	// digits of all patterns in one buffer.
	type pattern struct {
		letters      string
		dstart, dend int32 // its digits in digits[dstart:dend]
	}
	var pats []pattern
	var digits []uint8
	var letters strings.Builder
	symOf := map[rune]int16{}
	for line := range strings.Lines(patterns) {
		if i := strings.IndexByte(line, '%'); i >= 0 {
			line = line[:i]
		}
		for _, tok := range strings.Fields(line) {
			p := pattern{dstart: int32(len(digits))}
			digits = append(digits, 0)
			letters.Reset()
			lastDigit := false
			for _, r := range tok {
				if r >= '0' && r <= '9' {
					if lastDigit {
						return nil, fmt.Errorf("modello di sillabazione non valido: %q", tok)
					}
					digits[len(digits)-1] = uint8(r - '0')
					lastDigit = true
					continue
				}
				r = unicode.ToLower(r)
				letters.WriteRune(r)
				digits = append(digits, 0)
				lastDigit = false
				if _, ok := symOf[r]; !ok {
					symOf[r] = int16(len(symOf))
				}
			}
			if letters.Len() == 0 {
				return nil, fmt.Errorf("modello di sillabazione non valido: %q", tok)
			}
			p.letters, p.dend = letters.String(), int32(len(digits))
			pats = append(pats, p)
		}
	}
	if len(pats) == 0 {
		return nil, errors.New("nessun modello di sillabazione")
	}

	h := &Hyphenator{leftMin: leftMin, rightMin: rightMin, nsym: len(symOf), other: map[rune]int16{}}
	for i := range h.ascii {
		h.ascii[i] = -1
	}
	for r, s := range symOf {
		if r < utf8.RuneSelf {
			h.ascii[r] = s
		} else {
			h.other[r] = s
		}
	}
	// The trie has a node for each distinct prefix of the patterns: with
	// the patterns sorted, a pattern adds the letters it does not share with
	// the one before it. The tables are made once at their final size, not
	// grown node by node (New runs at every start-up).
	sorted := make([]string, len(pats))
	for i, p := range pats {
		sorted[i] = p.letters
	}
	slices.Sort(sorted)
	nodes := 1
	for i, w := range sorted {
		shared := 0
		if i > 0 {
			shared = commonPrefix(sorted[i-1], w)
		}
		nodes += utf8.RuneCountInString(w[shared:])
	}
	h.trans = make([]int32, nodes*h.nsym)
	h.voff = make([]int32, nodes)
	h.vlen = make([]uint8, nodes)
	h.vals = make([]uint8, 0, len(digits))
	next := int32(1)
	for _, p := range pats {
		node := int32(0)
		for _, r := range p.letters {
			at := int(node)*h.nsym + int(symOf[r])
			if h.trans[at] == 0 {
				h.trans[at] = next
				next++
			}
			node = h.trans[at]
		}
		// A repeated pattern replaces the earlier one, as the last word wins
		// in TeX's \patterns too.
		d := digits[p.dstart:p.dend]
		h.voff[node] = int32(len(h.vals))
		h.vlen[node] = uint8(len(d))
		h.vals = append(h.vals, d...)
	}
	return h, nil
}

// commonPrefix returns the length in bytes of the longest common prefix of
// a and b that ends on a rune boundary.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && n < len(a) && !utf8.RuneStart(a[n]) {
		n--
	}
	return n
}

var italian = sync.OnceValue(func() *Hyphenator {
	data, err := assets.FS.ReadFile("hyph/hyph-it.pat.txt")
	if err != nil {
		panic("hyphen: embedded Italian patterns missing: " + err.Error())
	}
	h, err := New(string(data), 2, 2)
	if err != nil {
		panic("hyphen: embedded Italian patterns invalid: " + err.Error())
	}
	return h
})

// Italian returns the shared Italian hyphenator (patterns parsed once per
// process, lazily), leftMin=rightMin=2.
func Italian() *Hyphenator { return italian() }

// WithExceptions returns a copy that also knows exception words written with
// hyphens, e.g. "coo-pe-ra" (case-insensitive match; a word listed with no
// hyphen is never broken). Exceptions replace the patterns for the whole
// word they match (the part after an apostrophe, or one part of a hyphenated
// compound, counts as a word); the minima still apply, as in TeX.
func (h *Hyphenator) WithExceptions(words []string) (*Hyphenator, error) {
	c := *h
	c.exceptions = make(map[string][]int, len(h.exceptions)+len(words))
	for k, v := range h.exceptions {
		c.exceptions[k] = v
	}
	for _, w := range words {
		key, pts, ok := parseException(w)
		if !ok {
			return nil, fmt.Errorf("eccezione di sillabazione non valida: %q", w)
		}
		c.exceptions[key] = pts
	}
	return &c, nil
}

// ValidException reports whether w is an exception word WithExceptions
// accepts, so that the profile's decoder can place a bad one at its line.
func ValidException(w string) bool {
	_, _, ok := parseException(w)
	return ok
}

func parseException(w string) (key string, pts []int, ok bool) {
	// last is the current letter, written out once no more marks can follow.
	var b strings.Builder
	letters := 0
	prevLetter := false
	var last rune
	for _, r := range strings.TrimSpace(w) {
		switch {
		case r == '-' || r == '\u2010':
			if !prevLetter {
				return "", nil, false
			}
			b.WriteRune(last)
			pts = append(pts, letters)
			prevLetter = false
		case isMark(r):
			if !prevLetter {
				return "", nil, false
			}
			// Recompose so "citta\u0300" and "città" are the same key.
			last = compose(last, r)
		case unicode.IsLetter(r) && unicode.Is(unicode.Latin, r):
			if prevLetter {
				b.WriteRune(last)
			}
			last = unicode.ToLower(r)
			letters++
			prevLetter = true
		default:
			return "", nil, false
		}
	}
	if !prevLetter {
		return "", nil, false
	}
	b.WriteRune(last)
	return b.String(), pts, true
}

// Points returns the rune offsets inside word where a hyphen may be inserted
// (ascending). Offset k means a break between rune k-1 and rune k.
//
// A soft hyphen U+00AD at rune s yields the offset s+1 (break after it, as in
// Unicode line breaking); Split turns it into a visible hyphen.
func (h *Hyphenator) Points(word string) []int {
	// Collect on the stack so the caller's slice is allocated once, exactly.
	var buf [24]int
	pts := h.AppendPoints(buf[:0], word)
	if len(pts) == 0 {
		return nil
	}
	return slices.Clone(pts)
}

// AppendPoints is Points appending to dst, for callers that reuse a buffer.
func (h *Hyphenator) AppendPoints(dst []int, word string) []int {
	var buf [stackRunes]rune
	rs := buf[:0]
	hasSoft := false
	for _, r := range word {
		rs = append(rs, r)
		if r == softHyphen {
			hasSoft = true
		}
	}
	if hasSoft {
		return h.appendSoft(dst, rs)
	}

	lo, hi := 0, len(rs)
	for lo < hi && strings.ContainsRune(leadingPunct, rs[lo]) {
		lo++
	}
	for hi > lo && strings.ContainsRune(trailingPunct, rs[hi-1]) {
		hi--
	}
	// Anything but Latin letters, their accents, apostrophes and hyphens
	// (digits, '@', '/', ':', '.', '_', '=', '&', other scripts...) marks a
	// URL, an address, a number or a foreign word: leave it whole.
	for i := lo; i < hi; i++ {
		r := rs[i]
		switch {
		case isApostrophe(r) || isHyphen(r):
		case isMark(r):
			if i == lo || !(unicode.IsLetter(rs[i-1]) || isMark(rs[i-1])) {
				return dst
			}
		case r < utf8.RuneSelf:
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
				return dst
			}
		case !unicode.IsLetter(r) || !unicode.Is(unicode.Latin, r):
			return dst
		}
	}

	// Each part of a compound is a word of its own; within a part only what
	// follows the last apostrophe may break, hyphenated as a word of its own
	// (so word-start patterns such as ".anti1" apply). Elided articles and
	// prepositions ("dell'", "quest'") stay whole and no break touches the
	// apostrophe: TeX would allow "del-l'aria" and "que-st'anno", the house
	// style does not. The patterns containing apostrophes therefore never
	// fire.
	start := lo
	for i := lo; i <= hi; i++ {
		if i < hi && !isHyphen(rs[i]) {
			continue
		}
		seg := start
		for j := start; j < i; j++ {
			if isApostrophe(rs[j]) {
				seg = j + 1
			}
		}
		dst = h.appendWord(dst, rs, seg, i)
		start = i + 1
	}
	return dst
}

// appendWord hyphenates rs[start:end], which holds only letters and marks.
func (h *Hyphenator) appendWord(dst []int, rs []rune, start, end int) []int {
	if end-start < h.leftMin+h.rightMin {
		return dst
	}
	// letters holds the lower-case letters with accents recomposed; pos maps
	// letter k to its rune offset in rs so marks never get split off.
	var lbuf, pbuf [stackRunes]int32
	letters, pos := lbuf[:0], pbuf[:0]
	for i := start; i < end; i++ {
		r := rs[i]
		if isMark(r) {
			letters[len(letters)-1] = int32(compose(rune(letters[len(letters)-1]), r))
			continue
		}
		letters = append(letters, int32(unicode.ToLower(r)))
		pos = append(pos, int32(i))
	}
	n := len(letters)
	if n < h.leftMin+h.rightMin {
		return dst
	}

	if len(h.exceptions) > 0 {
		var kbuf [4 * stackRunes]byte
		key := kbuf[:0]
		for _, r := range letters {
			key = utf8.AppendRune(key, rune(r))
		}
		if pts, ok := h.exceptions[string(key)]; ok {
			for _, k := range pts {
				if k >= h.leftMin && k <= n-h.rightMin {
					dst = append(dst, int(pos[k]))
				}
			}
			return dst
		}
	}

	// syms is ".word." as trie symbols; vals[j] is the value between syms[j-1]
	// and syms[j].
	var sbuf [stackRunes + 2]int16
	var vbuf [stackRunes + 3]uint8
	syms := append(sbuf[:0], h.sym('.'))
	for _, r := range letters {
		syms = append(syms, h.sym(rune(r)))
	}
	syms = append(syms, h.sym('.'))
	vals := vbuf[:0]
	for range len(syms) + 1 {
		vals = append(vals, 0)
	}
	for i := range syms {
		node := int32(0)
		for j := i; j < len(syms); j++ {
			s := syms[j]
			if s < 0 {
				break
			}
			node = h.trans[int(node)*h.nsym+int(s)]
			if node == 0 {
				break
			}
			if l := h.vlen[node]; l > 0 {
				pv := h.vals[h.voff[node] : h.voff[node]+int32(l)]
				for t, v := range pv {
					if v > vals[i+t] {
						vals[i+t] = v
					}
				}
			}
		}
	}
	// A break before letter k is between syms[k] and syms[k+1].
	for k := h.leftMin; k <= n-h.rightMin; k++ {
		if vals[k+1]%2 == 1 {
			dst = append(dst, int(pos[k]))
		}
	}
	return dst
}

// appendSoft returns the user's soft hyphens as the only breaks, keeping the
// minima so no fragment is shorter than the patterns would allow.
func (h *Hyphenator) appendSoft(dst []int, rs []rune) []int {
	total := 0
	for _, r := range rs {
		if r != softHyphen {
			total++
		}
	}
	before := 0
	for i, r := range rs {
		if r != softHyphen {
			before++
			continue
		}
		if i > 0 && rs[i-1] == softHyphen {
			continue
		}
		if before >= h.leftMin && total-before >= h.rightMin {
			dst = append(dst, i+1)
		}
	}
	return dst
}

// sym returns the trie symbol of r, -1 when no pattern uses it (accented
// vowels in the Italian set: TeX also treats them as letters no pattern
// matches).
func (h *Hyphenator) sym(r rune) int16 {
	if r < utf8.RuneSelf {
		if r < 0 {
			return -1
		}
		return h.ascii[r]
	}
	if s, ok := h.other[r]; ok {
		return s
	}
	return -1
}

// Split breaks word at rune offset k the way the typesetter prints it: soft
// hyphens vanish from both halves and the first half ends with a hyphen.
func Split(word string, k int) (before, after string) {
	var b, a strings.Builder
	i := 0
	for _, r := range word {
		if r != softHyphen {
			if i < k {
				b.WriteRune(r)
			} else {
				a.WriteRune(r)
			}
		}
		i++
	}
	if k > 0 && k < i {
		b.WriteByte('-')
	}
	return b.String(), a.String()
}

// Hyphenate is a convenience for tests and debugging: "am-mi-ni-stra-zio-ne".
// Soft hyphens in word are dropped and shown as '-' where they break.
func (h *Hyphenator) Hyphenate(word string) string {
	pts := h.Points(word)
	var b strings.Builder
	i, p := 0, 0
	for _, r := range word {
		if p < len(pts) && pts[p] == i {
			b.WriteByte('-')
			p++
		}
		if r != softHyphen {
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

const (
	leadingPunct  = "([{«\"“‘'’‹„¡¿*"
	trailingPunct = ".,;:!?…)]}»\"”’'›*"
)

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u02BC' }

func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

func isMark(r rune) bool { return r >= 0x300 && unicode.Is(unicode.Mn, r) }

// compose folds a combining grave or acute accent into an Italian vowel so
// decomposed text hyphenates like precomposed text; any other mark makes the
// letter one no pattern knows.
func compose(base, mark rune) rune {
	switch mark {
	case '\u0300':
		switch base {
		case 'a':
			return 'à'
		case 'e':
			return 'è'
		case 'i':
			return 'ì'
		case 'o':
			return 'ò'
		case 'u':
			return 'ù'
		}
	case '\u0301':
		switch base {
		case 'a':
			return 'á'
		case 'e':
			return 'é'
		case 'i':
			return 'í'
		case 'o':
			return 'ó'
		case 'u':
			return 'ú'
		}
	}
	return utf8.RuneError
}
