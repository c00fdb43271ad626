package ical

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the VTIMEZONE check must not depend on the machine

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	ics "github.com/arran4/golang-ical"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func clock(h, m int) model.Clock { return model.Clock(h*60 + m) }

func profile() *model.Profile {
	p := &model.Profile{}
	p.Project.Name = "COOPERA"
	p.Project.Site = "progettocoopera.it"
	p.Body.Name = "ANCI Sicilia"
	p.Body.Email = "ancisicilia@anci.sicilia.it"
	p.Letter.Registration = "http://www.anci.sicilia.it/iscrizioni"
	return p
}

// A parsed content line, as the test's own reader sees it.
type prop struct {
	name   string
	params map[string]string
	value  string
}

type component struct {
	name     string
	props    []prop
	children []*component
}

func (c *component) get(name string) []prop {
	var out []prop
	for _, p := range c.props {
		if p.name == name {
			out = append(out, p)
		}
	}
	return out
}

func (c *component) child(name string) []*component {
	var out []*component
	for _, k := range c.children {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// parseMinimal is an RFC 5545 reader written from the RFC, independent of
// golang-ical: it unfolds CRLF+space, splits parameters outside quotes and
// unescapes TEXT values.
func parseMinimal(t *testing.T, data []byte) *component {
	t.Helper()
	s := string(data)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("the file does not end with CRLF")
	}
	var logical []string
	for i, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d is %d octets long: %q", i+1, len(line), line)
		}
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			if len(logical) == 0 {
				t.Fatalf("line %d continues nothing", i+1)
			}
			logical[len(logical)-1] += line[1:]
			continue
		}
		logical = append(logical, line)
	}
	root := &component{name: "ROOT"}
	stack := []*component{root}
	for _, line := range logical {
		p := splitLine(t, line)
		top := stack[len(stack)-1]
		switch p.name {
		case "BEGIN":
			c := &component{name: p.value}
			top.children = append(top.children, c)
			stack = append(stack, c)
		case "END":
			if top.name != p.value {
				t.Fatalf("END:%s closes %s", p.value, top.name)
			}
			stack = stack[:len(stack)-1]
		default:
			switch p.name {
			case "SUMMARY", "DESCRIPTION", "LOCATION", "TZNAME", "UID", "X-WR-CALNAME":
				p.value = unescapeText(p.value)
			}
			top.props = append(top.props, p)
		}
	}
	if len(stack) != 1 {
		t.Fatalf("unclosed component %s", stack[len(stack)-1].name)
	}
	return root
}

func splitLine(t *testing.T, line string) prop {
	quoted := false
	colon := -1
	for i, r := range line {
		if r == '"' {
			quoted = !quoted
		}
		if r == ':' && !quoted {
			colon = i
			break
		}
	}
	if colon < 0 {
		t.Fatalf("content line without a colon: %q", line)
	}
	head, value := line[:colon], line[colon+1:]
	var parts []string
	cur, quoted := "", false
	for _, r := range head {
		if r == '"' {
			quoted = !quoted
		}
		if r == ';' && !quoted {
			parts = append(parts, cur)
			cur = ""
			continue
		}
		cur += string(r)
	}
	parts = append(parts, cur)
	p := prop{name: strings.ToUpper(parts[0]), params: map[string]string{}, value: value}
	for _, kv := range parts[1:] {
		k, v, _ := strings.Cut(kv, "=")
		p.params[strings.ToUpper(k)] = strings.Trim(v, `"`)
	}
	return p
}

func unescapeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == 'n' || s[i] == 'N' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// pyComponent is what testdata/parse_ics.py prints.
type pyComponent struct {
	Name  string `json:"name"`
	Props []struct {
		Name   string            `json:"name"`
		Params map[string]string `json:"params"`
		Value  string            `json:"value"`
		UTC    string            `json:"utc"`
	} `json:"props"`
	Children []pyComponent `json:"children"`
}

