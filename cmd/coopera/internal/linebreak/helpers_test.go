package linebreak

import (
	"math"
	"strings"
	"testing"
)

// Test material: an 11 pt serif measured with a rough Times-like width table,
// set in a 16 cm (453.5 pt) column, with TeX's interword glue for 11 pt.
const (
	pt11       = 11.0
	column     = 453.5
	hyphenW    = 0.333 * pt11
	spaceW     = 0.25 * pt11
	spaceY     = 0.125 * pt11
	spaceZ     = 0.083 * pt11
	sampleText = `Un ulteriore incontro del Tavolo tecnico del Coordinamento dei Comuni siciliani aderenti alla rete del Sistema di Accoglienza Integrazione, che vuole essere un valido strumento per rafforzare la Rete siciliana e promuovere un confronto ed una collaborazione tra i Comuni titolari dei progetti, è il tema del webinar online che si svolgerà il prossimo trentuno gennaio dalle quindici alle diciassette, promosso dall'ANCI Sicilia nell'ambito del Progetto Coopera, che vede come capofila il Comune di Palermo, a cui aderiscono come partners anche i Comuni di Trapani ed Agrigento, le Aziende Sanitarie provinciali di Siracusa, Agrigento e Trapani, il Policlinico di Palermo, il Polo Universitario di Agrigento e il Centro per la formazione permanente e l'aggiornamento del personale del servizio sanitario di Caltanissetta.`
)

func charWidth(r rune) float64 {
	switch {
	case strings.ContainsRune("ijlt'.,;:!", r):
		return 0.28
	case strings.ContainsRune("frI", r):
		return 0.33
	case strings.ContainsRune("mwMW", r):
		return 0.78
	case r >= 'A' && r <= 'Z':
		return 0.68
	default:
		return 0.5
	}
}

func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += charWidth(r) * pt11
	}
	return w
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouàèéìòùAEIOU", r) }

// syllables splits a word before each consonant that is followed by a vowel,
// keeping two letters on each side: crude, but enough to give the breaker the
// hyphenation points of a real Italian text.
func syllables(word string) []string {
	rs := []rune(word)
	if strings.ContainsAny(word, "'") || len(rs) < 5 {
		return []string{word}
	}
	var out []string
	last := 0
	for i := 2; i <= len(rs)-3; i++ {
		if !isVowel(rs[i]) && isVowel(rs[i+1]) && isVowel(rs[i-1]) && i-last >= 2 {
			out = append(out, string(rs[last:i]))
			last = i
		}
	}
	return append(out, string(rs[last:]))
}

// paragraph builds the items of text with hyphenation points and an indent.
func paragraph(text string, indent float64) []Item {
	var items []Item
	if indent > 0 {
		items = append(items, Item{Kind: Box, Width: indent})
	}
	for i, word := range strings.Fields(text) {
		if i > 0 {
			items = append(items, Item{Kind: Glue, Width: spaceW, Stretch: spaceY, Shrink: spaceZ})
		}
		for j, syl := range syllables(word) {
			if j > 0 {
				items = append(items, Item{Kind: Penalty, Width: hyphenW, Penalty: DefaultOptions().HyphenPenalty, Flagged: true})
			}
			items = append(items, Item{Kind: Box, Width: textWidth(syl)})
		}
	}
	return Finish(items)
}

// words builds a paragraph of boxes of the given widths separated by glue.
func words(glue Item, widths ...float64) []Item {
	var items []Item
	for i, w := range widths {
		if i > 0 {
			items = append(items, glue)
		}
		items = append(items, Item{Kind: Box, Width: w})
	}
	return Finish(items)
}

// measure recomputes a line's natural width, stretch, shrink and fil count.
func measure(items []Item, l Line) (w, y, z float64, fil, boxes int) {
	for _, it := range items[l.Start:l.End] {
		switch it.Kind {
		case Box:
			w += it.Width
			boxes++
		case Glue:
			w += it.Width
			z += it.Shrink
			if it.Stretch >= Fil {
				fil++
			} else {
				y += it.Stretch
			}
		}
	}
	if l.End < len(items) && items[l.End].Kind == Penalty {
		w += items[l.End].Width
	}
	return
}

func widthOf(widths []float64, i int) float64 {
	return widths[min(i, len(widths)-1)]
}

