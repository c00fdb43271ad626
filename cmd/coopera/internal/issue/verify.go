package issue

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/archive"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/record"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Finding codes, stable for scripts and tests.
const (
	CodeDamage   = "danno"       // the register file is damaged at a line
	CodeTorn     = "riga-rotta"  // a torn last line, repairable
	CodeRegister = "registro"    // an entry the register's rules refuse (duplicate, order, ...)
	CodeGap      = "buco"        // a missing number where coopera assigns
	CodePending  = "in-sospeso"  // registered, never issued: an interrupted run
	CodeFile     = "file"        // the meeting file is missing or does not carry its number
	CodeRender   = "impronta"    // the letter no longer re-renders to its impronta
	CodeArchive  = "archivio"    // an archived PDF differs from the impronta
	CodeUnknown  = "sconosciuto" // a meeting file carries a number the register lacks
	CodeNote     = "nota"        // needs no action
)

type numKey struct{ year, number int }

// Finding is one thing Verify has to say.
type Finding struct {
	File    string `json:"file"`           // the register or a data file, as the messages name it
	Line    int    `json:"riga,omitempty"` // line in File, 0 when none
	Code    string `json:"codice"`
	Message string `json:"problema"`
	// Hint is the fix, where the message does not say it already.
	Hint string `json:"suggerimento,omitempty"`
	// Note marks a finding that needs no action.
	Note bool `json:"nota,omitempty"`
}

func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
	}
	b.WriteString(": ")
	if f.Note {
		b.WriteString("nota: ")
	}
	b.WriteString(f.Message)
	return b.String()
}

// Report is the outcome of Verify.
type Report struct {
	Register string    `json:"registro"`
	Entries  int       `json:"registrazioni"`
	Numbers  int       `json:"numeri"`
	Issued   int       `json:"emessi"`
	Personal int       `json:"personali"`          // personal letters of the issued numbers
	Repaired string    `json:"riparato,omitempty"` // the torn line Repair removed
	Findings []Finding `json:"problemi"`
}

// NeedsAttention reports whether a finding is more than a note.
func (r *Report) NeedsAttention() bool {
	for _, f := range r.Findings {
		if !f.Note {
			return true
		}
	}
	return false
}

// VerifyOptions say what to check.
type VerifyOptions struct {
	Env     *pipeline.Env  // renders the issued letters in memory (final, never draft)
	Profile *model.Profile // whose register and data folder
	// Archive is an archive folder made by coopera archivio whose issued
	// letters must carry their impronta; "" checks none.
	Archive string
	// Repair removes a torn last line first (register.Repair).
	Repair bool
}

