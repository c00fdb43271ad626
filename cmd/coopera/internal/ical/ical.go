// Package ical is the calendar-invitation stage: it turns validated meetings
// into RFC 5545 iCalendar files (one invitation beside each letter, or one
// feed of every meeting) with deterministic bytes.
//
// Every value comes from the data, never from the clock: DTSTAMP is the
// protocol date (else the meeting date), the UID is a hash of the facts that
// identify the meeting, so re-running coopera yields the same file and a
// calendar that imported it before updates the same event.
package ical

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/italian"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	ics "github.com/arran4/golang-ical"
)

// TZID is the time zone every meeting time is written in.
const TZID = "Europe/Rome"

// ProductID names coopera as the producer; no version, so that bytes do not
// change between releases that write the same events.
const ProductID = "-//ANCI Sicilia//coopera//IT"

const (
	localFormat = "20060102T150405"
	dateFormat  = "20060102"
	utcFormat   = "20060102T150405Z"
)

// rome is the fixed rule set of Italian civil time since 1996: CEST from the
// last Sunday of March at 02:00, CET from the last Sunday of October at 03:00.
func addRome(cal *ics.Calendar) {
	tz := cal.AddTimezone(TZID)
	day := &ics.Daylight{}
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0100")
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0200")
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CEST")
	day.AddProperty(ics.ComponentPropertyDtStart, "19700329T020000")
	day.AddProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	std := &ics.Standard{}
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0200")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0100")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CET")
	std.AddProperty(ics.ComponentPropertyDtStart, "19701025T030000")
	std.AddProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	tz.Components = append(tz.Components, day, std)
}

func newCalendar(name string) *ics.Calendar {
	cal := ics.NewCalendarFor("coopera")
	cal.SetProductId(ProductID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	if name != "" {
		cal.SetXWRCalName(name)
		cal.SetXWRTimezone(TZID)
	}
	return cal
}

func serialize(cal *ics.Calendar) ([]byte, error) {
	var b strings.Builder
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("scrittura del calendario: %v", err)
	}
	return []byte(b.String()), nil
}

// Invitation returns the .ics of one meeting: a calendar with the Rome time
// zone and one event. The meeting needs date and time.
func Invitation(m *model.Meeting, p *model.Profile) ([]byte, error) {
	if m.End == 0 {
		return nil, fmt.Errorf("%s: l'invito per il calendario richiede l'orario (chiave ora)", m.Path)
	}
	cal := newCalendar("")
	addRome(cal)
	cal.AddVEvent(Event(m, p))
	return serialize(cal)
}

// Feed returns one calendar with every meeting, in the order given. Meetings
// without a time (historical ones taken from the website) become all-day
// events, so the feed still shows that they happened.
func Feed(ms []*model.Meeting, p *model.Profile, name string) ([]byte, error) {
	cal := newCalendar(name)
	for _, m := range ms {
		if m.End != 0 {
			addRome(cal)
			break
		}
	}
	for _, m := range ms {
		cal.AddVEvent(Event(m, p))
	}
	return serialize(cal)
}

// UID identifies the meeting across edits of everything but its identity:
// the project, the day and the Tavolo number (or, for another event, the
// title). It is a hash @ the project's site, as RFC 5545 recommends.
func UID(m *model.Meeting, p *model.Profile) string {
	id := m.Title
	if m.Number > 0 {
		id = fmt.Sprintf("tavolo-%d", m.Number)
	}
	h := sha256.Sum256([]byte(p.Project.Name + "\x00" + m.Date.Format("2006-01-02") + "\x00" + id))
	host := p.Project.Site
	if host == "" {
		host = p.Body.Site
	}
	if host == "" {
		host = "coopera.invalid"
	}
	host = strings.TrimPrefix(strings.TrimPrefix(host, "https://"), "http://")
	host = strings.TrimSuffix(strings.TrimPrefix(host, "www."), "/")
	return hex.EncodeToString(h[:16]) + "@" + host
}

// Summary names the meeting as the letter's subject does, without the date
// and time that DTSTART and DTEND already carry.
func Summary(m *model.Meeting, p *model.Profile) string {
	what := m.Title
	if m.Number > 0 {
		what = italian.Ordinal(m.Number) + " Tavolo tecnico"
		if m.Title != "" {
			what += ": " + m.Title
		}
	}
	if what == "" {
		what = "Incontro"
	}
	if p.Project.Name != "" {
		what += " - Progetto " + p.Project.Name
	}
	return what
}

// Stamp is DTSTAMP: when the invitation was issued according to the data.
func Stamp(m *model.Meeting) time.Time {
	if m.Protocol != nil && !m.Protocol.Date.IsZero() {
		return m.Protocol.Date
	}
	return m.Date
}

// Registration is the registration page: the meeting's, else the profile's.
func Registration(m *model.Meeting, p *model.Profile) string {
	if m.Registration != "" {
		return m.Registration
	}
	return p.Letter.Registration
}

// Location is where to go: the venue for presenza and mista, the video link
// (or a note that it will be sent) for videoconferenza.
func Location(m *model.Meeting) string {
	if (m.Mode == model.InPerson || m.Mode == model.Mixed) && m.Venue != nil {
		return venue(m.Venue)
	}
	switch {
	case m.Mode == model.Video && m.Link != "":
		return m.Link
	case m.Mode == model.Video && m.Historical:
		return "Videoconferenza"
	case m.Mode == model.Video:
		return "Videoconferenza (il link sarà inviato prima dell'incontro)"
	}
	return ""
}