// parsePython runs the standard-library reader; it skips when python3 is
// missing, since it is a second opinion, not the only one.
func parsePython(t *testing.T, data []byte) []pyComponent {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 non disponibile: controllo con la libreria standard di Python saltato")
	}
	f := filepath.Join(t.TempDir(), "x.ics")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/parse_ics.py", f).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var res struct {
		Errors     []string      `json:"errors"`
		Components []pyComponent `json:"components"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("python output: %v\n%s", err, out)
	}
	for _, e := range res.Errors {
		t.Errorf("python: %s", e)
	}
	return res.Components
}

type want struct {
	props   map[string]string // name → unescaped value
	params  map[string]map[string]string
	absent  []string
	utcFrom string // DTSTART in UTC, as a calendar computes it
	utcTo   string
}

const longLink = "https://meet.example.it/riunione/tavolo-tecnico-coordinamento-comuni-siciliani?pwd=abcdefghijklmnopqrstuvwxyz0123456789&lingua=it"

func TestInvitation(t *testing.T) {
	p := profile()
	video := &model.Meeting{Number: 3, Title: "Coordinamento dei Progetti SAI della provincia di Brescia: un modello di rete che funziona dal 2016",
		Date: day("2022-03-02"), Start: clock(15, 0), End: clock(17, 0), Mode: model.Video,
		Link:     "https://meet.example.it/tavolo-3?a=1;b=2,c",
		Protocol: &model.Protocol{Number: 153, Date: day("2022-02-23")},
		Speakers: []model.Person{{Title: "dott.", Name: "Antonio Tedeschi", Role: "Referente per gli Enti locali; Consigliere delegato"},
			{Title: "dott.ssa", Name: "Maddalena Alberti", Role: "direttrice dell'associazione Adl Zavidovici"}}}
	inPerson := &model.Meeting{Number: 7, Title: "Accoglienza e salute", Date: day("2026-12-10"),
		Start: clock(9, 30), End: clock(13, 0), Mode: model.InPerson,
		Venue:        &model.Venue{Name: "Sala Martorana, Palazzo Comitini", Address: "Via Maqueda 100", City: "Palermo"},
		Registration: "https://www.anci.sicilia.it/iscrizioni/tavolo-7",
		Protocol:     &model.Protocol{Number: 413, Date: day("2026-12-01")}}
	mixed := &model.Meeting{Title: "Webinar: il nuovo bando", Date: day("2026-07-15"), Start: clock(10, 0), End: clock(12, 0),
		Mode: model.Mixed, Venue: &model.Venue{Name: "Sede ANCI Sicilia", City: "Palermo"}, Link: "https://meet.example.it/bando"}
	videoNoLink := &model.Meeting{Number: 2, Title: "Come rafforzare", Date: day("2022-01-31"),
		Start: clock(15, 0), End: clock(17, 0), Mode: model.Video}
	cases := []struct {
		name string
		m    *model.Meeting
		w    want
	}{
		{"videoconferenza con link", video, want{
			props: map[string]string{
				"SUMMARY":    "3º Tavolo tecnico: Coordinamento dei Progetti SAI della provincia di Brescia: un modello di rete che funziona dal 2016 - Progetto COOPERA",
				"DTSTART":    "20220302T150000",
				"DTEND":      "20220302T170000",
				"DTSTAMP":    "20220223T000000Z",
				"SEQUENCE":   "6600460",
				"STATUS":     "CONFIRMED",
				"LOCATION":   "https://meet.example.it/tavolo-3?a=1;b=2,c",
				"CONFERENCE": "https://meet.example.it/tavolo-3?a=1;b=2,c",
				"URL":        "http://www.anci.sicilia.it/iscrizioni",
				"ORGANIZER":  "mailto:ancisicilia@anci.sicilia.it",
				"DESCRIPTION": "Modalità: videoconferenza\nCollegamento: https://meet.example.it/tavolo-3?a=1;b=2,c\n" +
					"Iscrizione: http://www.anci.sicilia.it/iscrizioni\nRelatori:\n" +
					"- dott. Antonio Tedeschi, Referente per gli Enti locali; Consigliere delegato\n" +
					"- dott.ssa Maddalena Alberti, direttrice dell'associazione Adl Zavidovici\nOrganizza: ANCI Sicilia",
			},
			params: map[string]map[string]string{
				"DTSTART":    {"TZID": "Europe/Rome"},
				"DTEND":      {"TZID": "Europe/Rome"},
				"CONFERENCE": {"VALUE": "URI", "LABEL": "Videoconferenza"},
				"ORGANIZER":  {"CN": "ANCI Sicilia"},
			},
			utcFrom: "20220302T140000Z", utcTo: "20220302T160000Z",
		}},
		{"presenza in inverno", inPerson, want{
			props: map[string]string{
				"SUMMARY":  "7º Tavolo tecnico: Accoglienza e salute - Progetto COOPERA",
				"DTSTART":  "20261210T093000",
				"DTEND":    "20261210T130000",
				"DTSTAMP":  "20261201T000000Z",
				"SEQUENCE": "7801240",
				"STATUS":   "CONFIRMED",
				"LOCATION": "Sala Martorana, Palazzo Comitini, Via Maqueda 100, Palermo",
				"URL":      "https://www.anci.sicilia.it/iscrizioni/tavolo-7",
				"DESCRIPTION": "Modalità: in presenza\nSede: Sala Martorana, Palazzo Comitini, Via Maqueda 100, Palermo\n" +
					"Iscrizione: https://www.anci.sicilia.it/iscrizioni/tavolo-7\nOrganizza: ANCI Sicilia",
			},
			absent:  []string{"CONFERENCE"},
			utcFrom: "20261210T083000Z", utcTo: "20261210T120000Z",
		}},
		{"mista in estate", mixed, want{
			props: map[string]string{
				"SUMMARY":    "BOZZA - Webinar: il nuovo bando - Progetto COOPERA",
				"STATUS":     "TENTATIVE",
				"SEQUENCE":   "0",
				"LOCATION":   "Sede ANCI Sicilia, Palermo",
				"CONFERENCE": "https://meet.example.it/bando",
				"DESCRIPTION": "Modalità: mista (in presenza e in videoconferenza)\nSede: Sede ANCI Sicilia, Palermo\n" +
					"Collegamento: https://meet.example.it/bando\nIscrizione: http://www.anci.sicilia.it/iscrizioni\nOrganizza: ANCI Sicilia",
			},
			utcFrom: "20260715T080000Z", utcTo: "20260715T100000Z",
		}},
		{"link lungo e parole accentate", &model.Meeting{Title: strings.Repeat("è", 60) + " perché", Date: day("2026-03-29"),
			Start: clock(1, 30), End: clock(3, 30), Mode: model.Video, Link: longLink}, want{
			props: map[string]string{
				"SUMMARY":    "BOZZA - " + strings.Repeat("è", 60) + " perché - Progetto COOPERA",
				"CONFERENCE": longLink,
				"LOCATION":   longLink,
			},
			// The night the clocks go forward: 01:30 CET, 03:30 CEST.
			utcFrom: "20260329T003000Z", utcTo: "20260329T013000Z",
		}},
		{"videoconferenza senza link", videoNoLink, want{
			props: map[string]string{
				"LOCATION": "Videoconferenza (il link sarà inviato prima dell'incontro)",
				"DTSTAMP":  "19700101T000000Z", // a draft never looks newer than a letter
				"STATUS":   "TENTATIVE",
			},
			absent: []string{"CONFERENCE"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // python3 is slow to start
			data, err := Invitation(c.m, p, false)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := Invitation(c.m, p, false)
			if !bytes.Equal(data, again) {
				t.Fatal("two runs gave different bytes")
			}
			if bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) {
				t.Fatal("a line ends without CRLF")
			}

			// 1. The test's own reader.
			root := parseMinimal(t, data)
			cals := root.child("VCALENDAR")
			if len(cals) != 1 {
				t.Fatalf("%d VCALENDAR", len(cals))
			}
			cal := cals[0]
			for k, v := range map[string]string{"VERSION": "2.0", "PRODID": ProductID, "METHOD": "PUBLISH", "CALSCALE": "GREGORIAN"} {
				if got := cal.get(k); len(got) != 1 || got[0].value != v {
					t.Errorf("%s = %v, want %q", k, got, v)
				}
			}
			tzs := cal.child("VTIMEZONE")
			if len(tzs) != 1 || tzs[0].get("TZID")[0].value != TZID {
				t.Fatalf("VTIMEZONE Europe/Rome missing")
			}
			if len(tzs[0].child("DAYLIGHT")) != 1 || len(tzs[0].child("STANDARD")) != 1 {
				t.Errorf("VTIMEZONE needs one DAYLIGHT and one STANDARD")
			}
			evs := cal.child("VEVENT")
			if len(evs) != 1 {
				t.Fatalf("%d VEVENT", len(evs))
			}
			ev := evs[0]
			for _, k := range []string{"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "ORGANIZER"} {
				if len(ev.get(k)) != 1 {
					t.Errorf("%s appears %d times, want 1", k, len(ev.get(k)))
				}
			}
			if uid := ev.get("UID")[0].value; uid != UID(c.m, p) || !strings.HasSuffix(uid, "@progettocoopera.it") {
				t.Errorf("UID = %q", uid)
			}
			for k, v := range c.w.props {
				got := ev.get(k)
				if len(got) != 1 || got[0].value != v {
					t.Errorf("%s:\n got %v\nwant %q", k, got, v)
				}
			}
			for k, params := range c.w.params {
				for pk, pv := range params {
					if got := ev.get(k); len(got) == 0 || got[0].params[pk] != pv {
						t.Errorf("%s;%s = %v, want %q", k, pk, got, pv)
					}
				}
			}
			for _, k := range c.w.absent {
				if len(ev.get(k)) != 0 {
					t.Errorf("%s should be absent", k)
				}
			}

			// 2. golang-ical, the library that wrote it.
			parsed, err := ics.ParseCalendar(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("golang-ical: %v", err)
			}
			pe := parsed.Events()
			if len(pe) != 1 {
				t.Fatalf("golang-ical: %d events", len(pe))
			}
			for k, v := range c.w.props {
				pp := pe[0].GetProperty(ics.ComponentProperty(k))
				if pp == nil {
					t.Errorf("golang-ical: %s missing", k)
					continue
				}
				got := pp.Value
				if pp.GetValueType() == ics.ValueDataTypeText {
					got = ics.FromText(got)
				}
				if got != v {
					t.Errorf("golang-ical %s:\n got %q\nwant %q", k, got, v)
				}
			}
			if len(parsed.Timezones()) != 1 {
				t.Errorf("golang-ical: %d time zones", len(parsed.Timezones()))
			}

			// 3. Python's standard library, with zoneinfo for the times.
			py := parsePython(t, data)
			if len(py) != 1 || py[0].Name != "VCALENDAR" {
				t.Fatalf("python: %+v", py)
			}
			for _, comp := range py[0].Children {
				if comp.Name != "VEVENT" {
					continue
				}
				seen := map[string]bool{}
				for _, pp := range comp.Props {
					seen[pp.Name] = true
					if v, ok := c.w.props[pp.Name]; ok && pp.Value != v {
						t.Errorf("python %s:\n got %q\nwant %q", pp.Name, pp.Value, v)
					}
					if pp.Name == "DTSTART" && c.w.utcFrom != "" && pp.UTC != c.w.utcFrom {
						t.Errorf("python DTSTART in UTC = %q, want %q", pp.UTC, c.w.utcFrom)
					}
					if pp.Name == "DTEND" && c.w.utcTo != "" && pp.UTC != c.w.utcTo {
						t.Errorf("python DTEND in UTC = %q, want %q", pp.UTC, c.w.utcTo)
					}
				}
				for k := range c.w.props {
					if !seen[k] {
						t.Errorf("python: %s missing", k)
					}
				}
			}
		})
	}
}

// TestProductID: PRODID names the profile's body, and stays a valid
// "-//owner//product//language" when the name has a slash.
func TestProductID(t *testing.T) {
	p := profile()
	m := &model.Meeting{Number: 1, Title: "x", Date: day("2026-01-01"), Start: clock(9, 0), End: clock(10, 0), Mode: model.Video}
	for name, want := range map[string]string{
		"ANCI Sicilia":      "-//ANCI Sicilia//coopera//IT",
		"Comune di A/B":     "-//Comune di AB//coopera//IT",
		"":                  ProductID,
		"Regione Siciliana": "-//Regione Siciliana//coopera//IT",
	} {
		p.Body.Name = name
		data, err := Invitation(m, p, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := parseMinimal(t, data).child("VCALENDAR")[0].get("PRODID")[0].value; got != want {
			t.Errorf("body %q: PRODID = %q, want %q", name, got, want)
		}
	}
}

func TestInvitationNeedsTime(t *testing.T) {
	m := &model.Meeting{Path: "x.yaml", Number: 1, Date: day("2021-12-22"), Historical: true}
	if _, err := Invitation(m, profile(), false); err == nil || !strings.Contains(err.Error(), "orario") {
		t.Fatalf("err = %v, want a message about the time", err)
	}
}

func TestFeed(t *testing.T) {
	p := profile()
	ms := []*model.Meeting{
		{Title: "Costituzione di un Coordinamento", Date: day("2021-12-07"), Mode: model.Video, Historical: true},
		{Number: 3, Title: "Brescia", Date: day("2022-03-02"), Start: clock(15, 0), End: clock(17, 0), Mode: model.Video},
		{Number: 5, Date: day("2022-04-27"), Historical: true,
			Materials: []model.Material{{Title: "Notizia", URL: "https://www.anci.sicilia.it/x"}}},
	}
	data, err := Feed(ms, p, "Tavoli tecnici COOPERA")
	if err != nil {
		t.Fatal(err)
	}
	root := parseMinimal(t, data)
	cal := root.child("VCALENDAR")[0]
	if got := cal.get("X-WR-CALNAME"); len(got) != 1 || got[0].value != "Tavoli tecnici COOPERA" {
		t.Errorf("X-WR-CALNAME = %v", got)
	}
	evs := cal.child("VEVENT")
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	uids := map[string]bool{}
	for _, e := range evs {
		uids[e.get("UID")[0].value] = true
	}
	if len(uids) != 3 {
		t.Errorf("UIDs are not unique: %v", uids)
	}
	allDay := evs[0]
	if s := allDay.get("DTSTART")[0]; s.value != "20211207" || s.params["VALUE"] != "DATE" {
		t.Errorf("all-day DTSTART = %+v", s)
	}
	if e := allDay.get("DTEND")[0]; e.value != "20211208" || e.params["VALUE"] != "DATE" {
		t.Errorf("all-day DTEND = %+v", e)
	}
	if len(allDay.get("URL")) != 0 {
		t.Errorf("a historical meeting has no registration page")
	}
	// A coming meeting without number is tentative, as its draft
	// invitation is, but the public calendar does not say BOZZA; the
	// historical ones happened.
	if st, sum := evs[1].get("STATUS")[0].value, evs[1].get("SUMMARY")[0].value; st != "TENTATIVE" || strings.Contains(sum, "BOZZA") {
		t.Errorf("coming meeting without number: STATUS %s, SUMMARY %q", st, sum)
	}
	for _, i := range []int{0, 2} {
		if st := evs[i].get("STATUS")[0].value; st != "CONFIRMED" {
			t.Errorf("historical meeting %d: STATUS %s", i, st)
		}
	}
	if got := evs[2].get("SUMMARY")[0].value; got != "5º Tavolo tecnico - Progetto COOPERA" {
		t.Errorf("SUMMARY without title = %q", got)
	}
	if got := evs[2].get("DESCRIPTION")[0].value; !strings.Contains(got, "Notizia: https://www.anci.sicilia.it/x") {
		t.Errorf("DESCRIPTION lacks the materials: %q", got)
	}
	if _, err := ics.ParseCalendar(bytes.NewReader(data)); err != nil {
		t.Fatalf("golang-ical: %v", err)
	}
	py := parsePython(t, data)
	n := 0
	for _, c := range py[0].Children {
		if c.Name == "VEVENT" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("python sees %d events", n)
	}
}

// TestUIDStable: the UID depends on identity only, so editing the speakers
// or the time updates the same calendar entry.
func TestUIDStable(t *testing.T) {
	p := profile()
	a := &model.Meeting{Number: 3, Title: "A", Date: day("2022-03-02"), Start: clock(15, 0), End: clock(17, 0)}
	b := &model.Meeting{Number: 3, Title: "B", Date: day("2022-03-02"), Start: clock(10, 0), End: clock(12, 0),
		Speakers: []model.Person{{Name: "X"}}}
	c := &model.Meeting{Number: 4, Title: "A", Date: day("2022-03-02")}
	d := &model.Meeting{Title: "A", Date: day("2022-03-02")}
	e := &model.Meeting{Title: "B", Date: day("2022-03-02")}
	if UID(a, p) != UID(b, p) {
		t.Error("same Tavolo and day, different UID")
	}
	for _, other := range []*model.Meeting{c, d} {
		if UID(a, p) == UID(other, p) {
			t.Errorf("different meetings share UID %s", UID(a, p))
		}
	}
	if UID(d, p) == UID(e, p) {
		t.Error("two events of one day with different titles share a UID")
	}
}

// TestRomeRules reads the VTIMEZONE back from an invitation and checks its
// rules against the tz database for every year the project may plausibly
// use: offsets before and after each transition, and its instant.
func TestRomeRules(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	m := &model.Meeting{Number: 1, Title: "x", Date: day("2026-01-01"), Start: clock(9, 0), End: clock(10, 0), Mode: model.Video}
	data, err := Invitation(m, profile(), false)
	if err != nil {
		t.Fatal(err)
	}
	tz := parseMinimal(t, data).child("VCALENDAR")[0].child("VTIMEZONE")[0]
	offset := func(s string) int {
		tm, err := time.Parse("-0700", s)
		if err != nil {
			t.Fatalf("offset %q: %v", s, err)
		}
		_, off := tm.Zone()
		return off
	}
	lastSunday := func(y int, m time.Month) int {
		d := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC)
		return d.Day() - int(d.Weekday())
	}
	for _, kind := range []string{"DAYLIGHT", "STANDARD"} {
		c := tz.child(kind)[0]
		from, to := offset(c.get("TZOFFSETFROM")[0].value), offset(c.get("TZOFFSETTO")[0].value)
		start, err := time.Parse("20060102T150405", c.get("DTSTART")[0].value)
		if err != nil {
			t.Fatal(err)
		}
		rule := c.get("RRULE")[0].value
		want := fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=-1SU", int(start.Month()))
		if rule != want {
			t.Fatalf("%s RRULE = %q, want %q", kind, rule, want)
		}
		for y := 1996; y <= 2037; y++ {
			local := time.Date(y, start.Month(), lastSunday(y, start.Month()), start.Hour(), start.Minute(), 0, 0, time.UTC)
			at := local.Add(-time.Duration(from) * time.Second) // the instant, in UTC
			if _, off := at.Add(-time.Minute).In(rome).Zone(); off != from {
				t.Errorf("%s %d: before %s the tz database says %+d, the rule %+d", kind, y, at, off, from)
			}
			if _, off := at.In(rome).Zone(); off != to {
				t.Errorf("%s %d: at %s the tz database says %+d, the rule %+d", kind, y, at, off, to)
			}
		}
	}
}

func BenchmarkInvitation(b *testing.B) {
	p := profile()
	m := &model.Meeting{Number: 3, Title: "Brescia", Date: day("2022-03-02"), Start: clock(15, 0), End: clock(17, 0), Mode: model.Video}
	for b.Loop() {
		if _, err := Invitation(m, p, false); err != nil {
			b.Fatal(err)
		}
	}
}
