package linebreak

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

var space = Item{Kind: Glue, Width: 6, Stretch: 3, Shrink: 2}

func ends(lines []Line) []int {
	out := make([]int, len(lines))
	for i, l := range lines {
		out[i] = l.End
	}
	return out
}

func noEmergency() Options {
	o := DefaultOptions()
	o.EmergencyStretch = 0
	return o
}

func TestBreakEmpty(t *testing.T) {
	if got := Break(nil, []float64{100}, DefaultOptions()); got != nil {
		t.Fatalf("Break(nil) = %v, want nil", got)
	}
	if got := Break([]Item{}, []float64{100}, DefaultOptions()); got != nil {
		t.Fatalf("Break(empty) = %v, want nil", got)
	}
	if got := Break(words(space, 10), nil, DefaultOptions()); got != nil {
		t.Fatalf("Break(no widths) = %v, want nil", got)
	}
}

// The classic case: first fit fills line 1 to its full shrink and leaves
// line 2 very loose (r = 2.17); total fit moves one word down and sets both
// lines at |r| = 0.5.
func TestOptimalBeatsGreedy(t *testing.T) {
	items := words(space, 10, 15, 25, 10, 10, 10, 30, 15, 30, 15)
	widths := []float64{100}
	opt := noEmergency()

	lines := Break(items, widths, opt)
	checkLines(t, items, widths, lines)
	if got, want := ends(lines), []int{9, 17, 21}; !slices.Equal(got, want) {
		t.Fatalf("breaks = %v, want %v", got, want)
	}
	if got, want := []float64{lines[0].Ratio, lines[1].Ratio, lines[2].Ratio}, []float64{0.5, -0.5, 0}; !slices.Equal(got, want) {
		t.Fatalf("ratios = %v, want %v", got, want)
	}
	// (10+12.5)² for the loose and the tight line, (10+0)² for the last one,
	// and AdjDemerits because loose and tight are not adjacent classes.
	if got := totalDemerits(items, widths, opt, lines); math.Abs(got-11112.5) > 1e-9 {
		t.Fatalf("demerits = %g, want 11112.5", got)
	}
	if ref := reference(items, widths, opt, opt.PreTolerance, false); math.Abs(ref-11112.5) > 1e-9 {
		t.Fatalf("reference demerits = %g, want 11112.5", ref)
	}

	g := greedy(items, 100)
	if got, want := ends(g), []int{11, 17, 21}; !slices.Equal(got, want) {
		t.Fatalf("greedy breaks = %v, want %v", got, want)
	}
	if g[1].Ratio < 2 {
		t.Fatalf("greedy line 2 ratio = %g, want a very loose line", g[1].Ratio)
	}
	if o, gr := totalDemerits(items, widths, opt, lines), totalDemerits(items, widths, opt, g); o >= gr {
		t.Fatalf("optimal demerits %g not below greedy %g", o, gr)
	}
}

// On real text the result must be at least as good as first fit, stay within
// the tolerance and not hyphenate a paragraph that sets well without.
func TestSampleParagraph(t *testing.T) {
	opt := DefaultOptions()
	bound := math.Cbrt(opt.Tolerance / 100)
	// Widths at which the second pass succeeds (checked against reference).
	for _, w := range []float64{column, 400} {
		items := paragraph(sampleText, 11)
		widths := []float64{w}
		lines := Break(items, widths, opt)
		checkLines(t, items, widths, lines)
		if ref := reference(items, widths, opt, opt.Tolerance, true); math.IsInf(ref, 1) {
			t.Fatalf("width %g: no solution at tolerance", w)
		}
		for i, l := range lines[:len(lines)-1] {
			if l.Ratio < -1 || l.Ratio > bound {
				t.Errorf("width %g line %d: ratio %g outside [-1, %g]", w, i, l.Ratio, bound)
			}
		}
		if g := greedy(items, w); totalDemerits(items, widths, opt, lines) > totalDemerits(items, widths, opt, g) {
			t.Errorf("width %g: worse than first fit", w)
		}
	}
	items := paragraph(sampleText, 11)
	for _, l := range Break(items, []float64{column}, opt) {
		if l.Hyphenated {
			t.Errorf("line ending at %d hyphenated although the first pass succeeds", l.End)
		}
	}
}

