package model_test

import (
	"bufio"
	"bytes"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// These tests hold the shipped data (data/) and the shipped JSON Schemas
// (assets/schemas/) to the same contract as the decoder: a file the editor
// accepts must be a file coopera accepts, and the other way round.

const (
	dataDir       = "../../../../data"
	schemaDir     = "../../../../assets/schemas"
	schemaComment = "# yaml-language-server: $schema="
)

// schemaFor names the schema each kind of data file must point at.
func schemaFor(rel string) (string, bool) {
	switch dir, name := filepath.Dir(rel), filepath.Base(rel); {
	case dir == "." && name == model.ProfileName:
		return "progetto.schema.json", true
	case dir == "tavoli":
		return "tavolo.schema.json", true
	case dir == "comunicati":
		return "comunicato.schema.json", true
	}
	return "", false
}

var schemas struct {
	sync.Mutex
	byPath map[string]*jsonschema.Schema
}

// compileSchema compiles (once) the schema at path, asserting formats so that
// "format": "date" rejects days that do not exist, as the decoder does.
func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	schemas.Lock()
	defer schemas.Unlock()
	if s, ok := schemas.byPath[abs]; ok {
		return s
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	s, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("compiling %s: %v", path, err)
	}
	if schemas.byPath == nil {
		schemas.byPath = map[string]*jsonschema.Schema{}
	}
	schemas.byPath[abs] = s
	return s
}

// yamlToJSON decodes YAML into the values a JSON document would hold. It
// walks yaml.Node itself because decoding into any would turn dates into
// time.Time, which no JSON Schema can check.
func yamlToJSON(data []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return nodeToJSON(&doc)
}

func nodeToJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return nodeToJSON(n.Content[0])
	case yaml.AliasNode:
		return nodeToJSON(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: non-scalar key", k.Line)
			}
			v, err := nodeToJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := nodeToJSON(c)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			err := n.Decode(&b)
			return b, err
		case "!!int":
			var i int64
			err := n.Decode(&i)
			return i, err
		case "!!float":
			var f float64
			err := n.Decode(&f)
			return f, err
		default: // !!str, !!timestamp, !!binary: the text as written
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, n.Kind)
}

func validate(t *testing.T, schemaPath string, data []byte) error {
	t.Helper()
	v, err := yamlToJSON(data)
	if err != nil {
		t.Fatalf("decoding YAML: %v", err)
	}
	return compileSchema(t, schemaPath).Validate(v)
}

// schemaLine returns the schema path the first line of a data file names,
// relative to the file.
func schemaLine(data []byte) (string, bool) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return strings.CutPrefix(strings.TrimRight(string(first), "\r"), schemaComment)
}

func loadProfile(t *testing.T) *model.Profile {
	t.Helper()
	prof, probs := model.LoadProfile(filepath.Join(dataDir, model.ProfileName), model.Options{})
	if len(probs) > 0 {
		t.Fatalf("LoadProfile: %v", probs)
	}
	return prof
}