// Verify checks the register against itself, the meeting files, the
// letters they render to and the archive.
func Verify(opt VerifyOptions) (*Report, error) {
	prof := opt.Profile
	regPath := prof.Protocol.Register
	regName := relName(regPath)
	rep := &Report{Register: regName}
	add := func(f Finding) { rep.Findings = append(rep.Findings, f) }
	if opt.Repair {
		removed, err := register.Repair(regPath)
		var dmg *register.DamageError
		if err != nil && !errors.As(err, &dmg) {
			return nil, err
		}
		rep.Repaired = removed
	}
	r, err := register.Read(regPath)
	if err != nil {
		var dmg *register.DamageError
		if !errors.As(err, &dmg) {
			return nil, err
		}
		for _, is := range dmg.Issues {
			if dmg.Torn && is.Line == lastIssueLine(dmg) {
				add(Finding{File: regName, Line: is.Line, Code: CodeTorn, Message: is.Message + " (coopera protocollo verifica --ripara)"})
				continue
			}
			add(Finding{File: regName, Line: is.Line, Code: CodeDamage, Message: is.Message + " (da correggere a mano: riprendi il file dalla cronologia di git)"})
		}
	}
	entries := r.Entries()
	rep.Entries = len(entries)
	for _, e := range entries {
		if e.Kind == register.Personal {
			rep.Personal++
		}
	}
	for _, is := range r.Check(false) {
		add(Finding{File: regName, Line: is.Line, Code: CodeRegister, Message: is.Message})
	}
	var nums []numKey
	seen := map[numKey]bool{}
	for _, e := range entries {
		k := numKey{e.Year, e.Number}
		if !seen[k] {
			seen[k] = true
			nums = append(nums, k)
		}
	}
	rep.Numbers = len(nums)
	if prof.Protocol.Managed {
		for _, g := range gaps(entries) {
			add(Finding{File: regName, Line: g.line, Code: CodeGap, Message: g.msg})
		}
	}
	command := "registra"
	if prof.Protocol.Managed {
		command = "assegna"
	}
	man, manErr := readArchive(opt.Archive)
	if manErr != nil {
		add(Finding{File: opt.Archive, Code: CodeArchive, Message: manErr.Error()})
	}
	_, final := envs(opt.Env)
	carried := map[string]numKey{} // source -> number the register gives it
	var jobs []renderJob
	for _, k := range nums {
		h := r.History(k.year, k.number)
		first, last := h[0], h[len(h)-1]
		var issued *register.Entry
		for i := range h {
			if h[i].Kind == register.Issued {
				issued = &h[i]
			}
		}
		source := first.Source
		if issued != nil && issued.Source != "" {
			source = issued.Source
		}
		if source == "" {
			continue
		}
		path := filepath.Join(prof.Dir, filepath.FromSlash(source))
		name := relName(path)
		src, rerr := safefile.Read(path, model.MaxFileSize)
		var fp *fileProtocol
		if rerr == nil {
			fp, rerr = readProtocol(src)
		}
		carries := fp != nil && fp.Number == k.number && fp.year() == k.year
		if last.Kind == register.Annulled {
			if carries {
				add(Finding{File: name, Line: fp.Line, Code: CodeFile, Message: fmt.Sprintf("il file riporta il numero %s, annullato (riga %d del registro: %s): togli la chiave protocollo prima di assegnargli un altro numero", first.Formatted, last.Line, last.Reason)})
			}
			continue
		}
		carried[source] = k
		switch {
		case errors.Is(rerr, fs.ErrNotExist):
			add(Finding{File: regName, Line: first.Line, Code: CodeFile, Message: fmt.Sprintf("il file %s del numero %s non esiste più (annulla il numero o rimetti il file dalla cronologia di git)", name, first.Formatted)})
			continue
		case rerr != nil:
			add(Finding{File: name, Code: CodeFile, Message: fmt.Sprintf("il file del numero %s non si legge: %v", first.Formatted, rerr)})
			continue
		}
		if issued == nil {
			state := "il file riporta già il numero"
			if fp == nil {
				state = "il file non riporta ancora il numero"
			} else if !carries {
				state = fmt.Sprintf("ma il file riporta il n. %d%s", fp.Number, dateSuffix(fp.Date))
			}
			add(Finding{File: regName, Line: first.Line, Code: CodePending, Message: fmt.Sprintf("il numero %s è registrato il %s per %s ma la lettera non risulta emessa (%s): completa con coopera protocollo %s %s, oppure annullalo",
				first.Formatted, first.Date.Format("2006-01-02"), source, state, command, name)})
			continue
		}
		rep.Issued++
		switch {
		case fp == nil:
			add(Finding{File: name, Code: CodeFile, Message: fmt.Sprintf("il file non riporta il protocollo n. %s con cui la lettera è stata emessa (riga %d del registro): rimetti protocollo numero %d, data %s", first.Formatted, issued.Line, k.number, first.Date.Format("2006-01-02"))})
			continue
		case !carries || fp.Date != first.Date.Format("2006-01-02"):
			add(Finding{File: name, Line: fp.Line, Code: CodeFile, Message: fmt.Sprintf("il file riporta il protocollo n. %d%s, ma la lettera è stata emessa con il n. %s del %s (riga %d del registro)", fp.Number, dateSuffix(fp.Date), first.Formatted, first.Date.Format("2006-01-02"), issued.Line)})
			continue
		}
		archived, archErr := checkArchive(man, source, issued)
		for _, f := range archErr {
			add(f)
		}
		jobs = append(jobs, renderJob{path: name, name: name, src: src, first: first, issued: *issued, archived: archived})
	}
	// Re-rendering is most of the cost: spread it over the cores.
	results := make([]*Finding, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = j.check(final, prof)
		}()
	}
	wg.Wait()
	for _, f := range results {
		if f != nil {
			add(*f)
		}
	}
	for _, f := range scanMeetings(prof, r, carried) {
		add(f)
	}
	for _, f := range unknownRecords(prof, r, entries) {
		add(f)
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Note != b.Note {
			return !a.Note
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return rep, nil
}

type renderJob struct {
	path, name    string
	src           []byte
	first, issued register.Entry
	archived      string // archive file holding the issued bytes, if any
}

// check asks record.Gate for an issued letter, as convoca and archivio
// would: its record must carry the impronta and its data must be those of
// the issue (or, with no record, the letter must re-render to it).
func (j renderJob) check(env *pipeline.Env, prof *model.Profile) *Finding {
	_, err := env.Final(j.path)
	if err == nil {
		return nil
	}
	var ref *record.Refusal
	if errors.As(err, &ref) && ref.Code == record.CodeRegister {
		return nil // the damage is reported once, by Verify itself
	}
	if errors.As(err, &ref) {
		p := ref.Problem
		f := &Finding{File: p.File, Line: p.Line, Code: ref.Code, Message: p.Message, Hint: p.Hint}
		if ref.Code == record.CodeMissing && j.archived != "" {
			dir := relName(filepath.Join(record.Dir(prof), fmt.Sprint(j.first.Year)))
			f.Message = fmt.Sprintf("la lettera n. %s non è in %s/, ma è conservata intatta in %s", j.first.Formatted, dir, j.archived)
			f.Hint = fmt.Sprintf("rimettila: mkdir -p %s && cp %s %s/", dir, j.archived, dir)
		}
		return f
	}
	return &Finding{File: j.name, Code: CodeRender, Message: fmt.Sprintf("la lettera emessa con il n. %s non si compone più: %s", j.first.Formatted, oneLine(err))}
}

func lastIssueLine(d *register.DamageError) int { return d.Issues[len(d.Issues)-1].Line }

type gap struct {
	line int
	msg  string
}

// gaps lists the numbers missing in each year of a register coopera keeps.
func gaps(entries []register.Entry) []gap {
	byYear := map[int]map[int]int{} // year -> number -> line of its first entry
	for _, e := range entries {
		if byYear[e.Year] == nil {
			byYear[e.Year] = map[int]int{}
		}
		if _, ok := byYear[e.Year][e.Number]; !ok {
			byYear[e.Year][e.Number] = e.Line
		}
	}
	var out []gap
	for y, ns := range byYear {
		var list []int
		for n := range ns {
			list = append(list, n)
		}
		sort.Ints(list)
		want := 1
		for _, n := range list {
			switch {
			case n == want+1:
				out = append(out, gap{ns[n], fmt.Sprintf("manca il numero %d del %d: i numeri che assegna coopera non hanno buchi", want, y)})
			case n > want+1:
				out = append(out, gap{ns[n], fmt.Sprintf("mancano i numeri da %d a %d del %d: i numeri che assegna coopera non hanno buchi", want, n-1, y)})
			}
			want = n + 1
		}
	}
	return out
}

// letters is a folder of issued letters to check: an archive made by
// coopera archivio (its manifest says which file is which), or any folder
// of PDFs, flat or by year, whose names carry the protocol number.
type letters struct {
	dir   string
	man   *archive.Manifest
	files []string // without a manifest: every PDF, relative to dir
}

func readArchive(dir string) (*letters, error) {
	if dir == "" {
		return nil, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("la cartella %s non esiste: --archivio vuole la cartella delle lettere emesse (un archivio di coopera archivio o una cartella di PDF)", dir)
		}
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s non è una cartella: --archivio vuole la cartella delle lettere emesse", dir)
	}
	m, ok, err := archive.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	l := &letters{dir: dir}
	if ok {
		l.man = m
		return l, nil
	}
	// No manifest: the PDFs of the folder and of its subfolders (by year).
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && p != dir && (strings.HasPrefix(d.Name(), ".") || strings.Count(filepath.ToSlash(mustRel(dir, p)), "/") > 0) {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && strings.HasSuffix(d.Name(), ".pdf") {
			l.files = append(l.files, mustRel(dir, p))
		}
		return nil
	})
	sort.Strings(l.files)
	return l, err
}

