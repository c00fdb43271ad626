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

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
)

// The life of one meeting's invitations: the draft, the issued letter
// (Prot. 153 of 23 February 2022), its cancellation on 25 February, and
// the letter issued again under number 160 on 26 February.
type lifecycle struct {
	draft, final, cancel, reissued []byte
}

func newLifecycle(t *testing.T) lifecycle {
	t.Helper()
	p := profile()
	meeting := func(prot *model.Protocol) *model.Meeting {
		return &model.Meeting{Path: "tavolo-3.yaml", Number: 3, Title: "Brescia", Date: day("2022-03-02"),
			Start: clock(15, 0), End: clock(17, 0), Mode: model.Video, Protocol: prot}
	}
	issued := meeting(&model.Protocol{Number: 153, Date: day("2022-02-23")})
	var l lifecycle
	var err error
	if l.draft, err = Invitation(meeting(nil), p, true); err != nil {
		t.Fatal(err)
	}
	if l.final, err = Invitation(issued, p, false); err != nil {
		t.Fatal(err)
	}
	if l.cancel, err = Cancellation(issued, p, 2022, 153, "0153/23/02/22", day("2022-02-25")); err != nil {
		t.Fatal(err)
	}
	if l.reissued, err = Invitation(meeting(&model.Protocol{Number: 160, Date: day("2022-02-26")}), p, false); err != nil {
		t.Fatal(err)
	}
	again, _ := Cancellation(issued, p, 2022, 153, "0153/23/02/22", day("2022-02-25"))
	if !bytes.Equal(again, l.cancel) {
		t.Fatal("two runs gave different cancellations")
	}
	return l
}

// TestLifecycleFields reads each stage with the test's own reader.
func TestLifecycleFields(t *testing.T) {
	l := newLifecycle(t)
	type fields struct{ method, status, summaryPrefix, sequence, stamp string }
	for _, c := range []struct {
		name string
		data []byte
		want fields
	}{
		{"draft", l.draft, fields{"PUBLISH", "TENTATIVE", "BOZZA - 3º Tavolo tecnico", "0", "19700101T000000Z"}},
		{"final", l.final, fields{"PUBLISH", "CONFIRMED", "3º Tavolo tecnico", "6600460", "20220223T000000Z"}},
		{"cancel", l.cancel, fields{"CANCEL", "CANCELLED", "ANNULLATO - 3º Tavolo tecnico", "6600461", "20220225T000000Z"}},
		{"reissued", l.reissued, fields{"PUBLISH", "CONFIRMED", "3º Tavolo tecnico", "6600481", "20220226T000000Z"}},
	} {
		cal := parseMinimal(t, c.data).child("VCALENDAR")[0]
		ev := cal.child("VEVENT")[0]
		one := func(c *component, k string) string {
			if got := c.get(k); len(got) == 1 {
				return got[0].value
			}
			return fmt.Sprintf("%d×%s", len(c.get(k)), k)
		}
		got := fields{one(cal, "METHOD"), one(ev, "STATUS"), one(ev, "SUMMARY"), one(ev, "SEQUENCE"), one(ev, "DTSTAMP")}
		if !strings.HasPrefix(got.summaryPrefix, c.want.summaryPrefix) {
			t.Errorf("%s: SUMMARY = %q, want it to start with %q", c.name, got.summaryPrefix, c.want.summaryPrefix)
		}
		got.summaryPrefix = c.want.summaryPrefix
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
		if c.name != "draft" && strings.Contains(one(ev, "SUMMARY"), "BOZZA") {
			t.Errorf("%s: SUMMARY says BOZZA", c.name)
		}
		if one(ev, "UID") != UID(&model.Meeting{Number: 3, Date: day("2022-03-02")}, profile()) {
			t.Errorf("%s: UID %s is not the meeting's", c.name, one(ev, "UID"))
		}
	}
	if d := parseMinimal(t, l.cancel).child("VCALENDAR")[0].child("VEVENT")[0].get("DESCRIPTION")[0].value; !strings.HasPrefix(d, "Invito annullato: il protocollo n. 0153/23/02/22 è stato annullato il 25/02/2022.\n") {
		t.Errorf("cancellation DESCRIPTION = %q", d)
	}
}