// TestDataFiles checks every YAML file under data/: its first line points at
// the right schema, it validates against that schema, and the loader accepts
// it without a single problem (warnings included).
func TestDataFiles(t *testing.T) {
	prof := loadProfile(t)
	var files []string
	err := filepath.WalkDir(dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found %d data files under %s, want the profile, meetings and releases", len(files), dataDir)
	}
	for _, path := range files {
		rel, _ := filepath.Rel(dataDir, path)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			want, ok := schemaFor(rel)
			if !ok {
				t.Fatalf("%s: data file outside progetto.yaml, tavoli/ and comunicati/", rel)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ref, ok := schemaLine(data)
			if !ok {
				t.Fatalf("first line is not %q…", schemaComment)
			}
			if filepath.IsAbs(ref) || filepath.Base(ref) != want {
				t.Fatalf("first line names schema %q, want a relative path to %s", ref, want)
			}
			schemaPath := filepath.Join(filepath.Dir(path), filepath.FromSlash(ref))
			wantPath, _ := filepath.Abs(filepath.Join(schemaDir, want))
			if got, _ := filepath.Abs(schemaPath); got != wantPath {
				t.Fatalf("first line resolves to %s, want %s", got, wantPath)
			}
			if _, err := os.Stat(schemaPath); err != nil {
				t.Fatalf("schema named on the first line: %v", err)
			}
			if err := validate(t, schemaPath, data); err != nil {
				t.Errorf("schema validation: %v", err)
			}
			var probs model.Problems
			switch want {
			case "progetto.schema.json":
				_, probs = model.LoadProfile(path, model.Options{})
			case "tavolo.schema.json":
				_, probs = model.LoadMeeting(path, prof, model.Options{})
			case "comunicato.schema.json":
				_, probs = model.LoadRelease(path, prof, model.Options{})
			}
			if len(probs) > 0 {
				t.Errorf("loader problems:\n%v", probs)
			}
		})
	}
}

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestDataMeetings pins the facts of the project's calendar, so that an edit
// that loses one (a date, a protocol number, a speaker) fails here.
func TestDataMeetings(t *testing.T) {
	prof := loadProfile(t)
	tests := []struct {
		file       string
		number     int
		date       string
		historical bool
		proto      int
		protoDate  string
		speakers   []string
		materials  int
		complete   bool // every fact a letter needs is there
	}{
		{"2021-12-07-costituzione-coordinamento.yaml", 0, "2021-12-07", true, 0, "", nil, 0, false},
		{"2021-12-22-tavolo-1.yaml", 1, "2021-12-22", true, 0, "", []string{"N. Grigion"}, 0, false},
		{"2022-01-31-tavolo-2.yaml", 2, "2022-01-31", false, 0, "", []string{"Salvatore Bottari", "Silvia Evelyn Rovetto", "Annalisa Fontana"}, 0, true},
		{"2022-03-02-tavolo-3.yaml", 3, "2022-03-02", false, 153, "2022-02-23", []string{"Antonio Tedeschi", "Maddalena Alberti"}, 0, true},
		{"2022-03-24-tavolo-4.yaml", 4, "2022-03-24", true, 0, "", nil, 1, false},
		{"2022-04-27-tavolo-5.yaml", 5, "2022-04-27", true, 0, "", []string{"G. Zollo"}, 1, false},
		{"2022-05-25-tavolo-6.yaml", 6, "2022-05-25", true, 440, "", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m, probs := model.LoadMeeting(filepath.Join(dataDir, "tavoli", tt.file), prof, model.Options{})
			if m == nil {
				t.Fatalf("LoadMeeting: %v", probs)
			}
			if m.Number != tt.number || !m.Date.Equal(day(tt.date)) || m.Historical != tt.historical {
				t.Errorf("got tavolo %d, data %s, storico %v; want %d, %s, %v",
					m.Number, m.Date.Format("2006-01-02"), m.Historical, tt.number, tt.date, tt.historical)
			}
			switch {
			case tt.proto == 0 && m.Protocol != nil:
				t.Errorf("protocollo = %+v, want none", *m.Protocol)
			case tt.proto != 0 && m.Protocol == nil:
				t.Errorf("protocollo missing, want %d", tt.proto)
			case tt.proto != 0:
				if m.Protocol.Number != tt.proto {
					t.Errorf("protocollo.numero = %d, want %d", m.Protocol.Number, tt.proto)
				}
				if got := m.Protocol.Date; (tt.protoDate == "" && !got.IsZero()) || (tt.protoDate != "" && !got.Equal(day(tt.protoDate))) {
					t.Errorf("protocollo.data = %v, want %q", got, tt.protoDate)
				}
			}
			var names []string
			for _, p := range m.Speakers {
				names = append(names, p.Name)
			}
			if !slices.Equal(names, tt.speakers) {
				t.Errorf("relatori = %q, want %q", names, tt.speakers)
			}
			if len(m.Materials) != tt.materials {
				t.Errorf("materiali = %d, want %d", len(m.Materials), tt.materials)
			}
			if miss := m.MissingForLetter(); (len(miss) == 0) != tt.complete {
				t.Errorf("MissingForLetter() = %q, want complete=%v", miss, tt.complete)
			}
			if !tt.historical && m.Mode != model.Video {
				t.Errorf("modalita = %q, want videoconferenza", m.Mode)
			}
		})
	}
}

