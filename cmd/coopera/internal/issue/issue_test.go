package issue

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/record"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/yamledit"
	"github.com/ancisicilia/coopera/templates"
)

const repoData = "../../../../data"

// regDate is the registration date the tests give: before the meeting of
// 2022-03-02, so the letters carry no warning.
var regDate = time.Date(2022, 2, 20, 0, 0, 0, 0, time.UTC)

func testEnv() *pipeline.Env { return &pipeline.Env{Templates: templates.FS, Version: "test"} }

// meetingSrc is the 3rd Tavolo without its protocol: a meeting waiting for
// a number.
func meetingSrc(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoData, "tavoli", "2022-03-02-tavolo-3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^protocollo:\n  numero: 153\n  data: 2022-02-23\n`)
	if !re.Match(b) {
		t.Fatal("the 3rd Tavolo's protocol block has changed: update meetingSrc")
	}
	return re.ReplaceAll(b, nil)
}

// dataDir makes a data folder with the real profile and logos, in the
// given protocol mode, with no meeting and no register.
func dataDir(t testing.TB, managed bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	for _, sub := range []string{"tavoli", "loghi"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.CopyFS(filepath.Join(dir, "loghi"), os.DirFS(filepath.Join(repoData, "loghi"))); err != nil {
		t.Fatal(err)
	}
	prof, err := os.ReadFile(filepath.Join(repoData, model.ProfileName))
	if err != nil {
		t.Fatal(err)
	}
	if managed {
		if !strings.Contains(string(prof), "gestione: esterna") {
			t.Fatal("progetto.yaml has no «gestione: esterna» to switch")
		}
		prof = []byte(strings.Replace(string(prof), "gestione: esterna", "gestione: interna", 1))
	}
	if err := os.WriteFile(filepath.Join(dir, model.ProfileName), prof, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// addMeeting writes a meeting file into dir/tavoli and returns its path.
func addMeeting(t testing.TB, dir, name string, src []byte) string {
	t.Helper()
	p := filepath.Join(dir, "tavoli", name)
	// Each meeting its own Tavolo number, the first one keeping the 3rd's:
	// two files with one number are refused (issue 11, point 5).
	others, _ := filepath.Glob(filepath.Join(dir, "tavoli", "*.yaml"))
	others = slices.DeleteFunc(others, func(o string) bool { return o == p })
	if len(others) > 0 {
		src = bytes.Replace(src, []byte("tavolo: 3\n"), []byte(fmt.Sprintf("tavolo: %d\n", 100+len(others))), 1)
	}
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func regPath(dir string) string { return filepath.Join(dir, "registro-protocollo.txt") }

func profile(t testing.TB, dir string) *model.Profile {
	t.Helper()
	p, probs := model.LoadProfile(filepath.Join(dir, model.ProfileName), model.Options{})
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	return p
}

func verify(t testing.TB, dir string) *Report {
	t.Helper()
	rep, err := Verify(VerifyOptions{Env: testEnv(), Profile: profile(t, dir)})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return rep
}

func codes(rep *Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Code)
	}
	return out
}

func assertFindings(t testing.TB, rep *Report, want ...string) {
	t.Helper()
	got := codes(rep)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		var b strings.Builder
		for _, f := range rep.Findings {
			fmt.Fprintf(&b, "\n  %s [%s]", f, f.Code)
		}
		t.Fatalf("findings %v, want %v:%s", got, want, b.String())
	}
}

func mustRead(t testing.TB, path string) *register.Register {
	t.Helper()
	r, err := register.Read(path)
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return r
}

func assign(t testing.TB, file, out string) *Result {
	t.Helper()
	res, err := Assign(file, Options{Env: testEnv(), OutDir: out, Date: regDate})
	if err != nil {
		t.Fatalf("Assign(%s): %v", file, err)
	}
	return res
}

func TestAssignIssues(t *testing.T) {
	dir := dataDir(t, true)
	src := meetingSrc(t)
	file := addMeeting(t, dir, "a.yaml", src)
	out := t.TempDir()
	res := assign(t, file, out)
	if res.Number != 1 || res.Year != 2022 || res.Formatted != "0001/20/02/22" || res.Resumed {
		t.Errorf("result %+v", res)
	}
	// The file gained exactly the block yamledit writes, nothing else.
	want, err := yamledit.SetProtocol(src, 1, regDate)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(file); string(got) != string(want) {
		t.Errorf("meeting file after assegna:\n%s", got)
	}
	pdf, err := os.ReadFile(res.PDFPath)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(res.PDFPath) != out || register.Hash(pdf) != res.Issued.PDFSHA256 {
		t.Errorf("PDF %s does not match the impronta %s", res.PDFPath, res.Issued.PDFSHA256)
	}
	r := mustRead(t, regPath(dir))
	h := r.History(2022, 1)
	if len(h) != 2 || h[0].Kind != register.Registered || h[1].Kind != register.Issued {
		t.Fatalf("history %+v", h)
	}
	if h[0].Source != "tavoli/a.yaml" || h[0].SourceSHA256 != register.Hash(src) || h[1].SourceSHA256 != register.Hash(want) {
		t.Errorf("sources %q %q %q", h[0].Source, h[0].SourceSHA256, h[1].SourceSHA256)
	}
	if !strings.Contains(h[1].Subject, "Brescia") || h[1].Recipients == "" || !h[1].Date.Equal(regDate) {
		t.Errorf("issued entry %+v", h[1])
	}
	assertFindings(t, verify(t, dir))

	// Twice on the same meeting: an error naming its number, nothing added.
	_, err = Assign(file, Options{Env: testEnv(), OutDir: out, Date: regDate})
	if err == nil || !strings.Contains(err.Error(), "0001/20/02/22") {
		t.Errorf("second assegna: %v", err)
	}
	if n := len(mustRead(t, regPath(dir)).Entries()); n != 2 {
		t.Errorf("%d entries after the refused assegna", n)
	}
	// The next meeting gets the next number; a new year starts from 1.
	b := assign(t, addMeeting(t, dir, "b.yaml", src), out)
	next := time.Date(2023, 1, 5, 0, 0, 0, 0, time.UTC)
	c, err := Assign(addMeeting(t, dir, "c.yaml", src), Options{Env: testEnv(), OutDir: out, Date: next})
	if err != nil {
		t.Fatal(err)
	}
	if b.Number != 2 || c.Number != 1 || c.Year != 2023 || c.Formatted != "0001/05/01/23" {
		t.Errorf("numbers %d, %d/%d (%s)", b.Number, c.Number, c.Year, c.Formatted)
	}
}

func TestAssignRefuses(t *testing.T) {
	bad := strings.Replace(string(meetingSrc(t)), `ora: "15:00-17:00"`, `ora: "25:00-26:00"`, 1)
	tests := []struct {
		name    string
		managed bool
		src     string
		want    string
	}{
		{"invalid meeting", true, bad, "orario"},
		{"external mode", false, string(meetingSrc(t)), "coopera protocollo registra"},
		{"number typed by hand", true, string(meetingSrc(t)) + "protocollo:\n  numero: 9\n  data: 2022-02-20\n", "il file ha già il protocollo n. 9"},
		{"flow-style file", true, `{tavolo: 3, data: 2022-03-02, ora: "15:00-17:00", modalita: videoconferenza, titolo: "Prova"}`, "graffe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := dataDir(t, tt.managed)
			file := addMeeting(t, dir, "m.yaml", []byte(tt.src))
			_, err := Assign(file, Options{Env: testEnv(), OutDir: t.TempDir(), Date: regDate})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if got, _ := os.ReadFile(file); string(got) != tt.src {
				t.Error("the meeting file changed")
			}
			// No number was consumed.
			if r := mustRead(t, regPath(dir)); len(r.Entries()) != 0 {
				t.Errorf("register has %d entries", len(r.Entries()))
			}
		})
	}
}