// TestSequenceOrder: every stage supersedes the one before, for the first
// and last numbers of a year and across years.
func TestSequenceOrder(t *testing.T) {
	if Sequence(Draft, 0, 0) != 0 || Sequence(Final, 2022, 0) != 0 {
		t.Error("an invitation without number has SEQUENCE 0")
	}
	type num struct{ y, n int }
	chain := []num{{2022, 1}, {2022, 2}, {2022, 99999}, {2023, 1}, {2099, 99999}}
	prev := 0
	for _, k := range chain {
		for _, s := range []Stage{Draft, Final, Cancelled} {
			got := Sequence(s, k.y, k.n)
			if got <= prev {
				t.Errorf("Sequence(%d, %d, %d) = %d, not above %d", s, k.y, k.n, got, prev)
			}
			prev = got
		}
	}
	if prev > 1<<31-1 {
		t.Errorf("SEQUENCE %d does not fit in 32 bits", prev)
	}
}

// pythonWithICalendar is a python3 that has the icalendar library (Debian
// python3-icalendar installs it for /usr/bin/python3).
func pythonWithICalendar(t *testing.T) string {
	t.Helper()
	var cands []string
	if p, err := exec.LookPath("python3"); err == nil {
		cands = append(cands, p)
	}
	cands = append(cands, "/usr/bin/python3")
	for _, p := range cands {
		if exec.Command(p, "-c", "import icalendar").Run() == nil {
			return p
		}
	}
	t.Skip("la libreria Python icalendar non è installata (pacchetto Debian python3-icalendar): controllo saltato")
	return ""
}

type storeEvent struct {
	UID      string `json:"uid"`
	Sequence int    `json:"sequence"`
	DTStamp  string `json:"dtstamp"`
	Status   string `json:"status"`
	Summary  string `json:"summary"`
	Start    string `json:"start"`
	Applied  bool   `json:"applied"`
}