// TestDataRelease checks the press release of the 2º Tavolo against its
// meeting and the seed's facts.
func TestDataRelease(t *testing.T) {
	prof := loadProfile(t)
	r, probs := model.LoadRelease(filepath.Join(dataDir, "comunicati", "2022-01-25-tavolo-2.yaml"), prof, model.Options{})
	if r == nil {
		t.Fatalf("LoadRelease: %v", probs)
	}
	if !r.Date.Equal(day("2022-01-25")) || r.Place != "Palermo" {
		t.Errorf("data, luogo = %s, %q; want 2022-01-25, Palermo", r.Date.Format("2006-01-02"), r.Place)
	}
	if r.Meeting == nil || r.Meeting.Number != 2 || r.Meeting.Start.String() != "15:00" || r.Meeting.End.String() != "17:00" {
		t.Fatalf("meeting = %+v, want the 2º Tavolo, 15:00-17:00", r.Meeting)
	}
	for _, want := range []string{
		"2° Tavolo tecnico", "31 gennaio p.v. dalle ore 15 alle 17.",
	} {
		if !strings.Contains(r.Title, want) {
			t.Errorf("titolo lacks %q", want)
		}
	}
	for _, want := range []string{
		"**“Come rafforzare la struttura organizzativa dell’Ente locale per una più efficace gestione del Progetto SAI”**",
		"**capofila il Comune di Palermo**",
		"Castoreale, Catania",
		"i Liberi Consorzi di Ragusa e Siracusa",
		"coordinato da **Mario Emanuele Alvano**",
		"*“il Progetto, parte integrante del sistema dei servizi per lo sviluppo del welfare locale”*",
		"**Silvia Evelyn Rovetto** e **Annalisa Fontana**",
		"circa 250 abitanti",
		"[www.anci.sicilia.it/iscrizioni/](http://www.anci.sicilia.it/iscrizioni/)",
		"[ancisicilia@anci.sicilia.it](mailto:ancisicilia@anci.sicilia.it).**",
	} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("testo lacks %q", want)
		}
	}
	if n := strings.Count(r.Text, "\n\n"); n != 4 {
		t.Errorf("testo has %d paragraph breaks, want 4 (5 paragraphs)", n)
	}
}

// TestDataProfile pins the facts of the seed letter's letterhead and closing.
func TestDataProfile(t *testing.T) {
	p := loadProfile(t)
	if got := p.Protocol.Format.String(); got != "{numero:4}/{gg}/{mm}/{aa}" {
		t.Errorf("protocollo.formato = %q", got)
	}
	if p.Protocol.Managed {
		t.Error("protocollo.gestione: want esterna")
	}
	if want, _ := filepath.Abs(filepath.Join(dataDir, "registro-protocollo.txt")); p.Protocol.Register != want {
		t.Errorf("registro = %q, want %q", p.Protocol.Register, want)
	}
	wantLines := []string{
		"Fondo Asilo, Migrazione e Integrazione 2014-2020 - Obiettivo Specifico 2.",
		"Integrazione/Migrazione legale - Obiettivo nazionale ON 3",
		"Capacity building - lettera j) Governance dei servizi - Qualificazione del sistema di tutela sanitaria",
	}
	if !slices.Equal(p.Letterhead.Lines, wantLines) {
		t.Errorf("righe = %q", p.Letterhead.Lines)
	}
	if want := []string{"ANCI SICILIA", "Associazione dei comuni siciliani", "progettocoopera.it"}; !slices.Equal(p.Letterhead.Footer, want) {
		t.Errorf("piede = %q", p.Letterhead.Footer)
	}
	if len(p.Letterhead.Logos) != 3 || p.Letterhead.Logos[0].Emblem != "ue" ||
		p.Letterhead.Logos[0].Caption != "Progetto co-finanziato\ndall'Unione Europea" ||
		p.Letterhead.Logos[2].Caption != "MINISTERO\nDELL'INTERNO" {
		t.Errorf("loghi = %+v", p.Letterhead.Logos)
	}
	if p.Signatory.Name != "Mario Emanuele Alvano" || p.Signatory.Role != "Segretario Generale ANCI Sicilia" {
		t.Errorf("firmatario = %+v", p.Signatory)
	}
	if !strings.Contains(p.Letter.ProjectText, "I **CO**muni Miglioran**O PER** Arginare le vulnerabilità, finanziato") ||
		!strings.Contains(p.Letter.ProjectText, "**Fami 2014-2020** (*Fondo asilo, migrazione e integrazione*)") {
		t.Errorf("paragrafo_progetto = %q", p.Letter.ProjectText)
	}
	if len(p.Coordination.Municipalities) != 13 || len(p.Coordination.Others) != 2 {
		t.Errorf("coordinamento = %+v", p.Coordination)
	}
}

// TestDataLogos checks the placeholder logos: PNG, small, and of different
// widths (the typesetter tells images apart by size).
func TestDataLogos(t *testing.T) {
	p := loadProfile(t)
	widths := map[int]string{}
	for _, l := range p.Letterhead.Logos {
		if l.Image == "" {
			continue
		}
		f, err := os.Open(l.Image)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bufio.NewReader(f))
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", l.Image, err)
			continue
		}
		if cfg.Height < 150 || cfg.Height > 300 {
			t.Errorf("%s: height %d, want about 200", l.Image, cfg.Height)
		}
		if other, dup := widths[cfg.Width]; dup {
			t.Errorf("%s and %s have the same width %d", other, l.Image, cfg.Width)
		}
		widths[cfg.Width] = l.Image
		if st, err := os.Stat(l.Image); err == nil && st.Size() > 4096 {
			t.Errorf("%s: %d bytes, want a placeholder under 4 KB", l.Image, st.Size())
		}
	}
	if len(widths) != 2 {
		t.Errorf("found %d image logos, want 2", len(widths))
	}
}