type crash struct{ at string }

// TestResume interrupts Assign after each step and checks that Verify says
// exactly what is pending and that Assign again completes the job with the
// same number.
func TestResume(t *testing.T) {
	tests := []struct {
		at    string
		state string // what Verify says of the file
	}{
		{"registered", "non riporta ancora il numero"},
		{"yaml", "riporta già il numero"},
		{"rendered", "riporta già il numero"},
		{"pdf", "riporta già il numero"},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			dir := dataDir(t, true)
			out := t.TempDir()
			assign(t, addMeeting(t, dir, "prima.yaml", meetingSrc(t)), out)
			file := addMeeting(t, dir, "m.yaml", meetingSrc(t))
			step = func(s string) {
				if s == tt.at {
					panic(crash{s})
				}
			}
			func() {
				defer func() {
					if r := recover(); r != (crash{tt.at}) {
						t.Fatalf("recovered %v", r)
					}
				}()
				Assign(file, Options{Env: testEnv(), OutDir: out, Date: regDate})
			}()
			step = func(string) {}
			rep := verify(t, dir)
			assertFindings(t, rep, CodePending)
			f := rep.Findings[0]
			if f.Line != headerLines(t, dir)+3 || !strings.Contains(f.Message, "0002/20/02/22") || !strings.Contains(f.Message, tt.state) ||
				!strings.Contains(f.Message, "coopera protocollo assegna") {
				t.Errorf("finding %s", f)
			}
			// The register is still usable for other meetings meanwhile.
			other := assign(t, addMeeting(t, dir, "altra.yaml", meetingSrc(t)), out)
			res, err := Assign(file, Options{Env: testEnv(), OutDir: out, Date: regDate.AddDate(0, 0, 3)})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Resumed || res.Number != 2 || other.Number != 3 || !res.Date.Equal(regDate) {
				t.Errorf("resumed %+v, other %d", res, other.Number)
			}
			assertFindings(t, verify(t, dir))
		})
	}
}

