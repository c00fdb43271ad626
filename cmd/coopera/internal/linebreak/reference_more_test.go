package linebreak

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Longer random paragraphs (40-200 items), random extra demerits (adjacent
// fitness, double and final hyphen), line penalty, tolerances, hyphen limits
// and emergency stretch: the breaker must match the reference in whichever
// pass succeeds first, the last resort included.
func TestMatchesReferenceExtraDemerits(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 5))
	pick := func(vs ...float64) float64 { return vs[r.IntN(len(vs))] }
	iters := 1200
	if testing.Short() {
		iters = 200
	}
	checked := make([]int, 4) // per pass: pre, tolerance, emergency, last resort
	minN, maxN := math.MaxInt, 0
	for iter := 0; iter < iters; iter++ {
		items := randomItems(r, 40+r.IntN(161))
		minN, maxN = min(minN, len(items)), max(maxN, len(items))
		widths := []float64{70 + float64(r.IntN(130))}
		if r.IntN(3) == 0 {
			widths = append(widths, 60+float64(r.IntN(80)), 60+float64(r.IntN(80)))
		}
		opt := Options{
			Tolerance:             pick(100, 200, 1000),
			PreTolerance:          pick(-1, 100),
			LinePenalty:           pick(0, 10, 50),
			AdjDemerits:           pick(0, 3000, 10000, 1e6),
			DoubleHyphenDemerits:  pick(0, 3000, 10000, 1e6),
			FinalHyphenDemerits:   pick(0, 5000, 1e6),
			EmergencyStretch:      pick(0, 0, 5, 20),
			MaxConsecutiveHyphens: r.IntN(3),
		}
		lines := Break(items, widths, opt)
		checkLines(t, items, widths, lines)
		for i, p := range passesOf(opt) {
			want := referencePass(items, widths, opt, p)
			if math.IsInf(want, 1) {
				continue // this pass fails; the last one only if it had to rescue an overfull segment
			}
			kind := min(i+boolInt(opt.PreTolerance < 0), 2)
			if p.final {
				kind = 3
			}
			checked[kind]++
			if got := passDemerits(items, widths, opt, lines, p); math.Abs(got-want) > 1e-9*max(1, want) {
				t.Fatalf("iteration %d pass %+v: demerits %g, reference %g\nopt %+v\nitems %v\nwidths %v\nlines %v", iter, p, got, want, opt, items, widths, lines)
			}
			break
		}
	}
	t.Logf("checked %v sizes %d-%d", checked, minN, maxN)
	if minN > 45 || maxN < 195 {
		t.Fatalf("paragraph sizes %d-%d, want about 40-200", minN, maxN)
	}
	for kind, c := range checked {
		if c < iters/50 {
			t.Fatalf("only %d paragraphs checked in pass kind %d of %d iterations (%v)", c, kind, iters, checked)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