const goodMeeting = `tavolo: 7
titolo: Tema
data: 2022-06-29
ora: "15:00-17:00"
modalita: videoconferenza
`

// TestSchemasMatchDecoder feeds the same files to the schema and to the
// decoder: each must accept the good ones and reject the broken ones, so the
// schemas are neither vacuous nor stricter than coopera.
func TestSchemasMatchDecoder(t *testing.T) {
	prof := loadProfile(t)
	tests := []struct {
		name string
		kind string // tavolo, comunicato, progetto
		yaml string
		ok   bool
	}{
		{"meeting/good", "tavolo", goodMeeting, true},
		{"meeting/quoted date", "tavolo", strings.Replace(goodMeeting, "2022-06-29", `"2022-06-29"`, 1), true},
		{"meeting/numeric title", "tavolo", strings.Replace(goodMeeting, "titolo: Tema", "titolo: 2022", 1), true},
		{"meeting/presenza with sede", "tavolo", strings.Replace(goodMeeting, "videoconferenza", "presenza\nsede:\n  nome: Palazzo Comitini", 1), true},
		{"meeting/historical, date and number only", "tavolo", "storico: true\ntavolo: 6\ndata: 2022-05-25\n", true},
		{"meeting/historical, date only", "tavolo", "storico: true\ndata: 2022-05-25\n", false},
		{"meeting/historical protocol without date", "tavolo", "storico: true\ntavolo: 6\ndata: 2022-05-25\nprotocollo:\n  numero: 440\n", true},
		{"meeting/full person", "tavolo", goodMeeting + "relatori:\n  - nome: Anna Neri\n    titolo: dott.ssa\n    ruolo: Referente\n    ente: Comune di Enna\n    genere: f\n    intervento: Un tema\n", true},
		{"meeting/nested release", "tavolo", goodMeeting + "comunicato:\n  data: 2022-06-20\n  testo: Un testo\n", true},
		{"meeting/materials", "tavolo", goodMeeting + "materiali:\n  - titolo: Video\n    url: https://www.youtube.com/watch?v=x\n", true},

		{"meeting/unknown key", "tavolo", goodMeeting + "luogo: Roma\n", false},
		{"meeting/unknown person key", "tavolo", goodMeeting + "relatori:\n  - nome: Anna Neri\n    email: a@b.it\n", false},
		{"meeting/tavolo not an integer", "tavolo", strings.Replace(goodMeeting, "tavolo: 7", "tavolo: tre", 1), false},
		{"meeting/tavolo zero", "tavolo", strings.Replace(goodMeeting, "tavolo: 7", "tavolo: 0", 1), false},
		{"meeting/relatori not a list", "tavolo", goodMeeting + "relatori: Anna Neri\n", false},
		{"meeting/title is a boolean", "tavolo", strings.Replace(goodMeeting, "titolo: Tema", "titolo: true", 1), false},
		{"meeting/presenza without sede", "tavolo", strings.Replace(goodMeeting, "videoconferenza", "presenza", 1), false},
		{"meeting/mista without sede", "tavolo", strings.Replace(goodMeeting, "videoconferenza", "mista", 1), false},
		{"meeting/sede without nome", "tavolo", strings.Replace(goodMeeting, "videoconferenza", "presenza\nsede:\n  citta: Palermo", 1), false},
		{"meeting/impossible date", "tavolo", strings.Replace(goodMeeting, "2022-06-29", "2022-02-30", 1), false},
		{"meeting/month 13", "tavolo", strings.Replace(goodMeeting, "2022-06-29", "2022-13-01", 1), false},
		{"meeting/one-digit day", "tavolo", strings.Replace(goodMeeting, "2022-06-29", `"2022-06-9"`, 1), false},
		{"meeting/bad time", "tavolo", strings.Replace(goodMeeting, "15:00-17:00", "15-17", 1), false},
		{"meeting/hour 25", "tavolo", strings.Replace(goodMeeting, "15:00-17:00", "15:00-25:00", 1), false},
		{"meeting/unknown mode", "tavolo", strings.Replace(goodMeeting, "videoconferenza", "online", 1), false},
		{"meeting/unknown gender", "tavolo", goodMeeting + "relatori:\n  - nome: Anna Neri\n    genere: x\n", false},
		{"meeting/protocol number zero", "tavolo", goodMeeting + "protocollo:\n  numero: 0\n  data: 2022-06-20\n", false},
		{"meeting/protocol without date", "tavolo", goodMeeting + "protocollo:\n  numero: 12\n", false},
		{"meeting/missing title", "tavolo", strings.Replace(goodMeeting, "titolo: Tema\n", "", 1), false},
		{"meeting/missing time", "tavolo", strings.Replace(goodMeeting, "ora: \"15:00-17:00\"\n", "", 1), false},
		{"meeting/historical without date", "tavolo", "storico: true\ntavolo: 2\n", false},
		{"meeting/storico not a boolean", "tavolo", "storico: si\ndata: 2022-05-25\n", false},
		{"meeting/material without url", "tavolo", goodMeeting + "materiali:\n  - titolo: Video\n", false},
		{"meeting/bad url", "tavolo", goodMeeting + "iscrizione: iscrizioni sul sito\n", false},
		{"meeting/nested release names a meeting", "tavolo", goodMeeting + "comunicato:\n  data: 2022-06-20\n  testo: Un testo\n  tavolo: x.yaml\n", false},

		{"release/good", "comunicato", "data: 2022-06-20\ntitolo: Titolo\ntesto: Testo\n", true},
		{"release/missing title and meeting", "comunicato", "data: 2022-06-20\ntesto: Testo\n", false},
		{"release/missing text", "comunicato", "data: 2022-06-20\ntitolo: Titolo\n", false},
		{"release/unknown key", "comunicato", "data: 2022-06-20\ntitolo: Titolo\ntesto: Testo\nautore: X\n", false},
		{"release/impossible date", "comunicato", "data: 2022-04-31\ntitolo: Titolo\ntesto: Testo\n", false},

		{"profile/minimal", "progetto", "progetto: {nome: P, titolo: T}\nente: {nome: E, citta: Palermo}\nfirmatario: {nome: N, ruolo: R}\ncarta_intestata: {titolo: T}\n", true},
		{"profile/missing signatory", "progetto", "progetto: {nome: P, titolo: T}\nente: {nome: E, citta: Palermo}\ncarta_intestata: {titolo: T}\n", false},
		{"profile/bad e-mail", "progetto", "progetto: {nome: P, titolo: T}\nente: {nome: E, citta: Palermo, email: anci.it}\nfirmatario: {nome: N, ruolo: R}\ncarta_intestata: {titolo: T}\n", false},
		{"profile/unknown emblem", "progetto", "progetto: {nome: P, titolo: T}\nente: {nome: E, citta: Palermo}\nfirmatario: {nome: N, ruolo: R}\ncarta_intestata: {loghi: [{emblema: it}]}\n", false},
		{"profile/unknown protocol management", "progetto", "progetto: {nome: P, titolo: T}\nente: {nome: E, citta: Palermo}\nfirmatario: {nome: N, ruolo: R}\ncarta_intestata: {titolo: T}\nprotocollo: {gestione: automatica}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			name := map[string]string{"tavolo": "incontro.yaml", "comunicato": "comunicato.yaml", "progetto": model.ProfileName}[tt.kind]
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			serr := validate(t, filepath.Join(schemaDir, tt.kind+".schema.json"), []byte(tt.yaml))
			var probs model.Problems
			switch tt.kind {
			case "tavolo":
				_, probs = model.LoadMeeting(path, prof, model.Options{})
			case "comunicato":
				_, probs = model.LoadRelease(path, prof, model.Options{})
			case "progetto":
				_, probs = model.LoadProfile(path, model.Options{})
			}
			merr := probs.Err()
			if tt.ok {
				if serr != nil {
					t.Errorf("schema rejects a valid file: %v", serr)
				}
				if merr != nil {
					t.Errorf("decoder rejects a valid file: %v", merr)
				}
				return
			}
			if serr == nil {
				t.Error("schema accepts a broken file")
			}
			if merr == nil {
				t.Error("decoder accepts a broken file")
			}
		})
	}
}

// TestYAMLToJSON guards the conversion the schema checks rely on: a date
// must reach the schema as the text written, not as a timestamp.
func TestYAMLToJSON(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"2022-03-02", "2022-03-02"},
		{`"15:00-17:00"`, "15:00-17:00"},
		{"153", int64(153)},
		{"1.5", 1.5},
		{"true", true},
		{"~", nil},
	}
	for _, tt := range tests {
		got, err := yamlToJSON([]byte("k: " + tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if v := got.(map[string]any)["k"]; v != tt.want {
			t.Errorf("%s: got %#v, want %#v", tt.in, v, tt.want)
		}
	}
}
