package model_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

// TestReadNumber holds every way people type a number to the exact
// explanation of what was read and what to write.
func TestReadNumber(t *testing.T) {
	tests := []struct {
		in        string
		want      int
		msg, hint string
	}{
		{"412", 412, "", ""},
		{"0", 0, "", ""},
		{"0412", 0, "zeri iniziali: 0412", "senza zeri davanti: 412"},
		{"0498", 0, "zeri iniziali: 0498", "senza zeri davanti: 498"},
		{"0499", 0, "zeri iniziali: 0499", "senza zeri davanti: 499"},
		{"0800", 0, "zeri iniziali: 0800", "senza zeri davanti: 800"},
		{"09", 0, "zeri iniziali: 09", "senza zeri davanti: 9"},
		{"00", 0, "zeri iniziali: 00", "senza zeri davanti: 0"},
		{"0x99", 0, "esadecimale: 0x99 vale 153", "in cifre decimali, come è scritto sulla lettera (0x99 in decimale è 153)"},
		{"0o17", 0, "ottale: 0o17 vale 15", "in decimale è 15"},
		{"0b101", 0, "binario: 0b101 vale 5", "in decimale è 5"},
		{"1e3", 0, "esponente: 1e3 (vale 1000)", "solo cifre: 1000"},
		{"412.0", 0, "punto decimale: 412.0", "deve essere intero: scrivi 412"},
		{"412,5", 0, "con la virgola: 412,5 (non è un numero intero)", "senza virgola né punto"},
		{"+412", 0, "segno «+»: +412", "senza segno: 412"},
		{"-3", 0, "negativo: -3", "non può essere negativo"},
		{"1.412", 0, "con il punto: 1.412 (il punto separa le migliaia o i decimali?)", "senza punti: 1412"},
		{"1_412", 0, "separatore delle migliaia «_»: 1_412", "senza separatori: 1412"},
		{"99999999999", 0, "fuori dai limiti: 99999999999", "troppe cifre"},
		{"tre", 0, `trovato il testo "tre"`, "solo cifre"},
	}
	for _, tt := range tests {
		got, err := model.ReadNumber(tt.in)
		if tt.msg == "" {
			if err != nil || got != tt.want {
				t.Errorf("ReadNumber(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ReadNumber(%q) = %d, want an error", tt.in, got)
			continue
		}
		if !strings.Contains(err.Message, tt.msg) || !strings.Contains(err.Hint, tt.hint) {
			t.Errorf("ReadNumber(%q):\n  %s\n  suggerimento: %s\nwant %q and %q", tt.in, err.Message, err.Hint, tt.msg, tt.hint)
		}
		if strings.Contains(err.Hint, "99") && tt.in == "0x99" && !strings.Contains(err.Hint, "153") {
			t.Errorf("0x99 advised as 99: %s", err.Hint)
		}
	}
}

// writeMeeting writes the shipped Tavolo 2 with one line replaced.
func writeMeeting(t *testing.T, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "tavoli", "2022-01-31-tavolo-2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in the meeting file", old)
	}
	s = strings.Replace(s, old, new, 1)
	dir := filepath.Join(t.TempDir(), "tavoli")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "2022-01-31-tavolo-2.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMeetingNumbers: the same advice in a meeting file, whatever YAML
// makes of the scalar (octal int, float, string or 1.1 sexagesimal).
func TestMeetingNumbers(t *testing.T) {
	prof := loadProfile(t)
	tests := []struct {
		line, want string
	}{
		{"tavolo: 0412", "tavolo: numero scritto con zeri iniziali: 0412\n  suggerimento: scrivi il numero senza zeri davanti: 412"},
		{"tavolo: 0498", "tavolo: numero scritto con zeri iniziali: 0498\n  suggerimento: scrivi il numero senza zeri davanti: 498"},
		{"tavolo: 09", "tavolo: numero scritto con zeri iniziali: 09\n  suggerimento: scrivi il numero senza zeri davanti: 9"},
		{"tavolo: 0x99", "tavolo: numero esadecimale: 0x99 vale 153"},
		{"tavolo: 1e3", "tavolo: numero scritto con l'esponente: 1e3 (vale 1000)"},
		{"tavolo: 412,5", "tavolo: numero con la virgola: 412,5"},
		{"tavolo: 1.412", "tavolo: numero con il punto: 1.412"},
		{"tavolo: 1_412", "tavolo: numero con il separatore delle migliaia «_»: 1_412"},
		{"tavolo: \"2\"", "tavolo: atteso un numero intero, trovato il testo \"2\""},
	}
	for _, tt := range tests {
		path := writeMeeting(t, "tavolo: 2", tt.line)
		_, probs := model.LoadMeeting(path, prof, model.Options{})
		got := probs.Error()
		if !strings.Contains(got, ":1:9: "+tt.want) && !strings.Contains(got, tt.want) {
			t.Errorf("%s:\n%s\nwant %q", tt.line, got, tt.want)
		}
		if strings.Contains(got, "troppe cifre") {
			t.Errorf("%s: %s", tt.line, got)
		}
	}
}

// TestForeignLetterKey: a key with a letter of another alphabet is named
// as such, never «forse intendevi» a word that looks the same.
func TestForeignLetterKey(t *testing.T) {
	prof := loadProfile(t)
	tests := []struct{ line, want string }{
		{"d\u0430ta: 2022-01-31", "dаta: la chiave «dаta» contiene la lettera cirillica «а» (U+0430)\n  suggerimento: riscrivila con lettere latine: data"},
		{"m\u03bfdalita: videoconferenza", "mοdalita: la chiave «mοdalita» contiene la lettera greca «ο» (U+03BF)\n  suggerimento: riscrivila con lettere latine: modalita"},
	}
	for _, tt := range tests {
		old := tt.line[:strings.Index(tt.line, ":")]
		old = strings.Map(func(r rune) rune {
			switch r {
			case '\u0430':
				return 'a'
			case '\u03bf':
				return 'o'
			}
			return r
		}, old) + tt.line[strings.Index(tt.line, ":"):]
		path := writeMeeting(t, old, tt.line)
		_, probs := model.LoadMeeting(path, prof, model.Options{})
		got := probs.Error()
		if !strings.Contains(got, tt.want) || strings.Contains(got, "forse intendevi") {
			t.Errorf("%s:\n%s\nwant %q", tt.line, got, tt.want)
		}
	}
}

// TestProfileHyphenation: a bad hyphenation exception is the profile's
// problem, at its own line, not the meeting file's at render time.
func TestProfileHyphenation(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dataDir, model.ProfileName))
	if err != nil {
		t.Fatal(err)
	}
	const at = "  virgolette_tipografiche: true\n"
	s := string(b)
	line := strings.Count(s[:strings.Index(s, at)], "\n") + 2
	s = strings.Replace(s, at, at+"  sillabazione: [Chie--sa, coo-pe-ra]\n", 1)
	path := filepath.Join(t.TempDir(), model.ProfileName)
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	prof, probs := model.LoadProfile(path, model.Options{})
	want := fmt.Sprintf("%s:%d:18: tipografia.sillabazione[1]: eccezione di sillabazione non valida: \"Chie--sa\"\n  suggerimento: ", path, line)
	if got := probs.Error(); !strings.Contains(got, want) {
		t.Errorf("got:\n%s\nwant %q", got, want)
	}
	if prof != nil {
		t.Errorf("profile accepted")
	}
}