func TestAnnul(t *testing.T) {
	dir := dataDir(t, true)
	out := t.TempDir()
	a := addMeeting(t, dir, "a.yaml", meetingSrc(t))
	assign(t, a, out)
	assign(t, addMeeting(t, dir, "b.yaml", meetingSrc(t)), out)
	e, err := register.Annul(regPath(dir), 2022, 1, "lettera inviata per errore", regDate)
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != register.Annulled || e.Source != "tavoli/a.yaml" {
		t.Errorf("annulment %+v", e)
	}
	// The file still carries the annulled number: Verify says so.
	rep := verify(t, dir)
	assertFindings(t, rep, CodeFile)
	if !strings.Contains(rep.Findings[0].Message, "annullato") || rep.Findings[0].File != relName(a) {
		t.Errorf("finding %s", rep.Findings[0])
	}
	// Assigning again while the annulled number is in the file is refused.
	if _, err := Assign(a, Options{Env: testEnv(), OutDir: out, Date: regDate}); err == nil {
		t.Error("assegna over an annulled number in the file succeeded")
	}
	// Without it the meeting gets a new number; 1 is never reused, and an
	// annulled number is no gap.
	if err := os.WriteFile(a, meetingSrc(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := assign(t, a, out); res.Number != 3 {
		t.Errorf("new number %d, want 3", res.Number)
	}
	assertFindings(t, verify(t, dir))
	if _, err := register.Annul(regPath(dir), 2022, 1, "di nuovo", regDate); err == nil {
		t.Error("annulled twice")
	}
}

// TestVerifyTampered damages the register in the ways people and crashes
// do and checks that each is reported at its line and blocks assegna.
func TestVerifyTampered(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(lines []string, h int) []string // h: index of the first entry
		codes  []string
		line   int  // 1-based, counted from the first entry
		repair bool // --ripara fixes it
	}{
		{"edited number", func(l []string, h int) []string {
			l[h+2] = strings.Replace(l[h+2], "2022\t2\t", "2022\t7\t", 1)
			return l
		}, []string{CodeDamage}, 3, false},
		{"truncated last line", func(l []string, h int) []string {
			l[len(l)-1] = l[len(l)-1][:40]
			return l
		}, []string{CodePending, CodeTorn}, 6, true},
		{"duplicate line", func(l []string, h int) []string {
			return append(l[:h+5], append([]string{l[h+2]}, l[h+5:]...)...)
		}, []string{CodePending, CodeDamage, CodeDamage}, 6, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := dataDir(t, true)
			out := t.TempDir()
			for _, n := range []string{"a", "b", "c"} {
				assign(t, addMeeting(t, dir, n+".yaml", meetingSrc(t)), out)
			}
			raw, _ := os.ReadFile(regPath(dir))
			lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
			h := 0
			for strings.HasPrefix(lines[h], "#") {
				h++
			}
			if len(lines) != h+6 {
				t.Fatalf("%d lines, %d of header", len(lines), h)
			}
			lines = tt.tamper(lines, h)
			body := strings.Join(lines, "\n")
			if !tt.repair {
				body += "\n"
			}
			os.WriteFile(regPath(dir), []byte(body), 0o644)
			rep := verify(t, dir)
			var got []string
			found := false
			for _, f := range rep.Findings {
				got = append(got, f.Code)
				if (f.Code == CodeDamage || f.Code == CodeTorn) && f.Line == h+tt.line {
					found = true
				}
			}
			if !found || strings.Join(got, ",") != strings.Join(tt.codes, ",") {
				t.Fatalf("findings %v at line %d not reported: %+v", got, tt.line, rep.Findings)
			}
			_, err := Assign(addMeeting(t, dir, "d.yaml", meetingSrc(t)), Options{Env: testEnv(), OutDir: out, Date: regDate})
			if err == nil || !strings.Contains(err.Error(), "danneggiato") {
				t.Fatalf("assegna on a damaged register: %v", err)
			}
			rep, err = Verify(VerifyOptions{Env: testEnv(), Profile: profile(t, dir), Repair: true})
			if err != nil {
				t.Fatal(err)
			}
			if tt.repair {
				// Only the torn line goes; the number it was issuing is
				// pending and assegna on its file completes it.
				if rep.Repaired == "" {
					t.Fatal("nothing repaired")
				}
				assertFindings(t, rep, CodePending)
				assign(t, filepath.Join(dir, "tavoli", "c.yaml"), out)
				assertFindings(t, verify(t, dir))
			} else if rep.Repaired != "" || !rep.NeedsAttention() {
				t.Fatalf("repair touched a register it cannot fix: %+v", rep)
			}
		})
	}
}