func mustRel(dir, p string) string {
	r, err := filepath.Rel(dir, p)
	if err != nil {
		return p
	}
	return r
}

// candidates are the files of the folder that may hold an issued letter.
func (l *letters) candidates(source string, issued *register.Entry) []string {
	var out []string
	if l.man != nil {
		for _, d := range l.man.Documents {
			// The letter of this number: after an annulment, the same
			// file's letter under its old number may still be archived.
			if d.Source == source && d.Kind == "convocazione" && (d.Protocol == "" || d.Protocol == issued.Formatted) {
				out = append(out, filepath.FromSlash(d.File))
			}
		}
		return out
	}
	for _, f := range l.files {
		if record.NumberIn(filepath.Base(f), issued.Year) == issued.Number {
			out = append(out, f)
		}
	}
	return out
}

// checkArchive compares the archived copies of an issued letter with its
// impronta. It returns the archive file that holds the issued bytes, if any.
func checkArchive(l *letters, source string, issued *register.Entry) (string, []Finding) {
	if l == nil {
		return "", nil
	}
	var intact string
	var out []Finding
	for _, f := range l.candidates(source, issued) {
		path := filepath.Join(l.dir, f)
		b, err := safefile.Read(path, -1)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out = append(out, Finding{File: relName(path), Code: CodeArchive, Message: fmt.Sprintf("la lettera emessa n. %s manca dall'archivio (il manifest la elenca)", issued.Formatted)})
		case err != nil:
			out = append(out, Finding{File: relName(path), Code: CodeArchive, Message: err.Error()})
		case register.Hash(b) != issued.PDFSHA256:
			out = append(out, Finding{File: relName(path), Code: CodeArchive, Message: fmt.Sprintf("il PDF archiviato (sha256 %s) non è la lettera emessa n. %s (impronta %s, riga %d del registro): rimettilo dalla cartella %s/ o dalla cronologia di git", short(register.Hash(b)), issued.Formatted, short(issued.PDFSHA256), issued.Line, record.DirName)})
		default:
			intact = relName(path)
		}
	}
	return intact, out
}

