package yamledit

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

var d = time.Date(2022, 2, 23, 0, 0, 0, 0, time.UTC)

const block2 = "protocollo:\n  numero: 153\n  data: 2022-02-23\n"

func TestSetProtocol(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" = only the generic checks
	}{
		{"spec example", `tavolo: 3
titolo: "Coordinamento dei Progetti SAI"
data: 2022-03-02
ora: "15:00-17:00"
modalita: videoconferenza
destinatari: Referenti
`, `tavolo: 3
titolo: "Coordinamento dei Progetti SAI"
data: 2022-03-02
ora: "15:00-17:00"
` + block2 + `modalita: videoconferenza
destinatari: Referenti
`},
		{"comments and blank lines between keys", `# Convocazione del 3º Tavolo
titolo: Rete   # commento in linea
data: 2022-03-02
ora: "15:00-17:00"   # orario

# come si partecipa
modalita: videoconferenza
`, `# Convocazione del 3º Tavolo
titolo: Rete   # commento in linea
data: 2022-03-02
ora: "15:00-17:00"   # orario
` + block2 + `
# come si partecipa
modalita: videoconferenza
`},
		{"no ora: after data", "titolo: x\ndata: 2022-03-02\nmodalita: presenza\n",
			"titolo: x\ndata: 2022-03-02\n" + block2 + "modalita: presenza\n"},
		{"neither ora nor data: at the end, before trailing comments", "titolo: x\nmodalita: presenza\n\n# fine\n",
			"titolo: x\nmodalita: presenza\n" + block2 + "\n# fine\n"},
		{"no final newline", "titolo: x\ndata: 2022-03-02\nora: \"15:00-17:00\"",
			"titolo: x\ndata: 2022-03-02\nora: \"15:00-17:00\"\n" + strings.TrimSuffix(block2, "\n")},
		{"CRLF and BOM", "\ufefftitolo: x\r\ndata: 2022-03-02\r\nora: \"9:00-10:00\"\r\nmodalita: presenza\r\n",
			"\ufefftitolo: x\r\ndata: 2022-03-02\r\nora: \"9:00-10:00\"\r\nprotocollo:\r\n  numero: 153\r\n  data: 2022-02-23\r\nmodalita: presenza\r\n"},
		{"CRLF without final newline", "titolo: x\r\nora: a",
			"titolo: x\r\nora: a\r\nprotocollo:\r\n  numero: 153\r\n  data: 2022-02-23"},
		{"four-space indentation", `titolo: x
ora: "15:00-17:00"
sede:
    nome: Palazzo
    citta: Palermo
relatori:
    -   nome: A
`, `titolo: x
ora: "15:00-17:00"
protocollo:
    numero: 153
    data: 2022-02-23
sede:
    nome: Palazzo
    citta: Palermo
relatori:
    -   nome: A
`},
		{"indentation learnt from a block scalar", "titolo: x\ntesto: |\n    riga uno\n    riga due\nora: a\n",
			"titolo: x\ntesto: |\n    riga uno\n    riga due\nora: a\nprotocollo:\n    numero: 153\n    data: 2022-02-23\n"},
		{"anchor entry is a block scalar followed by blank lines", `titolo: x
testo: |
  Durante l'incontro

  # non è un commento: è testo
  fine


# commento finale
`, `titolo: x
testo: |
  Durante l'incontro

  # non è un commento: è testo
  fine
` + block2 + `

# commento finale
`},
		{"kept block scalar keeps its blank lines", "titolo: x\ntesto: |+\n  riga\n\n\n# c\n",
			"titolo: x\ntesto: |+\n  riga\n\n\n" + block2 + "# c\n"},
		{"ora followed by a literal block", "data: 2022-03-02\nora: a\ntesto: |\n  t\n",
			"data: 2022-03-02\nora: a\n" + block2 + "testo: |\n  t\n"},
		{"flow values and compact sequences", `titolo: x
sede: {nome: Palazzo, citta: Palermo}
relatori:
- nome: A
  ruolo: >-
    Referente
    per gli enti
ora: [15, 17]
allegati: ["a", 'b']
`, `titolo: x
sede: {nome: Palazzo, citta: Palermo}
relatori:
- nome: A
  ruolo: >-
    Referente
    per gli enti
ora: [15, 17]
` + block2 + `allegati: ["a", 'b']
`},
		{"multi-line flow value", "ora: {a: 1,\n  b: 2}\n# dopo\ntitolo: x\n",
			"ora: {a: 1,\n  b: 2}\n" + block2 + "# dopo\ntitolo: x\n"},
		{"document markers", "---\ntitolo: x\nora: a\n...\n", "---\ntitolo: x\nora: a\n" + block2 + "...\n"},
		{"key named ora nested is not an anchor", "sede:\n  ora: a\ntitolo: x\n",
			"sede:\n  ora: a\ntitolo: x\n" + block2},
		{"old Mac line breaks", "titolo: x\rora: a\rmodalita: y\r", "titolo: x\rora: a\rprotocollo:\r  numero: 153\r  data: 2022-02-23\rmodalita: y\r"},
		// Found by FuzzSetProtocol: the block took the first line's lone CR,
		// which the blank LF line after it then joined into a CR LF.
		{"lone CR first, LF after", "\rora: a\n\n", "\rora: a\n" + block2 + "\n"},
		{"LF first, CR LF where the block goes", "titolo: x\nora: a\r\nmodalita: y\n", "titolo: x\nora: a\r\nprotocollo:\r\n  numero: 153\r\n  data: 2022-02-23\r\nmodalita: y\n"},
		{"Unicode line separator in a value", "titolo: \"a\u2028b\"\nora: a\n", "titolo: \"a\u2028b\"\nora: a\n" + block2},
		{"multi-line plain scalar", "titolo: una riga\n  che continua\n\n  e continua\nmodalita: x\n",
			"titolo: una riga\n  che continua\n\n  e continua\nmodalita: x\n" + block2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SetProtocol([]byte(tt.in), 153, d)
			if err != nil {
				t.Fatalf("SetProtocol: %v", err)
			}
			if tt.want != "" && string(got) != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			checkOnlyInserted(t, tt.in, string(got))
		})
	}
}

