// Package ical is the calendar-invitation stage: it turns validated meetings
// into RFC 5545 iCalendar files (one invitation beside each letter, or one
// feed of every meeting) with deterministic bytes.
//
// Every value comes from the data, never from the clock: the UID is a hash
// of the facts that identify the meeting, so re-running coopera yields the
// same file and a calendar that imported it before updates the same event.
//
// One meeting has up to three invitations in its life, all with the same
// UID: the draft (--bozza), the issued letter's, and the cancellation when
// its protocol number is annulled. A calendar keeps, for one UID, the
// version with the highest SEQUENCE, DTSTAMP breaking ties (RFC 5546
// §2.1.5), so each stage gets a higher SEQUENCE than the one before; see
// Sequence.
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

// ProductID names coopera as the producer when the profile names no body;
// no version, so that bytes do not change between releases that write the
// same events.
const ProductID = "-//ANCI Sicilia//coopera//IT"

// productID names the body of the profile as the producer (RFC 5545
// §3.7.3: "-//owner//product//language").
func productID(p *model.Profile) string {
	name := strings.Map(func(r rune) rune {
		if r == '/' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(p.Body.Name))
	if name == "" {
		return ProductID
	}
	return "-//" + name + "//coopera//IT"
}

// Stage is where an invitation stands in the life of its meeting.
type Stage int

const (
	// Final is the invitation of an issued (numbered) letter.
	Final Stage = iota
	// Draft is the invitation of a --bozza letter: STATUS:TENTATIVE and
	// BOZZA in the summary.
	Draft
	// Cancelled withdraws the invitation of an annulled protocol number.
	Cancelled
)

// draftStamp is the DTSTAMP of a draft without protocol date. The data hold
// no date for when a draft was made, and any date they do hold (the
// meeting's) may be later than the protocol date the final letter will
// bear: the earliest instant keeps a draft from ever looking newer than an
// issued invitation, even to a calendar that compares DTSTAMP alone.
var draftStamp = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// Sequence is the SEQUENCE of an invitation for protocol number number of
// year year (0, 0 for a draft without number). A draft without number is 0.
// Numbered invitations come in steps of three, one step per protocol
// number: 3K for its draft, 3K+1 for the issued letter, 3K+2 for its
// cancellation, where K = (year-2000)*100000 + number grows with every new
// number (numbers grow within a year, and K with the year). So the issued
// letter supersedes its draft, the cancellation supersedes the letter, and
// the letter issued under a new number after an annulment supersedes the
// cancellation and puts the meeting back in the calendar. The largest
// value (year 2099) is about 3×10^7, well within the 32-bit integers
// calendars use.
func Sequence(stage Stage, year, number int) int {
	if number <= 0 {
		return 0
	}
	step := map[Stage]int{Draft: 0, Final: 1, Cancelled: 2}[stage]
	return 3*(max(0, year-2000)*100000+min(number, 99999)) + step
}

// version is what sets one invitation apart from the other invitations
// of the same meeting.
type version struct {
	stage    Stage
	sequence int
	stamp    time.Time
	note     string // first line of the description, for a cancellation
}

// versionOf is the version of m's invitation: a draft or the issued letter.
func versionOf(m *model.Meeting, draft bool) version {
	stage := Final
	if draft || m.Protocol == nil {
		stage = Draft
	}
	v := version{stage: stage, stamp: Stamp(m)}
	if m.Protocol != nil {
		v.sequence = Sequence(stage, m.Protocol.Date.Year(), m.Protocol.Number)
	} else if stage == Draft && !m.Historical {
		v.stamp = draftStamp
	}
	return v
}

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

// newCalendar starts a calendar object. METHOD is PUBLISH, not REQUEST:
// the file is opened or imported by hand (or attached to the letter's
// e-mail), and REQUEST would ask each calendar for a reply to the
// organizer (RSVP) that coopera's letters do not expect and that RFC 5546
// ties to an ATTENDEE list coopera does not have. PUBLISH makes every
// calendar (Thunderbird, Apple Calendar, Outlook, Google Calendar, khal)
// add the event, or update the one with the same UID. A cancellation is
// METHOD:CANCEL with STATUS:CANCELLED, which the same calendars read as
// "remove this event" (the ones that ignore METHOD on import still see
// the status and the higher SEQUENCE).
func newCalendar(name string, p *model.Profile, method ics.Method) *ics.Calendar {
	cal := ics.NewCalendarFor("coopera")
	cal.SetProductId(productID(p))
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(method)
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
// zone and one event. The meeting needs date and time. draft marks the
// invitation of a --bozza letter (a meeting without protocol number is
// always one).
func Invitation(m *model.Meeting, p *model.Profile, draft bool) ([]byte, error) {
	if m.End == 0 {
		return nil, fmt.Errorf("%s: l'invito per il calendario richiede l'orario (chiave ora)", m.Path)
	}
	cal := newCalendar("", p, ics.MethodPublish)
	addRome(cal)
	cal.AddVEvent(event(m, p, versionOf(m, draft)))
	return serialize(cal)
}

// Cancellation returns the .ics that withdraws the invitation of m issued
// under protocol number formatted (number of year), annulled on date: same
// UID, the next SEQUENCE, METHOD:CANCEL and STATUS:CANCELLED. Its DTSTAMP
// is the annulment date, or the protocol date of m when that is later.
func Cancellation(m *model.Meeting, p *model.Profile, year, number int, formatted string, date time.Time) ([]byte, error) {
	if m.End == 0 {
		return nil, fmt.Errorf("%s: l'invito per il calendario richiede l'orario (chiave ora)", m.Path)
	}
	stamp := date
	if s := Stamp(m); m.Protocol != nil && s.After(stamp) {
		stamp = s
	}
	v := version{stage: Cancelled, sequence: Sequence(Cancelled, year, number), stamp: stamp,
		note: fmt.Sprintf("Invito annullato: il protocollo n. %s è stato annullato il %s.", formatted, date.Format("02/01/2006"))}
	cal := newCalendar("", p, ics.MethodCancel)
	addRome(cal)
	cal.AddVEvent(event(m, p, v))
	return serialize(cal)
}

// Feed returns one calendar with every meeting, in the order given. Meetings
// without a time (historical ones taken from the website) become all-day
// events, so the feed still shows that they happened. A numbered meeting is
// the issued letter's event (same UID, SEQUENCE and DTSTAMP as its
// invitation); a coming meeting without number is tentative, as its draft
// invitation is, but without BOZZA in the summary, since the feed is the
// public calendar and not a letter.
func Feed(ms []*model.Meeting, p *model.Profile, name string) ([]byte, error) {
	cal := newCalendar(name, p, ics.MethodPublish)
	for _, m := range ms {
		if m.End != 0 {
			addRome(cal)
			break
		}
	}
	for _, m := range ms {
		v := versionOf(m, false)
		if m.Historical && m.Protocol == nil {
			v.stage = Final // it happened: nothing tentative about it
		}
		e := event(m, p, v)
		if v.stage == Draft {
			e.SetProperty(ics.ComponentPropertySummary, clean(Summary(m, p)))
		}
		cal.AddVEvent(e)
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

// Stamp is the DTSTAMP of an issued invitation: when the letter was issued
// according to the data (the protocol date, else the meeting date).
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

// event builds the VEVENT of m in version v. Properties come in a fixed
// order so that the bytes are the same on every run.
func event(m *model.Meeting, p *model.Profile, v version) *ics.VEvent {
	e := ics.NewEvent(UID(m, p))
	e.SetProperty(ics.ComponentPropertyDtstamp, v.stamp.UTC().Format(utcFormat))
	e.SetProperty(ics.ComponentPropertySequence, fmt.Sprint(v.sequence))
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
	summary := Summary(m, p)
	switch v.stage {
	case Draft:
		summary = "BOZZA - " + summary
	case Cancelled:
		summary = "ANNULLATO - " + summary
	}
	e.SetProperty(ics.ComponentPropertySummary, clean(summary))
	if loc := Location(m); loc != "" {
		e.SetProperty(ics.ComponentPropertyLocation, clean(loc))
	}
	if (m.Mode == model.Video || m.Mode == model.Mixed) && model.IsURL(m.Link) {
		// RFC 7986 CONFERENCE: calendar apps show a "join" button.
		e.AddProperty(ics.ComponentProperty("CONFERENCE"), m.Link,
			ics.WithValue("URI"), &ics.KeyValues{Key: "FEATURE", Value: []string{"AUDIO", "VIDEO"}},
			&ics.KeyValues{Key: "LABEL", Value: []string{"Videoconferenza"}})
	}
	desc := Description(m, p)
	if v.note != "" {
		desc = v.note + "\n" + desc
	}
	e.SetProperty(ics.ComponentPropertyDescription, clean(desc))
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
	status := ics.ObjectStatusConfirmed
	switch v.stage {
	case Draft:
		status = ics.ObjectStatusTentative
	case Cancelled:
		status = ics.ObjectStatusCancelled
	}
	e.SetProperty(ics.ComponentPropertyStatus, string(status))
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