// scanMeetings finds meeting files carrying a number the register does not
// give them. Where the body's own protocol gives the numbers, a number
// that is not in the journal is only a note: the journal lists what
// coopera issued, not every number of the body.
func scanMeetings(prof *model.Profile, r *register.Register, carried map[string]numKey) []Finding {
	var out []Finding
	holders := map[numKey][]string{}
	filepath.WalkDir(prof.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != prof.Dir && (strings.HasPrefix(name, ".") || name == "comunicati") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || name == model.ProfileName || (filepath.Ext(name) != ".yaml" && filepath.Ext(name) != ".yml") {
			return nil
		}
		src, err := safefile.Read(path, model.MaxFileSize)
		if err != nil {
			return nil
		}
		fp, err := readProtocol(src)
		if err != nil || fp == nil || fp.Number < 1 {
			return nil // not a protocolled meeting, or valida's business
		}
		source, err := Source(prof, path)
		if err != nil {
			return nil
		}
		name = relName(path)
		y := fp.year()
		if y == 0 {
			msg := fmt.Sprintf("il file riporta il protocollo n. %d senza data: non può stare nel registro, che tiene ogni numero con la sua data", fp.Number)
			f := Finding{File: name, Line: fp.Line, Code: CodeUnknown, Message: msg + " (aggiungi protocollo.data, la data del protocollo)"}
			if fp.Historic {
				f.Code, f.Note = CodeNote, true
			}
			out = append(out, f)
			return nil
		}
		holders[numKey{y, fp.Number}] = append(holders[numKey{y, fp.Number}], name)
		if k, ok := carried[source]; ok && k.year == y && k.number == fp.Number {
			return nil
		}
		if h := r.History(y, fp.Number); len(h) > 0 {
			if h[len(h)-1].Kind == register.Annulled && h[0].Source == source {
				return nil // reported with the number
			}
			if h[0].Source != source {
				out = append(out, Finding{File: name, Line: fp.Line, Code: CodeUnknown, Message: fmt.Sprintf("il file riporta il protocollo n. %s, che il registro dà a %s (riga %d)", h[0].Formatted, h[0].Source, h[0].Line)})
			}
			return nil
		}
		switch {
		case fp.Historic:
			out = append(out, Finding{File: name, Line: fp.Line, Code: CodeNote, Note: true, Message: fmt.Sprintf("il protocollo n. %d del %s di un incontro storico («storico: true») non è nel registro: la sua lettera non si compone, coopera non la emette", fp.Number, fp.Date)})
		case prof.Protocol.Managed:
			out = append(out, Finding{File: name, Line: fp.Line, Code: CodeUnknown, Message: fmt.Sprintf("il file riporta il protocollo n. %d del %s, che non è nel registro: i numeri li assegna coopera (se il numero non è mai stato dato, togli la chiave protocollo e usa coopera protocollo assegna %s)", fp.Number, fp.Date, name)})
		default:
			out = append(out, Finding{File: name, Line: fp.Line, Code: record.CodeNotIssued, Message: fmt.Sprintf("la lettera con il protocollo n. %d del %s non è emessa: una lettera protocollata esiste solo emessa e annotata nel registro (emettila con coopera protocollo registra %s)", fp.Number, fp.Date, name)})
		}
		return nil
	})
	for k, files := range holders {
		if len(files) > 1 {
			sort.Strings(files)
			out = append(out, Finding{File: files[0], Code: CodeUnknown, Message: fmt.Sprintf("il protocollo n. %d del %d è riportato da più file: %s", k.number, k.year, strings.Join(files, ", "))})
		}
	}
	return out
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