// importPython imports the files, in order, into testdata/calendar_store.py.
func importPython(t *testing.T, py string, files ...[]byte) (applied [][]storeEvent, store map[string]storeEvent) {
	t.Helper()
	dir := t.TempDir()
	args := []string{"testdata/calendar_store.py"}
	for i, data := range files {
		f := filepath.Join(dir, fmt.Sprintf("%d.ics", i))
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("icalendar: %v\n%s", err, out)
	}
	var res struct {
		Files []struct {
			Method string       `json:"method"`
			Events []storeEvent `json:"events"`
		} `json:"files"`
		Store map[string]storeEvent `json:"store"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("icalendar output: %v\n%s", err, out)
	}
	for _, f := range res.Files {
		applied = append(applied, f.Events)
	}
	return applied, res.Store
}

// TestLifecyclePythonICalendar imports the invitations into a calendar
// store read with Python's icalendar, in the order a secretariat sends
// them and in the wrong order, and checks what the calendar ends with.
func TestLifecyclePythonICalendar(t *testing.T) {
	py := pythonWithICalendar(t)
	l := newLifecycle(t)
	only := func(t *testing.T, store map[string]storeEvent) storeEvent {
		t.Helper()
		if len(store) != 1 {
			t.Fatalf("the calendar holds %d events, want 1: %+v", len(store), store)
		}
		for _, e := range store {
			return e
		}
		panic("unreachable")
	}
	t.Run("draft then final", func(t *testing.T) {
		_, store := importPython(t, py, l.draft, l.final)
		e := only(t, store)
		if e.Status != "CONFIRMED" || strings.Contains(e.Summary, "BOZZA") || e.Sequence != 6600460 {
			t.Errorf("the calendar kept %+v, want the final invitation", e)
		}
		if e.Start != "20220302T140000Z" {
			t.Errorf("start %s, want 15:00 in Rome (14:00 UTC)", e.Start)
		}
	})
	t.Run("final then a late draft", func(t *testing.T) {
		files, store := importPython(t, py, l.final, l.draft)
		if files[1][0].Applied {
			t.Error("the draft was applied over the final")
		}
		if e := only(t, store); e.Status != "CONFIRMED" || strings.Contains(e.Summary, "BOZZA") {
			t.Errorf("the calendar kept %+v, want the final invitation", e)
		}
	})
	t.Run("draft, final, cancellation", func(t *testing.T) {
		files, store := importPython(t, py, l.draft, l.final, l.cancel)
		if !files[2][0].Applied {
			t.Error("the cancellation was ignored")
		}
		if e := only(t, store); e.Status != "CANCELLED" {
			t.Errorf("the calendar kept %+v, want it cancelled", e)
		}
	})
	t.Run("cancellation, then the final arriving late", func(t *testing.T) {
		_, store := importPython(t, py, l.final, l.cancel, l.final)
		if e := only(t, store); e.Status != "CANCELLED" {
			t.Errorf("the calendar kept %+v, want it cancelled", e)
		}
	})
	t.Run("reissued under a new number", func(t *testing.T) {
		_, store := importPython(t, py, l.draft, l.final, l.cancel, l.reissued)
		if e := only(t, store); e.Status != "CONFIRMED" || e.Sequence != 6600481 {
			t.Errorf("the calendar kept %+v, want the new letter's invitation", e)
		}
	})
}

// khal imports into a throwaway configuration and vdir in a temp folder.
type khal struct {
	t         *testing.T
	bin, conf string
	vdir, tmp string
}

func newKhal(t *testing.T) *khal {
	t.Helper()
	bin, err := exec.LookPath("khal")
	if err != nil {
		t.Skip("khal non è installato (pacchetto Debian khal): controllo con khal saltato")
	}
	dir := t.TempDir()
	k := &khal{t: t, bin: bin, conf: filepath.Join(dir, "config"), vdir: filepath.Join(dir, "cal"), tmp: dir}
	if err := os.Mkdir(k.vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`[calendars]
[[coopera]]
path = %s
type = calendar
[locale]
default_timezone = Europe/Rome
local_timezone = Europe/Rome
timeformat = %%H:%%M
dateformat = %%Y-%%m-%%d
longdateformat = %%Y-%%m-%%d
datetimeformat = %%Y-%%m-%%d %%H:%%M
longdatetimeformat = %%Y-%%m-%%d %%H:%%M
[sqlite]
path = %s
`, k.vdir, filepath.Join(dir, "khal.db"))
	if err := os.WriteFile(k.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return k
}

func (k *khal) run(args ...string) string {
	k.t.Helper()
	cmd := exec.Command(k.bin, append([]string{"-c", k.conf}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+k.tmp, "XDG_CONFIG_HOME="+k.tmp, "XDG_DATA_HOME="+k.tmp, "LC_ALL=C.UTF-8", "TZ=Europe/Rome")
	out, err := cmd.CombinedOutput()
	if err != nil {
		k.t.Fatalf("khal %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (k *khal) importICS(name string, data []byte) {
	k.t.Helper()
	f := filepath.Join(k.tmp, name+".ics")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		k.t.Fatal(err)
	}
	k.run("import", "--batch", f)
}

// list is khal's agenda for the meeting's day: one line per event.
func (k *khal) list() []string {
	k.t.Helper()
	var out []string
	for _, line := range strings.Split(k.run("list", "--format", "{cancelled}|{title}|{start}|{end}", "2022-03-02", "2022-03-03"), "\n") {
		if strings.Contains(line, "|") {
			out = append(out, line)
		}
	}
	return out
}

// stored is the one event file of the vdir, read with the test's reader.
func (k *khal) stored() *component {
	k.t.Helper()
	files, _ := filepath.Glob(filepath.Join(k.vdir, "*.ics"))
	if len(files) != 1 {
		k.t.Fatalf("the vdir holds %d events, want 1: %v", len(files), files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		k.t.Fatal(err)
	}
	data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	return parseMinimal(k.t, data).child("VCALENDAR")[0].child("VEVENT")[0]
}

// TestLifecycleKhal imports draft, final and cancellation into khal, as a
// user of a terminal calendar does, and reads back its agenda and its vdir.
func TestLifecycleKhal(t *testing.T) {
	k := newKhal(t)
	l := newLifecycle(t)
	const title = "3º Tavolo tecnico: Brescia - Progetto COOPERA"

	k.importICS("bozza", l.draft)
	if got := k.list(); len(got) != 1 || got[0] != "|BOZZA - "+title+"|2022-03-02 15:00|2022-03-02 17:00" {
		t.Errorf("after the draft, khal lists %q", got)
	}
	if s := k.stored().get("STATUS"); len(s) != 1 || s[0].value != "TENTATIVE" {
		t.Errorf("after the draft, STATUS = %v", s)
	}

	k.importICS("finale", l.final)
	if got := k.list(); len(got) != 1 || got[0] != "|"+title+"|2022-03-02 15:00|2022-03-02 17:00" {
		t.Errorf("after the final, khal lists %q, want the final invitation alone", got)
	}
	ev := k.stored()
	for prop, want := range map[string]string{"STATUS": "CONFIRMED", "SEQUENCE": "6600460", "SUMMARY": title} {
		if got := ev.get(prop); len(got) != 1 || got[0].value != want {
			t.Errorf("after the final, %s = %v, want %q", prop, got, want)
		}
	}

	k.importICS("annullamento", l.cancel)
	got := k.list()
	if len(got) != 1 || !strings.HasPrefix(got[0], "CANCELLED |ANNULLATO - "+title+"|") {
		t.Errorf("after the cancellation, khal lists %q, want the event cancelled", got)
	}
	if s := k.stored().get("STATUS"); len(s) != 1 || s[0].value != "CANCELLED" {
		t.Errorf("after the cancellation, STATUS = %v", s)
	}
}
