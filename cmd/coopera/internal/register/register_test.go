package register

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/protocol"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sum(s string) string { return Hash([]byte(s)) }

func TestHash(t *testing.T) {
	h := sha256.Sum256([]byte("abc"))
	if got, want := Hash([]byte("abc")), hex.EncodeToString(h[:]); got != want || got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Hash = %s", got)
	}
}

var house = protocol.MustParse(protocol.HouseFormat)

// issue builds the entry a managed "assegna" would append.
func issue(date time.Time, subject, source string) func(r *Register) (Entry, error) {
	return func(r *Register) (Entry, error) {
		n, err := r.NextFor(date.Year(), house)
		if err != nil {
			return Entry{}, err
		}
		return Entry{
			Number: n, Date: date, Kind: Issued, Formatted: house.Render(n, date),
			Subject: subject, Recipients: "Referenti SAI", Source: source,
			SourceSHA256: sum(source), PDFSHA256: sum("pdf " + source),
		}, nil
	}
}

func mustAssign(t testing.TB, path string, fn func(r *Register) (Entry, error)) Entry {
	t.Helper()
	e, err := Assign(path, fn)
	if err != nil {
		t.Fatalf("Assign: %v", err)
	}
	return e
}

func mustRead(t testing.TB, path string) *Register {
	t.Helper()
	r, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return r
}