// relName keeps messages short and free of the machine's folders.
func relName(p string) string { return record.RelName(p) }

// CodeLost is a record in emessi/ that no line of the register vouches
// for: the register lost lines (a truncated or older copy).
const CodeLost = "perduta"

// unknownRecords lists the letters kept in emessi/ whose impronta no line
// of the register holds. A hash chain cannot tell a register cut short of
// its last lines from a shorter one; the records beside it can.
func unknownRecords(prof *model.Profile, r *register.Register, entries []register.Entry) []Finding {
	known := map[string]bool{}
	for _, e := range entries {
		if e.PDFSHA256 != "" {
			known[e.PDFSHA256] = true
		}
	}
	var out []Finding
	root := record.Dir(prof)
	years, _ := os.ReadDir(root)
	for _, y := range years {
		if !y.IsDir() {
			continue
		}
		files, _ := os.ReadDir(filepath.Join(root, y.Name()))
		for _, f := range files {
			if !f.Type().IsRegular() || !strings.HasSuffix(f.Name(), ".pdf") {
				continue
			}
			path := filepath.Join(root, y.Name(), f.Name())
			b, err := safefile.Read(path, -1)
			if err != nil || known[register.Hash(b)] {
				continue
			}
			year, _ := strconv.Atoi(y.Name())
			last, ok := r.Lookup(year, record.NumberIn(f.Name(), year))
			switch {
			case ok && last.Kind == register.Registered:
				continue // an interrupted issue, reported as in-sospeso
			case ok && last.Kind == register.Issued && register.Hash(b) != last.PDFSHA256:
				out = append(out, Finding{File: relName(path), Code: CodeLost, Message: fmt.Sprintf(
					"lettera personale del n. %s conservata in %s/ senza la sua riga nel registro: un'emissione interrotta (ripeti coopera protocollo registra con --destinatari e lo stesso elenco) o righe perse del registro (rimettilo dalla cronologia di git)",
					last.Formatted, record.DirName)})
				continue
			}
			out = append(out, Finding{File: relName(path), Code: CodeLost, Message: fmt.Sprintf(
				"lettera emessa conservata in %s/ che nessuna riga del registro conosce: il registro ha perso delle righe (è stato accorciato o sostituito da una copia più vecchia); rimettilo dalla cronologia di git (git log -p -- %s) e ripeti la verifica",
				record.DirName, relName(prof.Protocol.Register))})
		}
	}
	return out
}