func TestRecordExternal(t *testing.T) {
	dir := dataDir(t, false)
	out := t.TempDir()
	withNumber := func(n int, date string) []byte {
		return []byte(strings.Replace(string(meetingSrc(t)), "modalita: videoconferenza\n",
			fmt.Sprintf("modalita: videoconferenza\nprotocollo:\n  numero: %d\n  data: %s\n", n, date), 1))
	}
	a := addMeeting(t, dir, "a.yaml", withNumber(153, "2022-02-23"))
	res, err := Record(a, Options{Env: testEnv(), OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.Formatted != "0153/23/02/22" || res.Resumed || res.Issued.Kind != register.Issued || res.Issued.Date.Format("2006-01-02") != "2022-02-23" {
		t.Errorf("result %+v", res)
	}
	if got, _ := os.ReadFile(a); string(got) != string(withNumber(153, "2022-02-23")) {
		t.Error("registra changed the meeting file")
	}
	assertFindings(t, verify(t, dir))
	tests := []struct {
		name string
		src  []byte
		want string
	}{
		{"same file again", nil, "ha già il protocollo n. 0153/23/02/22"},
		{"same number, other file", withNumber(153, "2022-02-23"), "è anche in " + a + ":11:11"}, // the folder check (issue 11) comes first
		{"no number", meetingSrc(t), "non ha la chiave protocollo"},
		{"earlier date than a lower number", withNumber(200, "2022-02-01"), "precede"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := a
			if tt.src != nil {
				file = addMeeting(t, dir, "x.yaml", tt.src)
			}
			_, err := Record(file, Options{Env: testEnv(), OutDir: out})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			os.Remove(filepath.Join(dir, "tavoli", "x.yaml"))
		})
	}
	if _, err := Assign(a, Options{Env: testEnv(), OutDir: out, Date: regDate}); err == nil || !strings.Contains(err.Error(), "registra") {
		t.Errorf("assegna in external mode: %v", err)
	}
	// A numbered letter the journal does not hold is not issued: a problem
	// naming registra. A historical meeting's number (no letter) is a note.
	y := addMeeting(t, dir, "y.yaml", withNumber(300, "2022-03-01"))
	addMeeting(t, dir, "z.yaml", []byte("storico: true\ntavolo: 6\ndata: 2022-05-25\nprotocollo:\n  numero: 440\n"))
	rep := verify(t, dir)
	assertFindings(t, rep, record.CodeNotIssued, CodeNote)
	if !rep.NeedsAttention() || !strings.Contains(rep.Findings[0].Message, "coopera protocollo registra") {
		t.Errorf("an unissued numbered letter: %+v", rep.Findings)
	}
	os.Remove(y)
	if rep := verify(t, dir); rep.NeedsAttention() {
		t.Errorf("notes need attention: %+v", rep.Findings)
	}
	// Interrupted registra: journalled, not issued; registra completes it.
	b := addMeeting(t, dir, "b.yaml", withNumber(160, "2022-02-25"))
	step = func(s string) {
		if s == "registered" {
			panic(crash{s})
		}
	}
	func() {
		defer func() { recover() }()
		Record(b, Options{Env: testEnv(), OutDir: out})
	}()
	step = func(string) {}
	rep = verify(t, dir)
	if !rep.NeedsAttention() || rep.Findings[0].Code != CodePending || !strings.Contains(rep.Findings[0].Message, "coopera protocollo registra") {
		t.Fatalf("findings %+v", rep.Findings)
	}
	res, err = Record(b, Options{Env: testEnv(), OutDir: out})
	if err != nil || !res.Resumed {
		t.Fatalf("resume: %+v %v", res, err)
	}
	if verify(t, dir).NeedsAttention() {
		t.Error("still needs attention after the resumed registra")
	}
}

func TestVerifyFiles(t *testing.T) {
	dir := dataDir(t, true)
	out := t.TempDir()
	a := addMeeting(t, dir, "a.yaml", meetingSrc(t))
	res := assign(t, a, out)
	issued, _ := os.ReadFile(a)
	tests := []struct {
		name   string
		change func()
		code   string
		want   string
	}{
		{"file edited after issue", func() {
			os.WriteFile(a, []byte(strings.Replace(string(issued), "modello di rete", "modello di rete nuovo", 1)), 0o644)
		}, record.CodeChanged, "dopo l'emissione sono cambiati: titolo (riga"},
		{"number changed in the file", func() {
			os.WriteFile(a, []byte(strings.Replace(string(issued), "numero: 1\n", "numero: 5\n", 1)), 0o644)
		}, CodeFile, "emessa con il n. 0001/20/02/22"},
		{"file removed", func() { os.Remove(a) }, CodeFile, "non esiste più"},
		{"typed number", func() {
			addMeeting(t, dir, "b.yaml", []byte(string(meetingSrc(t))+"protocollo:\n  numero: 1\n  data: 2022-02-20\n"))
		}, CodeUnknown, "che il registro dà a tavoli/a.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.change()
			defer func() {
				os.WriteFile(a, issued, 0o644)
				os.Remove(filepath.Join(dir, "tavoli", "b.yaml"))
			}()
			rep := verify(t, dir)
			var hit bool
			for _, f := range rep.Findings {
				hit = hit || (f.Code == tt.code && strings.Contains(f.Message, tt.want))
			}
			if !hit || !rep.NeedsAttention() {
				t.Fatalf("findings %+v, want %s %q", rep.Findings, tt.code, tt.want)
			}
		})
	}
	assertFindings(t, verify(t, dir))

	// Another version of coopera renders other bytes: the issued letter is
	// its record, so nothing is wrong...
	other := &pipeline.Env{Templates: templates.FS, Version: "altra"}
	rep, err := Verify(VerifyOptions{Env: other, Profile: profile(t, dir)})
	if err != nil {
		t.Fatal(err)
	}
	assertFindings(t, rep)
	// ...unless the record is gone: then a problem, which an archive that
	// keeps the issued PDF intact tells how to resolve.
	if err := os.Remove(res.RecordPath); err != nil {
		t.Fatal(err)
	}
	rep, err = Verify(VerifyOptions{Env: other, Profile: profile(t, dir)})
	if err != nil {
		t.Fatal(err)
	}
	assertFindings(t, rep, record.CodeMissing)
	if !strings.Contains(rep.Findings[0].Message, "byte diversi") {
		t.Errorf("finding %s", rep.Findings[0])
	}
	arch := t.TempDir()
	pdf, _ := os.ReadFile(res.PDFPath)
	os.MkdirAll(filepath.Join(arch, "2022"), 0o755)
	os.WriteFile(filepath.Join(arch, "2022", "x.pdf"), pdf, 0o644)
	manifest := fmt.Sprintf(`{"formato": 1, "documenti": [{"file": "2022/x.pdf", "origine": "tavoli/a.yaml", "origine_sha256": "", "tipo": "convocazione", "protocollo": "0001/20/02/22", "data": "2022-02-20", "oggetto": "x", "sha256": %q, "byte": %d, "pagine": 1}], "orfani": [], "esclusi": []}`, res.Issued.PDFSHA256, len(pdf))
	os.WriteFile(filepath.Join(arch, "manifest.json"), []byte(manifest), 0o644)
	rep, err = Verify(VerifyOptions{Env: other, Profile: profile(t, dir), Archive: arch})
	if err != nil {
		t.Fatal(err)
	}
	assertFindings(t, rep, record.CodeMissing)
	if !strings.Contains(rep.Findings[0].Message, "conservata intatta in") {
		t.Errorf("finding %s", rep.Findings[0])
	}
	// A tampered archived copy is a problem.
	os.WriteFile(filepath.Join(arch, "2022", "x.pdf"), append(pdf, '\n'), 0o644)
	rep, _ = Verify(VerifyOptions{Env: testEnv(), Profile: profile(t, dir), Archive: arch})
	assertFindings(t, rep, CodeArchive)
	// The same folder without its manifest, flat: still checked by name.
	os.Remove(filepath.Join(arch, "manifest.json"))
	os.Rename(filepath.Join(arch, "2022", "x.pdf"), filepath.Join(arch, filepath.Base(res.PDFPath)))
	rep, _ = Verify(VerifyOptions{Env: testEnv(), Profile: profile(t, dir), Archive: arch})
	assertFindings(t, rep, CodeArchive)
}

