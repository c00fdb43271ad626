package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

const repoData = "../../../../data"

func loadProfile(t *testing.T) *model.Profile {
	t.Helper()
	return loadProfileFrom(t, repoData)
}

func loadProfileFrom(t *testing.T, dir string) *model.Profile {
	t.Helper()
	p, probs := model.LoadProfile(filepath.Join(dir, "progetto.yaml"), model.Options{})
	if probs.Err() != nil {
		t.Fatal(probs)
	}
	return p
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParse(t *testing.T) {
	dates := []struct {
		in string
		ok bool
	}{{"2026-12-10", true}, {" 2026-12-10 ", true}, {"2026-02-30", false}, {"10/12/2026", false}, {"2026-1-5", false}, {"", false}}
	for _, c := range dates {
		_, err := ParseDate(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseDate(%q) err = %v", c.in, err)
		}
	}
	clocks := []struct {
		in         string
		start, end string
		ok         bool
	}{{"15:00-17:00", "15:00", "17:00", true}, {"9.30 – 13.00", "09:30", "13:00", true}, {"17:00-15:00", "", "", false},
		{"24:00-25:00", "", "", false}, {"15-17", "", "", false}, {"15:00-15:00", "", "", false}}
	for _, c := range clocks {
		s, e, err := ParseClock(c.in)
		if (err == nil) != c.ok || (c.ok && (s.String() != c.start || e.String() != c.end)) {
			t.Errorf("ParseClock(%q) = %s, %s, %v", c.in, s, e, err)
		}
	}
	for in, want := range map[string]model.Mode{"videoconferenza": model.Video, "Presenza": model.InPerson, " mista": model.Mixed, "online": ""} {
		got, err := ParseMode(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("ParseMode(%q) = %q, %v", in, got, err)
		}
	}
}

func TestNextNumber(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.yaml":         "tavolo: 3\ntitolo: x\n",
		"b.yml":          "# commento\ntavolo: 11 # undicesimo\n",
		"c.yaml":         "titolo: evento senza numero\n",
		"rotto.yaml":     "tavolo: 12\ntitolo: [non chiuso\n", // not YAML: read line by line
		"note.txt":       "tavolo: 99\n",
		".nascosto.yaml": "tavolo: 98\n",
	}
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		dir  string
		want int
	}{{dir, 13}, {t.TempDir(), 1}, {filepath.Join(dir, "manca"), 1}, {filepath.Join(repoData, "tavoli"), 7}}
	for _, c := range cases {
		got, err := NextNumber(c.dir)
		if err != nil || got != c.want {
			t.Errorf("NextNumber(%s) = %d, %v; want %d", c.dir, got, err, c.want)
		}
	}
}

func TestSchemaLine(t *testing.T) {
	if got := SchemaLine(filepath.Join(repoData, "tavoli"), "x/tavolo.schema.json"); got != MeetingSchema {
		t.Errorf("SchemaLine(data/tavoli) = %q", got)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("# yaml-language-server: $schema=../schemi/tavolo.schema.json\ntavolo: 1\n"), 0o644)
	if got := SchemaLine(dir, MeetingSchema); got != "# yaml-language-server: $schema=../schemi/tavolo.schema.json" {
		t.Errorf("SchemaLine copies the folder's form: %q", got)
	}
	if got := SchemaLine(t.TempDir(), MeetingSchema); got != MeetingSchema {
		t.Errorf("SchemaLine(empty) = %q", got)
	}
}

