package typeset

import (
	"codeberg.org/go-pdf/fpdf"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
)

// NaturalFill pours doc's lines into pages at their natural spacing, as
// many as fit on each page and with none of the keep rules or fitLastPage,
// and returns how many pages that takes and how many lines the last one
// gets: the typesetter's own count of how far a letter overflows.
func NaturalFill(doc *compose.Document) (pages, last int, err error) {
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	f, err := newRenderer(pdf).layout(doc, &Stats{})
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