// checkLines asserts the invariants every result must satisfy: lines cover
// the items in order, end at legal breaks, and fill their width exactly unless
// they are ragged or overfull.
func checkLines(t *testing.T, items []Item, widths []float64, lines []Line) {
	t.Helper()
	if len(lines) == 0 {
		t.Fatalf("no lines for %d items", len(items))
	}
	prevEnd := -1
	for i, l := range lines {
		if l.Start > l.End || l.End > len(items) {
			t.Fatalf("line %d: bad range [%d,%d)", i, l.Start, l.End)
		}
		if i == 0 && l.Start != 0 {
			t.Fatalf("first line starts at %d", l.Start)
		}
		if i > 0 {
			if l.Start <= prevEnd && !(l.Start == l.End && l.End > prevEnd) {
				t.Fatalf("line %d starts at %d, previous ended at %d", i, l.Start, prevEnd)
			}
			for j := prevEnd + 1; j < l.Start; j++ {
				if items[j].Kind == Box {
					t.Fatalf("line %d skips box %d", i, j)
				}
			}
		}
		if l.End < len(items) {
			it := items[l.End]
			switch {
			case it.Kind == Box:
				t.Fatalf("line %d breaks at a box", i)
			case it.Kind == Penalty && it.Penalty >= Infinity:
				t.Fatalf("line %d breaks at a forbidden penalty", i)
			case it.Kind == Glue && (l.End == 0 || items[l.End-1].Kind != Box):
				t.Fatalf("line %d breaks at glue not preceded by a box", i)
			}
		}
		for j := max(l.Start, prevEnd+1); j < l.End; j++ {
			if forced(items[j]) {
				t.Fatalf("line %d runs over forced break %d", i, j)
			}
		}
		if l.Ratio < -1 {
			t.Fatalf("line %d: ratio %g < -1", i, l.Ratio)
		}
		w, y, z, _, _ := measure(items, l)
		lw := widthOf(widths, i)
		switch {
		case l.Overfull:
			if l.Ratio != 0 || w-z <= lw {
				t.Fatalf("line %d: overfull with ratio %g, width %g-%g on %g", i, l.Ratio, w, z, lw)
			}
		case l.Ragged:
			if l.Ratio != 0 || w > lw+1e-6 {
				t.Fatalf("line %d: ragged with ratio %g, width %g on %g", i, l.Ratio, w, lw)
			}
		default:
			set := w + l.Ratio*y
			if l.Ratio < 0 {
				set = w + l.Ratio*z
			}
			if math.Abs(set-lw) > 1e-6 {
				t.Fatalf("line %d: set width %g, want %g (ratio %g)", i, set, lw, l.Ratio)
			}
			set = 0
			for _, it := range items[l.Start:l.End] {
				switch it.Kind {
				case Box:
					set += it.Width
				case Glue:
					set += l.GlueWidth(it)
				}
			}
			if l.End < len(items) && items[l.End].Kind == Penalty {
				set += items[l.End].Width
			}
			if math.Abs(set-lw) > 1e-6 {
				t.Fatalf("line %d: width with GlueWidth %g, want %g", i, set, lw)
			}
		}
		prevEnd = l.End
	}
	if last := lines[len(lines)-1]; last.End != len(items) && !(last.End == len(items)-1 && forced(items[last.End])) {
		t.Fatalf("last line ends at %d of %d", last.End, len(items))
	}
}

// totalDemerits scores lines independently of the breaker, with TeX's rules.
func totalDemerits(items []Item, widths []float64, opt Options, lines []Line) float64 {
	return passDemerits(items, widths, opt, lines, refPass{})
}

// passDemerits scores lines as pass p of the breaker does: with p's
// emergency stretch, and with uncapped badness past Infinity in the last pass.
func passDemerits(items []Item, widths []float64, opt Options, lines []Line, p refPass) float64 {
	total := 0.0
	prevFit, prevHyph := 2, false
	for i, l := range lines {
		w, y, z, fil, _ := measure(items, l)
		lw := widthOf(widths, i)
		bad, fit := 0.0, 2
		if w < lw && fil == 0 {
			if y > 0 {
				y += p.emergency
			}
			if y <= 0 {
				bad = Infinity
			} else {
				bad = min(100*math.Pow((lw-w)/y, 3), Infinity)
			}
			if bad > 99 {
				fit = 0
			} else if bad > 12 {
				fit = 1
			}
			if p.final && bad >= Infinity {
				bad = lastResortBadness(lw-w, y, lw)
			}
		} else if w > lw {
			bad = min(100*math.Pow((w-lw)/z, 3), Infinity)
			if bad > 12 {
				fit = 3
			}
		}
		pi := 0.0
		if l.End < len(items) && items[l.End].Kind == Penalty {
			pi = items[l.End].Penalty
		}
		d := lineDemerits(opt, bad, pi)
		if l.Hyphenated && prevHyph {
			d += opt.DoubleHyphenDemerits
		}
		if i == len(lines)-1 && prevHyph {
			d += opt.FinalHyphenDemerits
		}
		if fit-prevFit > 1 || prevFit-fit > 1 {
			d += opt.AdjDemerits
		}
		total += d
		prevFit, prevHyph = fit, l.Hyphenated
	}
	return total
}

// greedy is first-fit: each line takes as many words as fit with glue shrunk.
func greedy(items []Item, width float64) []Line {
	var lines []Line
	start, lastBreak := 0, -1
	w, z := 0.0, 0.0
	for i := 0; i < len(items); i++ {
		it := items[i]
		legal := (it.Kind == Glue && i > 0 && items[i-1].Kind == Box) || (it.Kind == Penalty && it.Penalty < Infinity && !it.Flagged)
		if legal {
			if w-z > width && lastBreak >= 0 {
				lines = append(lines, Line{Start: start, End: lastBreak})
				start = lastBreak + 1
				i, w, z, lastBreak = start-1, 0, 0, -1
				continue
			}
			lastBreak = i
			if forced(it) {
				lines = append(lines, Line{Start: start, End: i})
				start, w, z, lastBreak = i+1, 0, 0, -1
				continue
			}
		}
		if it.Kind != Penalty {
			w += it.Width
			z += it.Shrink
		}
	}
	for i := range lines {
		w, y, z, fil, _ := measure(items, lines[i])
		if fil == 0 && w < width && y > 0 {
			lines[i].Ratio = (width - w) / y
		} else if w > width {
			lines[i].Ratio = (width - w) / z
		}
	}
	return lines
}