// TestStepsAreNamed guards the crash tests: a renamed step would make them
// pass without crashing anything.
func TestStepsAreNamed(t *testing.T) {
	dir := dataDir(t, true)
	var seen []string
	step = func(s string) { seen = append(seen, s) }
	defer func() { step = func(string) {} }()
	assign(t, addMeeting(t, dir, "a.yaml", meetingSrc(t)), t.TempDir())
	if got := strings.Join(seen, ","); got != "validate,registered,yaml,rendered,record,pdf,issued" {
		t.Errorf("steps %s", got)
	}
}

func headerLines(t testing.TB, dir string) int {
	t.Helper()
	raw, err := os.ReadFile(regPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(l, "#") {
			break
		}
		n++
	}
	return n
}

// A write that fails mid-issue says how to finish, and the same command
// then completes the work with the same number and the same record.
func TestWriteFailureHasHint(t *testing.T) {
	dir := dataDir(t, true)
	a := addMeeting(t, dir, "a.yaml", meetingSrc(t))
	missing := filepath.Join(t.TempDir(), "non-esiste")
	_, err := Assign(a, Options{Env: testEnv(), OutDir: missing, Date: regDate})
	if err == nil || !strings.Contains(err.Error(), "\nsuggerimento: ") || !strings.Contains(err.Error(), "ripeti lo stesso comando") {
		t.Fatalf("error %v, want a write failure with its hint", err)
	}
	if err := os.Mkdir(missing, 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Assign(a, Options{Env: testEnv(), OutDir: missing, Date: regDate})
	if err != nil || !res.Resumed || res.Number != 1 {
		t.Fatalf("resume after the failure: %+v %v", res, err)
	}
	rec, _ := os.ReadFile(res.RecordPath)
	pdf, _ := os.ReadFile(res.PDFPath)
	if len(pdf) == 0 || string(rec) != string(pdf) || register.Hash(pdf) != res.Issued.PDFSHA256 {
		t.Fatal("the record, the letter and the register's impronta differ")
	}
}
