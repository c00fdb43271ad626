package typeset

import (
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
)

// NaturalFill pours doc's lines into pages at their natural spacing, as
// many as fit on each page and with none of the keep rules or fitLastPage,
// and returns how many pages that takes and how many lines the last one
// gets: the typesetter's own count of how far a letter overflows.
func NaturalFill(doc *compose.Document) (pages, last int, err error) {
	f, err := newRenderer(pdf.NewDoc(time.Time{})).layout(doc, &Stats{})
	if err != nil {
		return 0, 0, err
	}
	top := f.top1
	for rest := f.flow; ; top = f.topN {
		n := max(fill(rest, top, f.bottom), 1)
		pages++
		if n == len(rest) {
			return pages, n, nil
		}
		rest = rest[n:]
	}
}