// The active-list breaker must find the same optimum as an exhaustive
// dynamic program over all states, on random paragraphs with hyphenation
// points, penalties and varying widths.
func TestMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	checked := 0
	for iter := 0; iter < 3000; iter++ {
		items := randomParagraph(r, 8+r.IntN(30))
		widths := []float64{80 + float64(r.IntN(60))}
		if r.IntN(3) == 0 {
			widths = append(widths, 60+float64(r.IntN(80)), 60+float64(r.IntN(80)))
		}
		opt := noEmergency()
		if r.IntN(2) == 0 {
			opt.MaxConsecutiveHyphens = 1
		}
		want := reference(items, widths, opt, opt.PreTolerance, false)
		if math.IsInf(want, 1) {
			want = reference(items, widths, opt, opt.Tolerance, true)
		}
		lines := Break(items, widths, opt)
		checkLines(t, items, widths, lines)
		if math.IsInf(want, 1) {
			continue
		}
		checked++
		if got := totalDemerits(items, widths, opt, lines); math.Abs(got-want) > 1e-6*max(1, want) {
			t.Fatalf("iteration %d: demerits %g, reference %g\nitems %v\nwidths %v\nlines %v", iter, got, want, items, widths, lines)
		}
	}
	if checked < 500 {
		t.Fatalf("only %d feasible random paragraphs checked", checked)
	}
}

func randomParagraph(r *rand.Rand, nWords int) []Item {
	var items []Item
	for i := 0; i < nWords; i++ {
		items = appendRandomWord(r, items)
	}
	return Finish(items)
}

// randomItems is a random paragraph of about n items (Finish's included).
func randomItems(r *rand.Rand, n int) []Item {
	var items []Item
	for len(items)+3 < n {
		items = appendRandomWord(r, items)
	}
	return Finish(items)
}

// appendRandomWord appends a word of one to three syllables, preceded (unless
// it is the first) by glue and sometimes a tie or a penalty.
func appendRandomWord(r *rand.Rand, items []Item) []Item {
	if len(items) > 0 {
		switch r.IntN(10) {
		case 0: // tie: no break here
			items = append(items, Item{Kind: Penalty, Penalty: Infinity})
		case 1:
			items = append(items, Item{Kind: Penalty, Penalty: float64(r.IntN(200) - 100)})
		}
		items = append(items, Item{Kind: Glue, Width: 5 + float64(r.IntN(3)), Stretch: 3, Shrink: 1.5})
	}
	for s := r.IntN(3); s >= 0; s-- {
		items = append(items, Item{Kind: Box, Width: 6 + float64(r.IntN(12))})
		if s > 0 {
			items = append(items, Item{Kind: Penalty, Width: 4, Penalty: 50, Flagged: true})
		}
	}
	return items
}

func TestForcedBreak(t *testing.T) {
	var items []Item
	items = append(items, Item{Kind: Box, Width: 20}, space, Item{Kind: Box, Width: 20})
	items = append(items, Item{Kind: Penalty, Penalty: Infinity}, Item{Kind: Glue, Stretch: Fil}, Item{Kind: Penalty, Penalty: -Infinity})
	forcedAt := len(items) - 1
	items = append(items, Item{Kind: Glue, Width: 6}, Item{Kind: Box, Width: 30}, space, Item{Kind: Box, Width: 30})
	items = Finish(items)
	widths := []float64{100}
	lines := Break(items, widths, DefaultOptions())
	checkLines(t, items, widths, lines)
	if got, want := ends(lines), []int{forcedAt, len(items) - 1}; !slices.Equal(got, want) {
		t.Fatalf("breaks = %v, want %v", got, want)
	}
	if lines[1].Start != forcedAt+2 {
		t.Fatalf("line 2 starts at %d, want %d (glue after the break discarded)", lines[1].Start, forcedAt+2)
	}
	if !lines[0].Ragged || lines[0].Ratio != 0 {
		t.Fatalf("line ended by fil and a forced break: %+v, want ragged", lines[0])
	}
}

// Non-breaking spaces (penalty Infinity before the glue) and forbidding
// penalties are never breaks, even when breaking there would be best.
func TestForbiddenBreak(t *testing.T) {
	nbsp := []Item{{Kind: Penalty, Penalty: Infinity}, space}
	var items []Item
	for i := 0; i < 12; i++ {
		if i > 0 {
			if i%2 == 1 {
				items = append(items, nbsp...)
			} else {
				items = append(items, space)
			}
		}
		items = append(items, Item{Kind: Box, Width: 12})
	}
	items = Finish(items)
	widths := []float64{70}
	lines := Break(items, widths, DefaultOptions())
	checkLines(t, items, widths, lines)
	for _, l := range lines[:len(lines)-1] {
		if items[l.End-1].Kind == Penalty {
			t.Fatalf("break at %d follows a forbidding penalty", l.End)
		}
	}
}

