package compose

import (
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

// Calendar is the kind of the Tavoli calendar printed on the letterhead.
const Calendar Kind = "calendario"

// CalendarFileName is the calendar PDF's name in the archive.
const CalendarFileName = "calendario.pdf"

// ComposeCalendar wraps Markdown written by the calendar stage in a document
// on the profile's letterhead, so that it goes through the same typesetter
// and archive fix-ups as the letters. date is the document's date (the
// latest meeting's, never the clock's).
func ComposeCalendar(markdown, title string, date time.Time, p *model.Profile, opt Options) (*Document, error) {
	doc := &Document{Kind: Calendar, Source: p.Path, Markdown: markdown, FileName: CalendarFileName,
		Smart: p.Typography.SmartQuotes, Hyphenate: p.Typography.Hyphenation}
	doc.Meta = Meta{Title: title, Subject: "Calendario - " + p.Project.Title, Author: p.Body.Name,
		Keywords: keywords(p, "calendario", nil), Date: date}
	return doc, finish(doc, p, opt)
}
