package typeset

import "testing"

// flowOf is a flow of one-point lines, one block per count, with the
// closing (congedo) at block closing and the signature after it.
func flowOf(counts []int, closing int) []setLine {
	var flow []setLine
	for b, n := range counts {
		for i := range n {
			flow = append(flow, setLine{block: b, index: i, count: n, height: 1,
				closing: b == closing, keepNext: b == closing})
		}
	}
	return flow
}

func TestPaginateKeepsTwoLinesWithTheClosing(t *testing.T) {
	tests := []struct {
		name   string
		counts []int // lines of each block; the last two are closing and signature
		room   float64
		first  int // lines on page 1
	}{
		// 10 body lines, closing, 2 signature lines; room for 11 lines:
		// the break would fall before the closing; it moves up two lines.
		{"break before the closing", []int{4, 6, 1, 2}, 11, 8},
		// The last paragraph has one line: the two lines are it and the
		// last but one, which cannot leave its last line alone.
		{"one-line last paragraph", []int{4, 5, 1, 1, 2}, 11, 7},
		// Room for everything but the signature's last line: the closing
		// goes with the signature, and with two lines of body.
		{"break inside the signature", []int{4, 6, 1, 2}, 12, 8},
		// Breaks far from the closing are not touched.
		{"break far from the closing", []int{6, 6, 1, 2}, 5, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flow := flowOf(tt.counts, len(tt.counts)-2)
			pages := paginate(flow, 0, 0, tt.room)
			if got := len(pages[0].lines); got != tt.first {
				t.Errorf("page 1 has %d lines, want %d", got, tt.first)
			}
			last := pages[len(pages)-1].lines
			for i, ln := range last {
				if ln.closing && i < 2 {
					t.Errorf("the last page has %d lines before the closing", i)
				}
			}
		})
	}
}

func TestFitLastPageLimits(t *testing.T) {
	// Ten lines of 10 points, each after a space of 5 points but the
	// first: 145 points at natural spacing.
	var flow []setLine
	for i := range 10 {
		flow = append(flow, setLine{block: i, count: 1, height: 10, before: 5})
	}
	tests := []struct {
		name   string
		room   float64
		pages  int
		glue   float64
		extra  float64
		margin float64
	}{
		{"fits at natural spacing", 145, 1, 1, 0, 24 * mm},
		{"a third of the glue", 130, 1, 2.0 / 3, 0, 24 * mm},
		{"glue and two lines", 130 - 2*14.5, 1, 2.0 / 3, 2 * 14.5, 24 * mm},
		{"more than two lines", 130 - 2*14.5 - 1, 2, 1, 0, 24 * mm},
		// A 16 mm bottom margin leaves 4 mm (11.34 points) to grow into.
		{"footer 12 mm from the edge", 130 - 11, 1, 2.0 / 3, 11, 16 * mm},
		{"footer closer than 12 mm", 130 - 12, 2, 1, 0, 16 * mm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := fitLastPage(paginate(flow, 0, 0, tt.room), 0, 0, tt.room, 14.5, tt.margin)
			if len(pages) != tt.pages {
				t.Fatalf("pages = %d, want %d", len(pages), tt.pages)
			}
			if tt.pages == 1 && (abs(pages[0].glue-tt.glue) > 1e-9 || abs(pages[0].extra-tt.extra) > 1e-9) {
				t.Errorf("glue %.4f, extra %.2f; want %.4f, %.2f", pages[0].glue, pages[0].extra, tt.glue, tt.extra)
			}
		})
	}
}