func TestHyphenation(t *testing.T) {
	// Words of three syllables in a column where nothing sets well without
	// hyphenation: hyphens are used, never on more than two lines in a row,
	// and never on a single line in a row with MaxConsecutiveHyphens = 1.
	var items []Item
	for i := 0; i < 60; i++ {
		if i > 0 {
			items = append(items, Item{Kind: Glue, Width: 4, Stretch: 2, Shrink: 1.3})
		}
		for s := 0; s < 3; s++ {
			if s > 0 {
				items = append(items, Item{Kind: Penalty, Width: 4, Penalty: 50, Flagged: true})
			}
			items = append(items, Item{Kind: Box, Width: 14 + float64((i*7+s*3)%9)})
		}
	}
	items = Finish(items)
	for _, max := range []int{2, 1} {
		opt := noEmergency()
		opt.MaxConsecutiveHyphens = max
		opt.DoubleHyphenDemerits = 0 // make runs of hyphens tempting
		opt.HyphenPenalty = 0
		widths := []float64{107}
		lines := Break(items, widths, opt)
		checkLines(t, items, widths, lines)
		run, hyphens := 0, 0
		for i, l := range lines {
			if l.Hyphenated != (l.End < len(items) && items[l.End].Flagged) {
				t.Fatalf("line %d: Hyphenated = %v at item %+v", i, l.Hyphenated, items[l.End])
			}
			if l.Hyphenated {
				run++
				hyphens++
			} else {
				run = 0
			}
			if run > max {
				t.Fatalf("max %d: %d consecutive hyphenated lines ending at line %d", max, run, i)
			}
		}
		if hyphens == 0 {
			t.Fatalf("max %d: no hyphenation used", max)
		}
	}
}

// A hyphenated penultimate line and consecutive hyphens cost what the
// options say: raising FinalHyphenDemerits moves the hyphen off line n-1.
func TestFinalHyphenDemerits(t *testing.T) {
	hy := Item{Kind: Penalty, Width: 4, Penalty: 50, Flagged: true}
	hy.Penalty = 0
	// Five words of 12, then a word 8-8 and a last word: the first line is
	// decent (r = -0.2) if broken at the hyphen, tight (r = -0.6) after the
	// whole word; the hyphen wins by 882 demerits unless the penultimate
	// hyphen costs more.
	var items []Item
	for i := 0; i < 5; i++ {
		items = append(items, Item{Kind: Box, Width: 12}, space)
	}
	items = Finish(append(items, Item{Kind: Box, Width: 8}, hy, Item{Kind: Box, Width: 8}, space, Item{Kind: Box, Width: 20}))
	widths := []float64{100}
	opt := noEmergency()
	opt.PreTolerance = -1
	opt.FinalHyphenDemerits = 0
	lines := Break(items, widths, opt)
	checkLines(t, items, widths, lines)
	if !lines[0].Hyphenated {
		t.Fatalf("without final hyphen demerits want a hyphen, got %v", lines)
	}
	opt.FinalHyphenDemerits = 1000
	lines = Break(items, widths, opt)
	checkLines(t, items, widths, lines)
	if lines[len(lines)-2].Hyphenated {
		t.Fatalf("with huge final hyphen demerits the penultimate line is still hyphenated: %v", lines)
	}
}

func TestVariableWidths(t *testing.T) {
	items := paragraph(sampleText, 0)
	widths := []float64{300, 350, column}
	lines := Break(items, widths, DefaultOptions())
	checkLines(t, items, widths, lines)
	for i, l := range lines[:3] {
		w, y, z, _, _ := measure(items, l)
		set := w + l.Ratio*y
		if l.Ratio < 0 {
			set = w + l.Ratio*z
		}
		if math.Abs(set-widths[i]) > 1e-6 {
			t.Fatalf("line %d set at %g, want %g", i, set, widths[i])
		}
	}
	full := Break(items, []float64{column}, DefaultOptions())
	if lines[0].End >= full[0].End {
		t.Fatalf("first line ends at %d in 300 pt, at %d in %g pt", lines[0].End, full[0].End, column)
	}
}

