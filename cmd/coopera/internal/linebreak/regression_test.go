package linebreak

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// loadItems reads a paragraph dumped one item per line as
// "kind width stretch shrink penalty flagged".
func loadItems(t testing.TB, path string) []Item {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []Item
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 {
			continue
		}
		if len(fs) != 6 {
			t.Fatalf("%s:%d: %d fields, want 6", path, ln, len(fs))
		}
		k, err := strconv.Atoi(fs[0])
		if err != nil || k < int(Box) || k > int(Penalty) {
			t.Fatalf("%s:%d: bad kind %q", path, ln, fs[0])
		}
		var v [4]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(fs[i+1], 64); err != nil {
				t.Fatalf("%s:%d: %v", path, ln, err)
			}
		}
		flagged, err := strconv.ParseBool(fs[5])
		if err != nil {
			t.Fatalf("%s:%d: %v", path, ln, err)
		}
		items = append(items, Item{Kind: Kind(k), Width: v[0], Stretch: v[1], Shrink: v[2], Penalty: v[3], Flagged: flagged})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return items
}

// minimaxRatio is the smallest possible largest stretch ratio over all ways
// of breaking items into lines of width lw that are not overfull, with at
// most limit consecutive hyphenated lines (0: no limit). A line that must
// stretch but has no stretchable glue counts as +Inf; the last line (Fil
// glue) counts as 0. It is a lower bound for any breaker on this input.
func minimaxRatio(items []Item, lw float64, limit int) float64 {
	n := len(items)
	runs := limit + 1 // hyphen runs 0..limit; with no limit runs need no tracking
	if limit <= 0 {
		runs = 1
	}
	w, y, z := make([]float64, n+1), make([]float64, n+1), make([]float64, n+1)
	fil := make([]int, n+1)
	for i, it := range items {
		w[i+1], y[i+1], z[i+1], fil[i+1] = w[i], y[i], z[i], fil[i]
		if it.Kind == Penalty {
			continue
		}
		w[i+1] += it.Width
		if it.Kind == Glue {
			z[i+1] += it.Shrink
			if it.Stretch >= Fil {
				fil[i+1]++
			} else {
				y[i+1] += it.Stretch
			}
		}
	}
	type brk struct{ pos, after int }
	breaks := []brk{{-1, 0}}
	for q, it := range items {
		legal := (it.Kind == Glue && q > 0 && items[q-1].Kind == Box) || (it.Kind == Penalty && it.Penalty < Infinity)
		if !legal {
			continue
		}
		after := q + 1
		for after < n && items[after].Kind != Box && !forced(items[after]) {
			after++
		}
		breaks = append(breaks, brk{q, after})
	}
	// best[i][h]: minimax ratio of a path ending at breaks[i] with a run of h hyphens.
	best := make([][]float64, len(breaks))
	for i := range best {
		best[i] = make([]float64, runs)
		for h := range best[i] {
			best[i][h] = math.Inf(1)
		}
	}
	best[0][0] = 0
	for j := 1; j < len(breaks); j++ {
		q := breaks[j].pos
		it := items[q]
		for i := 0; i < j; i++ {
			a := breaks[i].after
			if q < a {
				continue
			}
			L := w[q] - w[a]
			if it.Kind == Penalty {
				L += it.Width
			}
			r := 0.0
			switch {
			case L > lw:
				if L-lw > z[q]-z[a]+1e-9 {
					continue
				}
			case fil[q] > fil[a]:
			case y[q] > y[a]:
				r = (lw - L) / (y[q] - y[a])
			case L < lw:
				r = math.Inf(1)
			}
			for h, v := range best[i] {
				nh := 0
				if it.Flagged && limit > 0 {
					if nh = h + 1; nh > limit {
						continue
					}
				}
				best[j][nh] = min(best[j][nh], max(v, r))
			}
		}
	}
	res := math.Inf(1)
	for _, v := range best[len(breaks)-1] {
		res = min(res, v)
	}
	return res
}

// A real paragraph (ten copies of a text with a 103 pt unbreakable word every
// two lines) that no pass but the last can set: the best possible breaks
// need r = 3.707 somewhere (badness 5094). The last pass used to cap badness
// like TeX, so one line of two words at r = 348 (or, without the extra
// demerits, one word alone) cost no more than a line at r = 5 and won on the
// savings elsewhere. It must now find breaks that are as good as possible.
func TestRegressionSpeakers(t *testing.T) {
	items := loadItems(t, "testdata/regression-speakers.txt")
	widths := []float64{column}
	if len(items) != 1062 {
		t.Fatalf("fixture has %d items, want 1062", len(items))
	}

	noExtra := noEmergency()
	noExtra.AdjDemerits, noExtra.DoubleHyphenDemerits, noExtra.FinalHyphenDemerits = 0, 0, 0
	tol5000 := noEmergency()
	tol5000.Tolerance = 5000
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"default", DefaultOptions()},
		{"no emergency", noEmergency()},
		{"no extra demerits", noExtra},
		{"tolerance 5000", tol5000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := tc.opt
			bound := minimaxRatio(items, column, opt.MaxConsecutiveHyphens)
			if math.Abs(bound-3.707) > 1e-3 {
				t.Fatalf("lower bound %g, want 3.707", bound)
			}
			if r := math.Cbrt(opt.Tolerance / 100); bound <= r {
				t.Fatalf("bound %g within tolerance ratio %g: pass 2 should succeed", bound, r)
			}
			if ref := reference(items, widths, opt, opt.Tolerance, true); !math.IsInf(ref, 1) {
				t.Fatalf("reference finds a pass-2 solution (%g demerits) although no breaks stay within tolerance", ref)
			}
			lines := Break(items, widths, opt)
			checkLines(t, items, widths, lines)
			worst := 0.0
			for i, l := range lines[:len(lines)-1] {
				if l.Ragged || l.Overfull {
					t.Errorf("line %d [%d,%d) ragged %v overfull %v: the paragraph can be justified", i, l.Start, l.End, l.Ragged, l.Overfull)
				}
				worst = max(worst, l.Ratio)
			}
			if worst > bound+1e-9 || worst > 3.71 {
				t.Fatalf("largest ratio %g, best possible %g", worst, bound)
			}
		})
	}
}

// The first three copies of the same text set within tolerance in pass 2.
func TestRegressionSpeakersShort(t *testing.T) {
	items := Finish(loadItems(t, "testdata/regression-speakers.txt")[:318])
	widths := []float64{column}
	for _, es := range []float64{0, 11} {
		opt := DefaultOptions()
		opt.EmergencyStretch = es
		if ref := reference(items, widths, opt, opt.Tolerance, true); math.IsInf(ref, 1) {
			t.Fatalf("emergency %g: no pass-2 solution", es)
		}
		lines := Break(items, widths, opt)
		checkLines(t, items, widths, lines)
		bound := math.Cbrt(opt.Tolerance / 100)
		for i, l := range lines[:len(lines)-1] {
			if l.Ragged || l.Ratio > bound {
				t.Errorf("emergency %g line %d: ratio %g ragged %v, want ratio <= %g", es, i, l.Ratio, l.Ragged, bound)
			}
		}
	}
}

// The last resort on a long paragraph: passes 1 and 2 fail, then pass 4 runs.
func BenchmarkBreakLastResort(b *testing.B) {
	items := loadItems(b, "testdata/regression-speakers.txt")
	widths := []float64{column}
	opt := noEmergency()
	b.ReportAllocs()
	for b.Loop() {
		Break(items, widths, opt)
	}
}