func TestEscapeRoundTrip(t *testing.T) {
	tests := []struct{ in, out string }{
		{"", ""},
		{"piano", "piano"},
		{"a\tb", `a\tb`},
		{"riga1\nriga2\r\n", `riga1\nriga2\r\n`},
		{`C:\dati\x`, `C:\\dati\\x`},
		{"\x00\x1f\x7f", `\x00\x1f\x7f`},
		{"città è «così» — Здравствуйте 🇮🇹", "città è «così» — Здравствуйте 🇮🇹"},
		{`\t letterale`, `\\t letterale`},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.out {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.out)
		}
		back, err := unescape(tt.out)
		if err != nil || back != tt.in {
			t.Errorf("unescape(%q) = %q, %v; want %q", tt.out, back, err, tt.in)
		}
	}
	for _, bad := range []string{`fine\`, `\q`, `\x4`, `\x41`, `\x0a`, "raw\x01"} {
		if _, err := unescape(bad); err == nil {
			t.Errorf("unescape(%q) succeeded, want error", bad)
		}
	}
}

func TestRoundTripTrickyText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registro-protocollo.txt")
	texts := []Entry{
		{Subject: "Convocazione 3º Tavolo tecnico: \"rete\" e «accoglienza»", Recipients: "Referenti\tSAI\nComuni siciliani", Source: "tavoli/2022-03-02-tavolo-3.yaml"},
		{Subject: `barre \ rovesciate \\ e \n letterale`, Recipients: "Здравствуйте, Київ; ação; ß", Source: "tavoli/città è.yaml"},
		{Subject: "", Recipients: "", Source: ""},
		{Subject: "fine riga CRLF\r\n e NUL \x00 e DEL \x7f", Recipients: "#non un commento", Source: "a/b/c.yaml"},
	}
	var written []Entry
	for i, tx := range texts {
		tx := tx
		e := mustAssign(t, path, func(r *Register) (Entry, error) {
			n := r.Next(2022)
			return Entry{Number: n, Date: day(2022, 2, 23+i), Kind: Issued, Formatted: house.Render(n, day(2022, 2, 23+i)),
				Subject: tx.Subject, Recipients: tx.Recipients, Source: tx.Source,
				SourceSHA256: sum(tx.Subject), PDFSHA256: strings.ToUpper(sum(tx.Recipients))}, nil
		})
		written = append(written, e)
	}
	data, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(data), magic+"\n") {
		t.Fatalf("file does not start with the magic line:\n%s", data)
	}
	headerLines := strings.Count(header, "\n")
	if got := strings.Count(string(data), "\n"); got != headerLines+len(texts) {
		t.Errorf("file has %d lines, want %d (one per entry)", got, headerLines+len(texts))
	}
	r := mustRead(t, path)
	got := r.Entries()
	if len(got) != len(texts) {
		t.Fatalf("read %d entries, want %d", len(got), len(texts))
	}
	for i := range got {
		w := written[i]
		if w.PDFSHA256 != strings.ToLower(w.PDFSHA256) {
			t.Errorf("entry %d: hash not normalized to lower case", i)
		}
		if got[i].Line != headerLines+i+1 || w.Line != got[i].Line {
			t.Errorf("entry %d: Line = %d (Assign said %d), want %d", i, got[i].Line, w.Line, headerLines+i+1)
		}
		if !reflect.DeepEqual(got[i], w) {
			t.Errorf("entry %d round trip:\n got %#v\nwant %#v", i, got[i], w)
		}
		if got[i].Subject != texts[i].Subject || got[i].Recipients != texts[i].Recipients || got[i].Source != texts[i].Source {
			t.Errorf("entry %d text changed: %q %q %q", i, got[i].Subject, got[i].Recipients, got[i].Source)
		}
	}
	if e, ok := r.Lookup(2022, 2); !ok || e.Source != "tavoli/città è.yaml" {
		t.Errorf("Lookup(2022, 2) = %v, %v", e, ok)
	}
	if bs := r.BySource("a/b/c.yaml"); len(bs) != 1 || bs[0].Number != 4 {
		t.Errorf("BySource = %v", bs)
	}
	if _, ok := r.Lookup(2022, 5); ok {
		t.Error("Lookup of a missing number succeeded")
	}
}

func TestMissingAndEmptyFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"manca.txt", "vuoto.txt"} {
		path := filepath.Join(dir, name)
		if name == "vuoto.txt" {
			os.WriteFile(path, nil, 0o644)
		}
		r := mustRead(t, path)
		if len(r.Entries()) != 0 || r.Next(2022) != 1 {
			t.Errorf("%s: want an empty register", name)
		}
		e := mustAssign(t, path, issue(day(2022, 1, 10), "primo", "tavoli/a.yaml"))
		if e.Number != 1 {
			t.Errorf("%s: first number = %d", name, e.Number)
		}
	}
	if _, err := Assign(filepath.Join(dir, "no", "r.txt"), issue(day(2022, 1, 1), "x", "x.yaml")); err == nil || !strings.Contains(err.Error(), "non esiste") {
		t.Errorf("Assign in a missing folder: %v", err)
	}
}

// build writes a register of n issued entries and returns its lines.
func build(t *testing.T, n int) (string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "registro.txt")
	for i := 0; i < n; i++ {
		mustAssign(t, path, issue(day(2022, 3, 1+i), fmt.Sprintf("oggetto %d", i+1), fmt.Sprintf("tavoli/t%d.yaml", i+1)))
	}
	data, _ := os.ReadFile(path)
	return path, strings.SplitAfter(string(data), "\n")
}

func TestTamperDetection(t *testing.T) {
	h := strings.Count(header, "\n") // entries start at line h+1
	tests := []struct {
		name      string
		mutate    func(lines []string) []string // lines end with "\n"; the last element is ""
		wantLines []int
		torn      bool
	}{
		{"edit a number", func(l []string) []string {
			l[h+2] = strings.Replace(l[h+2], "2022\t3\t", "2022\t7\t", 1)
			return l
		}, []int{h + 3}, false},
		{"edit the subject", func(l []string) []string {
			l[h+1] = strings.Replace(l[h+1], "oggetto 2", "oggetto 9", 1)
			return l
		}, []int{h + 2}, false},
		{"delete a line", func(l []string) []string {
			return append(l[:h+1:h+1], l[h+2:]...)
		}, []int{h + 2}, false},
		{"delete the first entry", func(l []string) []string {
			return append(l[:h:h], l[h+1:]...)
		}, []int{h + 1}, false},
		{"swap two lines", func(l []string) []string {
			l[h+1], l[h+2] = l[h+2], l[h+1]
			return l
		}, []int{h + 2, h + 3, h + 4}, false},
		{"duplicate a line", func(l []string) []string {
			return append(l[:h+2:h+2], l[h+1:]...)
		}, []int{h + 3}, false},
		{"truncate the last line", func(l []string) []string {
			l[h+4] = l[h+4][:30]
			return l
		}, []int{h + 5}, true},
		{"last line without its newline", func(l []string) []string {
			l[h+4] = strings.TrimSuffix(l[h+4], "\n")
			return l
		}, []int{h + 5}, true},
		{"zeros after the last line", func(l []string) []string {
			return append(l, strings.Repeat("\x00", 100))
		}, []int{h + 6}, true},
		{"last line zeroed", func(l []string) []string {
			l[h+4] = strings.Repeat("\x00", len(l[h+4])-1) + "\n"
			return l
		}, []int{h + 5}, true},
		{"truncate a middle line", func(l []string) []string {
			l[h+1] = l[h+1][:20] + "\n"
			return l
		}, []int{h + 2}, false},
		{"blank line inserted", func(l []string) []string {
			return append(l[:h+1:h+1], append([]string{"\n"}, l[h+1:]...)...)
		}, []int{h + 2}, false},
		{"comment inserted after entries", func(l []string) []string {
			return append(l[:h+1:h+1], append([]string{"# nota\n"}, l[h+1:]...)...)
		}, []int{h + 2}, false},
		{"header replaced", func(l []string) []string {
			l[0] = "# registro qualunque\n"
			return l
		}, []int{1}, false},
		{"number with leading zero and rehashed chain is still a bad field", func(l []string) []string {
			l[h] = strings.Replace(l[h], "2022\t1\t", "2022\t01\t", 1)
			return l
		}, []int{h + 1, h + 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, lines := build(t, 5)
			mutated := tt.mutate(append([]string(nil), lines...))
			if err := os.WriteFile(path, []byte(strings.Join(mutated, "")), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Read(path)
			var dmg *DamageError
			if !errors.As(err, &dmg) {
				t.Fatalf("Read = %v, want a DamageError", err)
			}
			var got []int
			for _, is := range dmg.Issues {
				got = append(got, is.Line)
				want := fmt.Sprintf("%s:%d: ", path, is.Line)
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error text lacks %q:\n%v", want, err)
				}
			}
			if !reflect.DeepEqual(got, tt.wantLines) {
				t.Errorf("damaged lines = %v, want %v\n%v", got, tt.wantLines, err)
			}
			if dmg.OnlyTorn() != tt.torn {
				t.Errorf("OnlyTorn = %v, want %v", dmg.OnlyTorn(), tt.torn)
			}
			if _, err := Assign(path, issue(day(2022, 12, 1), "x", "x.yaml")); err == nil {
				t.Error("Assign on a damaged register succeeded")
			}
		})
	}
}

func TestRepair(t *testing.T) {
	t.Run("torn last line is removed, nothing else", func(t *testing.T) {
		path, lines := build(t, 3)
		intact := strings.Join(lines, "")
		torn := intact + "2022\t4\t2022-03-0"
		os.WriteFile(path, []byte(torn), 0o644)
		removed, err := Repair(path)
		if err != nil || removed != "2022\t4\t2022-03-0" {
			t.Fatalf("Repair = %q, %v", removed, err)
		}
		data, _ := os.ReadFile(path)
		if string(data) != intact {
			t.Errorf("after Repair the file differs from the intact one")
		}
		if r := mustRead(t, path); len(r.Entries()) != 3 || r.Next(2022) != 4 {
			t.Errorf("after Repair: %d entries, next %d", len(r.Entries()), r.Next(2022))
		}
		if e := mustAssign(t, path, issue(day(2022, 3, 10), "dopo", "d.yaml")); e.Number != 4 {
			t.Errorf("number after repair = %d, want 4", e.Number)
		}
	})
	t.Run("intact register is left alone", func(t *testing.T) {
		path, lines := build(t, 2)
		removed, err := Repair(path)
		data, _ := os.ReadFile(path)
		if removed != "" || err != nil || string(data) != strings.Join(lines, "") {
			t.Errorf("Repair of an intact register = %q, %v", removed, err)
		}
	})
	t.Run("complete damaged lines are never removed", func(t *testing.T) {
		for name, mutate := range map[string]func(string) string{
			"edited last line":       func(s string) string { return strings.Replace(s, "oggetto 3", "oggetto X", 1) },
			"edited middle and torn": func(s string) string { return strings.Replace(s, "oggetto 1", "oggetto X", 1) + "2022\t9" },
		} {
			path, lines := build(t, 3)
			bad := mutate(strings.Join(lines, ""))
			os.WriteFile(path, []byte(bad), 0o644)
			if _, err := Repair(path); err == nil {
				t.Errorf("%s: Repair succeeded", name)
			}
			if data, _ := os.ReadFile(path); string(data) != bad {
				t.Errorf("%s: Repair changed the file", name)
			}
		}
	})
}

func TestYearReset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.txt")
	var got []string
	for _, d := range []time.Time{day(2022, 2, 23), day(2022, 5, 4), day(2022, 12, 31), day(2023, 1, 2), day(2023, 1, 2), day(2024, 6, 1)} {
		e := mustAssign(t, path, issue(d, "x", "t.yaml"))
		got = append(got, e.Formatted)
	}
	want := []string{"0001/23/02/22", "0002/04/05/22", "0003/31/12/22", "0001/02/01/23", "0002/02/01/23", "0001/01/06/24"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("numbers = %v, want %v", got, want)
	}
	r := mustRead(t, path)
	if r.Next(2022) != 4 || r.Next(2023) != 3 || r.Next(2025) != 1 {
		t.Errorf("Next = %d %d %d", r.Next(2022), r.Next(2023), r.Next(2025))
	}
	if is := r.Check(true); len(is) != 0 {
		t.Errorf("Check: %v", is)
	}
}

func TestAnnul(t *testing.T) {
	path, _ := build(t, 3)
	a, err := Annul(path, 2022, 2, "  oggetto errato\ndestinatari sbagliati ", day(2022, 3, 20))
	if err != nil {
		t.Fatal(err)
	}
	r := mustRead(t, path)
	cur, ok := r.Lookup(2022, 2)
	if !ok || cur.Kind != Annulled || cur.Reason != "oggetto errato\ndestinatari sbagliati" || cur.Line != a.Line {
		t.Errorf("Lookup after annul = %+v", cur)
	}
	if h := r.History(2022, 2); len(h) != 2 || h[0].Kind != Issued || h[1].Source != "tavoli/t2.yaml" || h[1].Formatted != h[0].Formatted {
		t.Errorf("History = %+v", h)
	}
	if r.Next(2022) != 4 {
		t.Errorf("Next after annul = %d, want 4 (an annulled number is not reused)", r.Next(2022))
	}
	if is := r.Check(true); len(is) != 0 {
		t.Errorf("Check: %v", is)
	}
	errs := []struct {
		name string
		do   func() error
		want string
	}{
		{"annul twice", func() error { _, err := Annul(path, 2022, 2, "ancora", day(2022, 3, 21)); return err }, "già annullato"},
		{"unknown number", func() error { _, err := Annul(path, 2022, 9, "boh", day(2022, 3, 21)); return err }, "non è nel registro"},
		{"no reason", func() error { _, err := Annul(path, 2022, 3, "  ", day(2022, 3, 21)); return err }, "senza motivo"},
		{"before its registration", func() error { _, err := Annul(path, 2022, 3, "x", day(2022, 3, 1)); return err }, "precede"},
		{"reuse of an annulled number", func() error {
			_, err := Assign(path, func(r *Register) (Entry, error) {
				return Entry{Number: 2, Date: day(2022, 3, 22), Kind: Issued, PDFSHA256: sum("x")}, nil
			})
			return err
		}, "non si riusa"},
	}
	for _, tt := range errs {
		before, _ := os.ReadFile(path)
		err := tt.do()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if after, _ := os.ReadFile(path); string(after) != string(before) {
			t.Errorf("%s: register changed after a refused write", tt.name)
		}
	}
}

func TestAssignRefuses(t *testing.T) {
	base := func(r *Register) Entry {
		return Entry{Number: r.Next(2022), Date: day(2022, 3, 10), Kind: Issued, PDFSHA256: sum("p"), Source: "tavoli/a.yaml"}
	}
	tests := []struct {
		name   string
		modify func(e *Entry)
		want   string
	}{
		{"fn error", nil, "errore di prova"},
		{"no date", func(e *Entry) { e.Date = time.Time{} }, "senza data"},
		{"year of another date", func(e *Entry) { e.Year = 2021 }, "non è dell'anno 2021"},
		{"number zero", func(e *Entry) { e.Number = 0 }, "non valido"},
		{"negative number", func(e *Entry) { e.Number = -3 }, "non valido"},
		{"unknown kind", func(e *Entry) { e.Kind = "bozza" }, "sconosciuto"},
		{"issued without pdf hash", func(e *Entry) { e.PDFSHA256 = "" }, "senza l'impronta"},
		{"bad hash", func(e *Entry) { e.SourceSHA256 = "abc" }, "non valida"},
		{"absolute source", func(e *Entry) { e.Source = "/etc/passwd" }, "percorso relativo"},
		{"escaping source", func(e *Entry) { e.Source = "../fuori.yaml" }, "percorso relativo"},
		{"backslash source", func(e *Entry) { e.Source = `tavoli\a.yaml` }, "percorso relativo"},
		{"invalid utf-8", func(e *Entry) { e.Subject = "\xff" }, "UTF-8"},
		{"duplicate number", func(e *Entry) { e.Number = 1 }, "già emesso"},
		{"date before the previous number", func(e *Entry) { e.Date = day(2022, 3, 1) }, "precede quella del numero 1/2022"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.txt")
			mustAssign(t, path, issue(day(2022, 3, 5), "primo", "tavoli/p.yaml"))
			before, _ := os.ReadFile(path)
			_, err := Assign(path, func(r *Register) (Entry, error) {
				if tt.modify == nil {
					return Entry{}, errors.New("errore di prova")
				}
				e := base(r)
				tt.modify(&e)
				return e, nil
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("register changed after a refused entry")
			}
		})
	}
}

func TestExternalJournal(t *testing.T) {
	// The seeds' numbers come from ANCI Sicilia's own register: journal
	// entries first, the issue with its PDF hash later, gaps are normal.
	path := filepath.Join(t.TempDir(), "r.txt")
	reg := func(n int, d time.Time, src string) func(*Register) (Entry, error) {
		return func(*Register) (Entry, error) {
			return Entry{Number: n, Date: d, Kind: Registered, Formatted: house.Render(n, d), Source: src, SourceSHA256: sum(src)}, nil
		}
	}
	mustAssign(t, path, reg(440, day(2022, 5, 4), "tavoli/2022-05-tavolo-5.yaml"))
	mustAssign(t, path, reg(153, day(2022, 2, 23), "tavoli/2022-03-02-tavolo-3.yaml"))
	mustAssign(t, path, func(*Register) (Entry, error) {
		return Entry{Number: 153, Date: day(2022, 2, 24), Kind: Issued, Source: "tavoli/2022-03-02-tavolo-3.yaml", PDFSHA256: sum("pdf")}, nil
	})
	refusals := []struct {
		fn   func(*Register) (Entry, error)
		want string
	}{
		{reg(153, day(2022, 2, 23), "altro.yaml"), "già nel registro"},
		{reg(300, day(2022, 6, 1), "x.yaml"), "segue quella del numero 440/2022"},
		{reg(100, day(2022, 3, 1), "x.yaml"), "segue quella del numero 153/2022"},
		{func(*Register) (Entry, error) {
			return Entry{Number: 440, Date: day(2022, 5, 5), Kind: Issued, Source: "altro.yaml", PDFSHA256: sum("p")}, nil
		}, "registrato per tavoli/2022-05-tavolo-5.yaml"},
		{func(*Register) (Entry, error) {
			return Entry{Number: 440, Date: day(2022, 5, 1), Kind: Issued, Source: "tavoli/2022-05-tavolo-5.yaml", PDFSHA256: sum("p")}, nil
		}, "precede la sua registrazione"},
	}
	for _, rf := range refusals {
		if _, err := Assign(path, rf.fn); err == nil || !strings.Contains(err.Error(), rf.want) {
			t.Errorf("err = %v, want %q", err, rf.want)
		}
	}
	r := mustRead(t, path)
	if is := r.Check(false); len(is) != 0 {
		t.Errorf("Check(external) = %v, want none", is)
	}
	if e, _ := r.Lookup(2022, 153); e.Kind != Issued {
		t.Errorf("state of 153 = %s, want emesso", e.Kind)
	}
	managed := r.Check(true)
	var msgs []string
	for _, is := range managed {
		msgs = append(msgs, is.Message)
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{"mancano i numeri da 1 a 152 del 2022", "mancano i numeri da 154 a 439", "440/2022 è riservato ma non è mai stato emesso"} {
		if !strings.Contains(joined, want) {
			t.Errorf("Check(managed) lacks %q:\n%s", want, joined)
		}
	}
}

// writeUnchecked writes a register whose chain is intact but whose entries
// skip the writers' checks, as a hand-made or merged file could.
func writeUnchecked(t *testing.T, entries []Entry) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(header)
	prev := genesis
	for _, e := range entries {
		e.Year = e.Date.Year()
		b.WriteString(e.encode(prev))
		prev = e.chain
	}
	path := filepath.Join(t.TempDir(), "r.txt")
	os.WriteFile(path, []byte(b.String()), 0o644)
	return path
}

func TestCheck(t *testing.T) {
	h := strings.Count(header, "\n")
	iss := func(n int, d time.Time) Entry {
		return Entry{Number: n, Date: d, Kind: Issued, PDFSHA256: sum("p"), Source: fmt.Sprint(n, ".yaml")}
	}
	tests := []struct {
		name    string
		entries []Entry
		managed bool
		want    []Issue
	}{
		{"clean", []Entry{iss(1, day(2022, 1, 1)), iss(2, day(2022, 1, 1))}, true, nil},
		{"duplicate issue", []Entry{iss(1, day(2022, 1, 1)), iss(1, day(2022, 1, 2))}, true,
			[]Issue{{h + 2, "il numero 1/2022 è già emesso (riga " + fmt.Sprint(h+1) + ", 1.yaml)"}}},
		{"gap, managed", []Entry{iss(1, day(2022, 1, 1)), iss(3, day(2022, 1, 2)), iss(7, day(2022, 1, 2))}, true,
			[]Issue{{h + 2, "manca il numero 2 del 2022: i numeri assegnati da coopera non hanno buchi"},
				{h + 3, "mancano i numeri da 4 a 6 del 2022: i numeri assegnati da coopera non hanno buchi"}}},
		{"gap, external", []Entry{iss(1, day(2022, 1, 1)), iss(3, day(2022, 1, 2))}, false, nil},
		{"dates backwards", []Entry{iss(1, day(2022, 2, 1)), iss(2, day(2022, 1, 1))}, false,
			[]Issue{{h + 2, fmt.Sprintf("la data 2022-01-01 del numero 2/2022 precede quella del numero 1/2022 (2022-02-01, riga %d): i numeri seguono l'ordine delle date", h+1)}}},
		{"annul of unknown number", []Entry{iss(1, day(2022, 1, 1)), {Number: 5, Date: day(2022, 1, 3), Kind: Annulled, Reason: "x"}}, false,
			[]Issue{{h + 2, "annullamento del numero 5/2022, che non è nel registro"}}},
		{"same number in two years is fine", []Entry{iss(1, day(2022, 1, 1)), iss(1, day(2023, 1, 1))}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRead(t, writeUnchecked(t, tt.entries))
			got := r.Check(tt.managed)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Check = %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestNextForFormatLimit(t *testing.T) {
	f := protocol.MustParse("{numero:1}/{aa}")
	path := filepath.Join(t.TempDir(), "r.txt")
	fill := func(r *Register) (Entry, error) {
		n, err := r.NextFor(2022, f)
		if err != nil {
			return Entry{}, err
		}
		return Entry{Number: n, Date: day(2022, 1, 1), Kind: Issued, PDFSHA256: sum("p"), Formatted: f.Render(n, day(2022, 1, 1))}, nil
	}
	for i := 1; i <= 9; i++ {
		mustAssign(t, path, fill)
	}
	if _, err := Assign(path, fill); err == nil || !strings.Contains(err.Error(), "esauriti") {
		t.Errorf("10th number with a 1-digit format: %v", err)
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.txt")
	const n = 50
	nums := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := Assign(path, issue(day(2022, 4, 1), fmt.Sprint("g", i), fmt.Sprintf("t/%d.yaml", i)))
			if err != nil {
				t.Error(err)
			}
			nums[i] = e.Number
		}()
	}
	wg.Wait()
	assertConsecutive(t, path, nums, n)
}

// assertConsecutive checks that nums are 1..n in some order and that the
// register is intact and holds exactly them.
func assertConsecutive(t *testing.T, path string, nums []int, n int) {
	t.Helper()
	seen := map[int]bool{}
	for _, x := range nums {
		if x < 1 || x > n || seen[x] {
			t.Errorf("number %d out of range or repeated (all: %v)", x, nums)
		}
		seen[x] = true
	}
	r := mustRead(t, path)
	if len(r.Entries()) != n {
		t.Errorf("register holds %d entries, want %d", len(r.Entries()), n)
	}
	if is := r.Check(true); len(is) != 0 {
		t.Errorf("Check: %v", is)
	}
}

func BenchmarkAssign(b *testing.B) {
	path := filepath.Join(b.TempDir(), "r.txt")
	for b.Loop() {
		mustAssign(b, path, issue(day(2022, 4, 1), "bench", "t.yaml"))
	}
}

func BenchmarkRead1000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "r.txt")
	for range 1000 {
		mustAssign(b, path, issue(day(2022, 4, 1), "bench", "t.yaml"))
	}
	for b.Loop() {
		mustRead(b, path)
	}
}

// A link in the register's place is never appended through, and neither
// readers nor writers leave a lock file beside the register.
func TestRegisterLinkAndNoLockFile(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(t.TempDir(), "altrove.txt")
	mustAssign(t, real, issue(day(2022, 1, 10), "primo", "tavoli/a.yaml"))
	before, _ := os.ReadFile(real)
	path := filepath.Join(dir, "registro-protocollo.txt")
	if err := os.Symlink(real, path); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path); err != nil {
		t.Fatalf("Read through the link: %v", err)
	}
	_, err := Assign(path, issue(day(2022, 1, 11), "secondo", "tavoli/b.yaml"))
	if err == nil || !strings.Contains(err.Error(), "collegamento simbolico") || !strings.Contains(err.Error(), "suggerimento:") {
		t.Errorf("Assign through a link = %v, want a refusal naming the link, with a suggerimento", err)
	}
	if after, _ := os.ReadFile(real); string(after) != string(before) {
		t.Errorf("the file behind the link changed")
	}
	for _, d := range []string{dir, filepath.Dir(real)} {
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".lock") {
				t.Errorf("lock file %s left in %s", e.Name(), d)
			}
		}
	}
}

func TestRegisterThatIsAFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registro-protocollo.txt")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Read(path)
	if err == nil || !strings.Contains(err.Error(), "è una cartella, non un file") || !strings.Contains(err.Error(), "\nsuggerimento: ") {
		t.Errorf("Read(folder) = %v, want «è una cartella» with a suggerimento", err)
	}
}