// The last line is never stretched, however short.
func TestLastLineRagged(t *testing.T) {
	for _, last := range []float64{5, 50, 90} {
		items := words(space, 30, 30, 25, last)
		widths := []float64{100}
		lines := Break(items, widths, DefaultOptions())
		checkLines(t, items, widths, lines)
		l := lines[len(lines)-1]
		if l.Ratio > 0 {
			t.Fatalf("last word %g: last line ratio %g", last, l.Ratio)
		}
		if w, _, _, _, _ := measure(items, l); w < 100 && !l.Ragged {
			t.Fatalf("last word %g: short last line not ragged", last)
		}
	}
}

// Two words that cannot share a line: the first gets a line of its own, set
// ragged at ratio 0 rather than stretched.
func TestSingleBoxLine(t *testing.T) {
	items := words(space, 70, 70, 10)
	widths := []float64{100}
	lines := Break(items, widths, DefaultOptions())
	checkLines(t, items, widths, lines)
	if got, want := ends(lines), []int{1, len(items) - 1}; !slices.Equal(got, want) {
		t.Fatalf("breaks = %v, want %v", got, want)
	}
	if l := lines[0]; l.Ratio != 0 || !l.Ragged || l.Overfull {
		t.Fatalf("single-box line = %+v, want ratio 0, ragged", l)
	}
}

// A word wider than the line gets a line to itself marked Overfull; the
// lines around it are still justified normally.
func TestWordWiderThanLine(t *testing.T) {
	ws := []float64{22, 22, 22, 150, 22, 22, 22, 22}
	items := words(space, ws...)
	widths := []float64{80}
	lines := Break(items, widths, DefaultOptions())
	checkLines(t, items, widths, lines)
	over := 0
	for _, l := range lines {
		if !l.Overfull {
			continue
		}
		over++
		if l.Start != 6 || l.End != 7 || l.Ratio != 0 {
			t.Fatalf("overfull line %+v, want the 150 box alone (items 6..7) at ratio 0", l)
		}
	}
	if over != 1 {
		t.Fatalf("%d overfull lines, want 1: %v", over, lines)
	}
	if l := lines[0]; l.End != 5 || l.Ragged || l.Ratio < 0 || l.Ratio > 1.26 {
		t.Fatalf("line before the wide word: %+v", lines[0])
	}
}

// With no feasible solution at Tolerance, lines get underfull, not overfull.
func TestLastResortUnderfull(t *testing.T) {
	items := words(Item{Kind: Glue, Width: 5, Stretch: 0.5, Shrink: 0.5}, 30, 30, 30, 30, 30, 30, 30)
	widths := []float64{80}
	for _, es := range []float64{0, 10} {
		opt := DefaultOptions()
		opt.EmergencyStretch = es
		lines := Break(items, widths, opt)
		checkLines(t, items, widths, lines)
		for i, l := range lines {
			if l.Overfull {
				t.Fatalf("emergency %g: line %d overfull", es, i)
			}
		}
	}
}

// The emergency pass rescues a paragraph that fails at Tolerance with
// looser lines rather than the last resort's arbitrary ones.
func TestEmergencyStretch(t *testing.T) {
	items := words(space, 10, 15, 25, 10, 10, 10, 30, 15, 30, 15)
	widths := []float64{100}
	opt := DefaultOptions()
	opt.Tolerance, opt.PreTolerance = 1, -1
	strict := Break(items, widths, opt)
	checkLines(t, items, widths, strict)
	opt.EmergencyStretch = 30
	rescued := Break(items, widths, opt)
	checkLines(t, items, widths, rescued)
	if got, want := ends(rescued), []int{9, 17, 21}; !slices.Equal(got, want) {
		t.Fatalf("breaks with emergency stretch = %v, want %v", got, want)
	}
}

func TestDiscardAfterBreak(t *testing.T) {
	items := Finish([]Item{
		{Kind: Box, Width: 60}, space, {Kind: Box, Width: 30},
		{Kind: Penalty, Penalty: 0}, {Kind: Glue, Width: 8, Stretch: 4}, {Kind: Penalty, Penalty: 100}, {Kind: Glue, Width: 8},
		{Kind: Box, Width: 50}, space, {Kind: Box, Width: 40},
	})
	widths := []float64{100}
	lines := Break(items, widths, DefaultOptions())
	checkLines(t, items, widths, lines)
	if len(lines) != 2 || lines[0].End != 3 || lines[1].Start != 7 {
		t.Fatalf("lines = %+v, want a break at 3 and line 2 starting at box 7", lines)
	}
}