func TestMeetingYAMLValidates(t *testing.T) {
	prof := loadProfile(t)
	cases := []struct {
		name string
		m    Meeting
		file string
	}{
		{"videoconferenza", Meeting{Number: 7, Title: "Accoglienza: salute e \"servizi\" #1", Date: day("2026-12-10"),
			Start: 15 * 60, End: 17 * 60, Mode: model.Video, Link: "https://meet.example.it/t7"}, "2026-12-10-tavolo-7.yaml"},
		{"senza titolo", Meeting{Number: 8, Date: day("2027-01-01"), Start: 9 * 60, End: 13*60 + 30, Mode: model.Video}, "2027-01-01-tavolo-8.yaml"},
		{"presenza", Meeting{Number: 9, Title: "In sede", Date: day("2027-03-28"), Start: 10 * 60, End: 12 * 60, Mode: model.InPerson,
			Venue: &model.Venue{Name: "Sala Martorana", Address: "Via Maqueda 100"}}, "2027-03-28-tavolo-9.yaml"},
		{"mista senza sede", Meeting{Number: 10, Title: "Misto", Date: day("2027-04-01"), Start: 10 * 60, End: 12 * 60, Mode: model.Mixed}, "2027-04-01-tavolo-10.yaml"},
		{"evento", Meeting{Title: "Webinar: il nuovo bando FAMI", Date: day("2027-05-05"), Start: 10 * 60, End: 11 * 60, Mode: model.Video}, "2027-05-05-webinar-il-nuovo-bando-fami.yaml"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MeetingFileName(c.m); got != c.file {
				t.Errorf("MeetingFileName = %q, want %q", got, c.file)
			}
			data := MeetingYAML(c.m, prof, MeetingSchema)
			if !strings.HasPrefix(string(data), MeetingSchema+"\n") {
				t.Errorf("the schema line is not first")
			}
			path := filepath.Join(dir, c.file)
			if err := Create(path, data); err != nil {
				t.Fatal(err)
			}
			m, probs := model.LoadMeeting(path, prof, model.Options{})
			// Only what is left to fill in, as warnings (issue 11, point 4).
			if m == nil || len(probs) != len(m.Placeholders) || len(probs.Errors()) > 0 {
				t.Fatalf("the new file has problems:\n%v\n%s", probs, data)
			}
			var holes []string
			for _, h := range m.Placeholders {
				holes = append(holes, h.Key)
			}
			var want []string
			if c.m.Title == "" {
				want = append(want, "titolo")
			}
			if (c.m.Mode == model.InPerson || c.m.Mode == model.Mixed) && (c.m.Venue == nil || c.m.Venue.Name == "") {
				want = append(want, "sede.nome")
			}
			if strings.Join(holes, ",") != strings.Join(want, ",") {
				t.Errorf("placeholders %v, want %v", holes, want)
			}
			title := c.m.Title
			if title == "" {
				title = PlaceholderTitle
			}
			if m.Number != c.m.Number || m.Title != title || !m.Date.Equal(c.m.Date) || m.Start != c.m.Start ||
				m.End != c.m.End || m.Mode != c.m.Mode || m.Link != c.m.Link || m.Protocol != nil {
				t.Errorf("loaded %+v", m)
			}
			if c.m.Mode == model.InPerson || c.m.Mode == model.Mixed {
				if m.Venue == nil || m.Venue.City != "Palermo" {
					t.Errorf("the venue's city should default to the profile's: %+v", m.Venue)
				}
			}
			// The profile's defaults are shown, commented out.
			for _, want := range []string{"# destinatari: \"Referenti del Coordinamento", "# saluto: \"Gentilissimi,\"",
				"# iscrizione: http://www.anci.sicilia.it/iscrizioni", "#   nome: \"Mario Emanuele Alvano\"", "# protocollo:"} {
				if !strings.Contains(string(data), want) {
					t.Errorf("missing %q", want)
				}
			}
			for i, line := range strings.Split(string(data), "\n") {
				if strings.HasPrefix(line, "#") && !keyLine.MatchString(line) && len([]rune(line)) > 80 {
					t.Errorf("line %d is long (%d): %q", i+1, len([]rune(line)), line)
				}
			}
		})
	}
}

// keyLine is a commented-out key, whose length is the value's.
var keyLine = regexp.MustCompile(`^#\s*-?\s*[a-z_]+:`)

func TestCreateRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.yaml")
	if err := Create(path, []byte("uno\n")); err != nil {
		t.Fatal(err)
	}
	err := Create(path, []byte("due\n"))
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second Create: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "uno\n" {
		t.Errorf("the file was changed: %q", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if err := Create(filepath.Join(dir, "manca", "y.yaml"), []byte("x")); err == nil {
		t.Error("Create into a missing folder should fail")
	}
}

// copyProfile makes a data folder with the repository's profile and logos.
func copyProfile(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"tavoli", "comunicati", "loghi"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	for _, f := range []string{"progetto.yaml", "loghi/citta-di-palermo.png", "loghi/ministero-interno.png"} {
		b, err := os.ReadFile(filepath.Join(repoData, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(root, f), b, 0o644)
	}
	return root
}

func TestReleaseValidates(t *testing.T) {
	root := copyProfile(t)
	prof := loadProfileFrom(t, root)
	meetings := []struct {
		name string
		yaml string
		file string
	}{
		{"tavolo con relatori", `tavolo: 7
titolo: "Accoglienza e salute"
data: 2026-12-01
ora: "15:00-17:30"
modalita: mista
sede: {nome: Sala Martorana, citta: Palermo}
coordinatore: {nome: Mario Emanuele Alvano, ruolo: Segretario Generale}
relatori:
  - {titolo: dott.ssa, nome: Maria Rossi, ente: Comune di Trapani, intervento: "Il modello *Trapani*"}
  - {titolo: dott., nome: Luca Bianchi}
`, "2026-11-20-tavolo-7.yaml"},
		{"evento", `titolo: "Webinar sul bando"
data: 2027-01-15
ora: "09:30-11:00"
modalita: videoconferenza
iscrizione: https://example.it/iscrizioni
`, "2026-11-20-webinar-sul-bando.yaml"},
	}
	for _, c := range meetings {
		t.Run(c.name, func(t *testing.T) {
			mpath := filepath.Join(root, "tavoli", c.file)
			os.WriteFile(mpath, []byte(c.yaml), 0o644)
			m, probs := model.LoadMeeting(mpath, prof, model.Options{})
			if probs.Err() != nil {
				t.Fatal(probs)
			}
			r := Release{Date: day("2026-11-20"), MeetingPath: "../tavoli/" + c.file, Meeting: m}
			if got := ReleaseFileName(r); got != c.file {
				t.Errorf("ReleaseFileName = %q, want %q", got, c.file)
			}
			text := ReleaseText(m, prof)
			data := ReleaseYAML(r, prof, ReleaseSchema, text)
			rpath := filepath.Join(root, "comunicati", c.file)
			if err := Create(rpath, data); err != nil {
				t.Fatal(err)
			}
			rel, probs := model.LoadRelease(rpath, prof, model.Options{})
			if len(probs) > 0 {
				t.Fatalf("problems:\n%v\n%s", probs, data)
			}
			if rel.Meeting == nil || rel.Text != strings.TrimSpace(text) {
				t.Errorf("release text round trip:\n%q\n%q", rel.Text, text)
			}
			for _, want := range []string{"dalle ore " + m.Start.String() + " alle ore " + m.End.String()} {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q", want)
				}
			}
			for _, s := range m.Speakers {
				if !strings.Contains(text, s.Name) {
					t.Errorf("text lacks speaker %s", s.Name)
				}
			}
			// The cross-check sees the facts: move the meeting by an hour
			// and the same release no longer validates.
			os.WriteFile(mpath, []byte(strings.Replace(c.yaml, "ora: \""+m.Start.String(), "ora: \"08:00", 1)), 0o644)
			if _, probs := model.LoadRelease(rpath, prof, model.Options{}); probs.Err() == nil {
				t.Error("a changed time should contradict the release")
			}
		})
	}
}

func TestPrompter(t *testing.T) {
	var out strings.Builder
	p := NewPrompter(strings.NewReader("10/12/2026\n2026-12-10\n\n"), &out)
	check := func(s string) error { _, err := ParseDate(s); return err }
	got, err := p.Ask("Data", "", check)
	if err != nil || got != "2026-12-10" {
		t.Fatalf("Ask = %q, %v", got, err)
	}
	if !strings.Contains(out.String(), "data non valida") {
		t.Errorf("the wrong answer was not explained: %q", out.String())
	}
	got, err = p.Ask("Modalità", "videoconferenza", nil)
	if err != nil || got != "videoconferenza" {
		t.Errorf("default: %q, %v", got, err)
	}
	if _, err := p.Ask("Titolo", "", nil); err == nil {
		t.Error("end of input should be an error")
	}
}