// checkOnlyInserted asserts the generic promise: the result parses, carries
// the block, and its lines are the input's lines plus exactly three
// consecutive new ones, with the input's line ending everywhere.
func checkOnlyInserted(t *testing.T, in, out string) {
	t.Helper()
	var v struct {
		P struct {
			Numero int
			Data   time.Time
		} `yaml:"protocollo"`
	}
	body := strings.TrimPrefix(out, "\ufeff")
	if err := yaml.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("result does not parse: %v", err)
	}
	if v.P.Numero != 153 || !v.P.Data.Equal(d) {
		t.Errorf("protocollo = %+v", v.P)
	}
	if strings.HasPrefix(in, "\ufeff") != strings.HasPrefix(out, "\ufeff") {
		t.Error("BOM not preserved")
	}
	a, aBreaks := lineBreaks(in)
	b, bBreaks := lineBreaks(out)
	for br := range bBreaks {
		if !aBreaks[br] && !(len(aBreaks) == 0 && br == "\n") {
			t.Errorf("line break %q not used by the input", br)
		}
	}
	if breakRE.MatchString(in[max(0, len(in)-3):]+"$") != breakRE.MatchString(out[max(0, len(out)-3):]+"$") {
		t.Error("final newline added or removed")
	}
	if len(b) != len(a)+3 {
		t.Fatalf("result has %d lines, want %d+3", len(b), len(a))
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	ins := b[i : i+3]
	if strings.TrimSpace(ins[0]) != "protocollo:" || strings.TrimSpace(ins[1]) != "numero: 153" || strings.TrimSpace(ins[2]) != "data: 2022-02-23" {
		t.Errorf("inserted lines = %q", ins)
	}
	if strings.Join(append(append([]string{}, b[:i]...), b[i+3:]...), "\n") != strings.Join(a, "\n") {
		t.Errorf("lines other than the inserted block changed:\n%s", out)
	}
}

var breakRE = regexp.MustCompile("(\r\n|\r|\n|\u0085|\u2028|\u2029)$")

// lineBreaks splits s into lines as YAML does and says which breaks occur.
func lineBreaks(s string) ([]string, map[string]bool) {
	re := regexp.MustCompile("\r\n|\r|\n|\u0085|\u2028|\u2029")
	seen := map[string]bool{}
	for _, m := range re.FindAllString(s, -1) {
		seen[m] = true
	}
	return re.Split(s, -1), seen
}

func TestSetProtocolRefuses(t *testing.T) {
	tests := []struct {
		name, in, want string
		number         int
	}{
		{"already numbered", "titolo: x\nprotocollo:\n  numero: 153\n  data: 2022-02-23\n", "il file ha già il protocollo n. 153 del 2022-02-23", 154},
		{"already numbered, flow", "titolo: x\nprotocollo: {numero: 7}\n", "riga 2: il file ha già il protocollo n. 7", 8},
		{"empty protocollo key", "titolo: x\nprotocollo:\n", "già una chiave protocollo", 1},
		{"empty file", "", "vuoto", 1},
		{"only a comment", "# niente\n", "vuoto", 1},
		{"not a mapping", "- a\n- b\n", "non è un elenco di chiavi", 1},
		{"scalar document", "ciao\n", "non è un elenco di chiavi", 1},
		{"flow root", "{titolo: x, ora: a}\n", "graffe", 1},
		{"invalid yaml", "titolo: [x\n", "file YAML non valido", 1},
		{"tab indentation", "sede:\n\tnome: x\n", "file YAML non valido", 1},
		{"duplicate key", "titolo: x\ntitolo: y\n", "file YAML non valido", 1},
		{"two documents", "titolo: x\n---\ntitolo: y\n", "più di un documento", 1},
		{"invalid utf-8", "titolo: \xff\n", "UTF-8", 1},
		{"number zero", "titolo: x\n", "non valido", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := SetProtocol([]byte(tt.in), tt.number, d)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q (out %q)", err, tt.want, out)
			}
			if out != nil {
				t.Error("output returned along with an error")
			}
		})
	}
}

func FuzzSetProtocol(f *testing.F) {
	for _, s := range []string{
		"titolo: x\nora: a\n", "testo: |+\n  a\n\n", "a: {b: 1,\n c: 2}\n", "\ufeffa: 1\r\nora: 2", "a: >\n x\n\n# c\nb: 1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := SetProtocol([]byte(in), 153, d)
		if err != nil {
			return
		}
		checkOnlyInserted(t, in, string(out))
	})
}