func TestFinish(t *testing.T) {
	got := Finish([]Item{{Kind: Box, Width: 1}, space, space})
	want := []Item{{Kind: Box, Width: 1}, {Kind: Penalty, Penalty: Infinity}, {Kind: Glue, Stretch: Fil}, {Kind: Penalty, Penalty: -Infinity}}
	if !slices.Equal(got, want) {
		t.Fatalf("Finish = %v, want %v", got, want)
	}
}

// Without Finish the end acts as a forced break and the last line is
// justified like the others.
func TestNoFinish(t *testing.T) {
	items := words(space, 40, 40, 40)
	items = items[:len(items)-3]
	widths := []float64{90}
	lines := Break(items, widths, DefaultOptions())
	checkLines(t, items, widths, lines)
	if lines[len(lines)-1].End != len(items) {
		t.Fatalf("last line ends at %d, want %d", lines[len(lines)-1].End, len(items))
	}
}

func TestBreakerReuse(t *testing.T) {
	var b Breaker
	big := paragraph(sampleText, 11)
	small := words(space, 10, 15, 25, 10, 10, 10, 30, 15, 30, 15)
	want := Break(small, []float64{100}, noEmergency())
	b.Break(big, []float64{column}, noEmergency())
	if got := b.Break(small, []float64{100}, noEmergency()); !slices.Equal(got, want) {
		t.Fatalf("reused Breaker = %v, want %v", got, want)
	}
}

// Break shares pooled Breakers between goroutines; results must not mix.
func TestBreakConcurrent(t *testing.T) {
	inputs := [][]Item{benchItems(300), words(space, 10, 15, 25, 10, 10, 10, 30, 15, 30, 15), paragraph(sampleText, 11)}
	widths := [][]float64{{column}, {100}, {250, 300}}
	want := make([][]Line, len(inputs))
	for i := range inputs {
		want[i] = Break(inputs[i], widths[i], DefaultOptions())
	}
	var wg sync.WaitGroup
	errs := make(chan int, 64)
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for k := 0; k < 30; k++ {
				i := (g + k) % len(inputs)
				if !slices.Equal(Break(inputs[i], widths[i], DefaultOptions()), want[i]) {
					errs <- i
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for i := range errs {
		t.Errorf("concurrent Break of input %d differs", i)
	}
}

func FuzzBreak(f *testing.F) {
	f.Add([]byte{0, 10, 1, 6, 0, 20, 2, 50, 0, 30}, uint16(100), false)
	f.Add([]byte{0, 200, 1, 6, 0, 20, 2, 255, 0, 30, 2, 0}, uint16(50), true)
	f.Fuzz(func(t *testing.T, data []byte, width uint16, finish bool) {
		var items []Item
		for i := 0; i+1 < len(data); i += 2 {
			v := float64(data[i+1])
			switch data[i] % 4 {
			case 0:
				items = append(items, Item{Kind: Box, Width: v})
			case 1:
				items = append(items, Item{Kind: Glue, Width: v / 4, Stretch: v / 8, Shrink: v / 16})
			case 2:
				items = append(items, Item{Kind: Penalty, Width: float64(data[i] % 7), Penalty: (v - 128) * 100, Flagged: data[i]&8 != 0})
			case 3:
				items = append(items, Item{Kind: Glue, Width: v / 4})
			}
		}
		if finish {
			items = Finish(items)
		}
		widths := []float64{float64(width%500) + 1, float64(width%300) + 1}
		lines := Break(items, widths, DefaultOptions())
		if len(items) == 0 {
			if lines != nil {
				t.Fatalf("lines for no items")
			}
			return
		}
		checkLines(t, items, widths, lines)
	})
}

// benchItems repeats the sample text to n words.
func benchItems(n int) []Item {
	src := strings.Fields(sampleText)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = src[i%len(src)]
	}
	return paragraph(strings.Join(ws, " "), 11)
}

func BenchmarkBreak(b *testing.B) {
	for _, bc := range []struct {
		name  string
		words int
	}{{"150words", 150}, {"5000words", 5000}} {
		items := benchItems(bc.words)
		widths := []float64{column}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Break(items, widths, DefaultOptions())
			}
		})
	}
}