func venue(v *model.Venue) string {
	parts := []string{v.Name}
	for _, s := range []string{v.Address, v.City} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

var modeNames = map[model.Mode]string{
	model.Video:    "videoconferenza",
	model.InPerson: "in presenza",
	model.Mixed:    "mista (in presenza e in videoconferenza)",
}

// Description is the event's notes: mode, place or link, registration,
// chair and speakers, one fact a line.
func Description(m *model.Meeting, p *model.Profile) string {
	var lines []string
	if m.Mode != "" {
		lines = append(lines, "Modalità: "+modeNames[m.Mode])
	}
	if m.Venue != nil && m.Mode != model.Video {
		lines = append(lines, "Sede: "+venue(m.Venue))
	}
	if m.Mode == model.Video || m.Mode == model.Mixed {
		if m.Link != "" {
			lines = append(lines, "Collegamento: "+m.Link)
		} else if !m.Historical {
			lines = append(lines, "Collegamento: il link sarà inviato prima dell'incontro")
		}
	}
	if r := Registration(m, p); r != "" && !m.Historical {
		lines = append(lines, "Iscrizione: "+r)
	}
	if m.Chair != nil {
		lines = append(lines, "Coordina: "+person(*m.Chair))
	}
	if len(m.Speakers) > 0 {
		lines = append(lines, "Relatori:")
		for _, s := range m.Speakers {
			lines = append(lines, "- "+person(s))
		}
	}
	for _, mat := range m.Materials {
		lines = append(lines, mat.Title+": "+mat.URL)
	}
	if p.Body.Name != "" {
		lines = append(lines, "Organizza: "+p.Body.Name)
	}
	return strings.Join(lines, "\n")
}

func person(s model.Person) string {
	out := s.Name
	if s.Title != "" {
		out = s.Title + " " + out
	}
	for _, x := range []string{s.Role, s.Body} {
		if x != "" {
			out += ", " + x
		}
	}
	if s.Talk != "" {
		out += " («" + s.Talk + "»)"
	}
	return out
}

// Event builds the VEVENT of m. Properties come in a fixed order so that
// the bytes are the same on every run.
func Event(m *model.Meeting, p *model.Profile) *ics.VEvent {
	e := ics.NewEvent(UID(m, p))
	e.SetProperty(ics.ComponentPropertyDtstamp, Stamp(m).UTC().Format(utcFormat))
	day := m.Date
	if m.End != 0 {
		start := time.Date(day.Year(), day.Month(), day.Day(), m.Start.Hour(), m.Start.Minute(), 0, 0, time.UTC)
		end := time.Date(day.Year(), day.Month(), day.Day(), m.End.Hour(), m.End.Minute(), 0, 0, time.UTC)
		e.SetProperty(ics.ComponentPropertyDtStart, start.Format(localFormat), ics.WithTZID(TZID))
		e.SetProperty(ics.ComponentPropertyDtEnd, end.Format(localFormat), ics.WithTZID(TZID))
	} else {
		e.SetProperty(ics.ComponentPropertyDtStart, day.Format(dateFormat), ics.WithValue(string(ics.ValueDataTypeDate)))
		e.SetProperty(ics.ComponentPropertyDtEnd, day.AddDate(0, 0, 1).Format(dateFormat), ics.WithValue(string(ics.ValueDataTypeDate)))
	}
	e.SetProperty(ics.ComponentPropertySummary, clean(Summary(m, p)))
	if loc := Location(m); loc != "" {
		e.SetProperty(ics.ComponentPropertyLocation, clean(loc))
	}
	if (m.Mode == model.Video || m.Mode == model.Mixed) && model.IsURL(m.Link) {
		// RFC 7986 CONFERENCE: calendar apps show a "join" button.
		e.AddProperty(ics.ComponentProperty("CONFERENCE"), m.Link,
			ics.WithValue("URI"), &ics.KeyValues{Key: "FEATURE", Value: []string{"AUDIO", "VIDEO"}},
			&ics.KeyValues{Key: "LABEL", Value: []string{"Videoconferenza"}})
	}
	e.SetProperty(ics.ComponentPropertyDescription, clean(Description(m, p)))
	if r := Registration(m, p); r != "" && !m.Historical {
		e.SetProperty(ics.ComponentPropertyUrl, r)
	}
	if p.Body.Email != "" {
		var params []ics.PropertyParameter
		if cn := safeParam(p.Body.Name); cn != "" {
			params = append(params, ics.WithCN(cn))
		}
		e.SetProperty(ics.ComponentPropertyOrganizer, "mailto:"+p.Body.Email, params...)
	}
	e.SetProperty(ics.ComponentPropertyStatus, string(ics.ObjectStatusConfirmed))
	e.SetProperty(ics.ComponentPropertyTransp, string(ics.TransparencyOpaque))
	return e
}

// clean drops carriage returns: the only line break a TEXT value may hold is
// the escaped \n the library writes for "\n".
func clean(s string) string { return strings.ReplaceAll(s, "\r", "") }

// safeParam keeps a parameter value to characters that need neither quotes
// nor escapes, since the library escapes them in a way RFC 5545 does not know.
func safeParam(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '"', ';', ':', ',', '\\', '\'', '\r', '\n':
			return -1
		}
		return r
	}, s)
}
