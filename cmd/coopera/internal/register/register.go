package register

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/protocol"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Issue is a problem found in the register, at a 1-based line of the file
// (0 when it concerns no single line).
type Issue struct {
	Line    int
	Message string
}

// DamageError is returned by Read when the file itself is damaged: lines
// that do not parse or break the hash chain. Writers refuse to append to a
// damaged register.
type DamageError struct {
	Path   string
	Issues []Issue
	// Torn is set when the last line is a torn write (no final LF, or NUL
	// bytes), the one damage Repair removes.
	Torn bool
}

func (e *DamageError) Error() string {
	var b strings.Builder
	for i, is := range e.Issues {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s:%d: %s", e.Path, is.Line, is.Message)
	}
	return b.String()
}

// OnlyTorn reports whether Repair can fix the damage.
func (e *DamageError) OnlyTorn() bool { return e.Torn && len(e.Issues) == 1 }

// Register is the parsed contents of a register file.
type Register struct {
	path      string
	entries   []Entry
	idx       index
	size      int    // bytes of the file that hold complete lines
	lines     int    // complete lines in the file
	lastChain string // chain field of the last entry
}

// Read parses the register at path. A missing or empty file is an empty
// register. On damage it returns a *DamageError listing every bad line, and
// also the register made of the entries that did parse, for listing.
func Read(path string) (*Register, error) {
	unlock, err := lockFile(path, false)
	if err == nil {
		defer unlock()
	}
	// Without a lock (read-only folder) a concurrent append can at worst
	// look like a torn final line, which a second reading clears.
	return read(path)
}

func read(path string) (*Register, error) {
	data, err := readFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return parse(path, data)
}

// readFile reads the register, a regular file: a folder or a pipe in its
// place is refused at once, with what it is.
func readFile(path string) ([]byte, error) {
	data, err := safefile.Read(path, -1)
	e, ok := safefile.As(err)
	switch {
	case !ok || e.Kind == safefile.NotExist:
		return data, err
	case e.Kind == safefile.Dir:
		return nil, fmt.Errorf("registro di protocollo %s: è una cartella, non un file\nsuggerimento: il registro è un file di testo: sposta o rinomina la cartella, oppure indica il file giusto in protocollo.registro di progetto.yaml", path)
	}
	return nil, fmt.Errorf("registro di protocollo %s: %s\nsuggerimento: %s", path, e.Reason(), e.Hint())
}

func parse(path string, data []byte) (*Register, error) {
	r := &Register{path: path, lastChain: genesis, idx: newIndex()}
	if len(data) == 0 {
		return r, nil
	}
	dmg := &DamageError{Path: path}
	report := func(line int, format string, a ...any) {
		dmg.Issues = append(dmg.Issues, Issue{line, fmt.Sprintf(format, a...)})
	}
	text := string(data)
	endsNL := strings.HasSuffix(text, "\n")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	prev, prevKnown := genesis, true
	inHeader := true
	offset := 0
	for i, raw := range lines {
		n := i + 1
		last := i == len(lines)-1
		if last && (!endsNL || strings.ContainsRune(raw, 0)) {
			dmg.Torn = true
			report(n, "riga incompleta, scrittura interrotta (%d byte): la riparazione del registro la elimina", len(raw))
			break
		}
		offset += len(raw) + 1
		r.size, r.lines = offset, n
		line := strings.TrimSuffix(raw, "\r")
		if n == 1 {
			if line != magic {
				report(1, "intestazione mancante o sconosciuta: la prima riga deve essere %q", magic)
				break
			}
			continue
		}
		if inHeader && strings.HasPrefix(line, "#") {
			continue
		}
		inHeader = false
		switch {
		case line == "":
			report(n, "riga vuota in mezzo alle registrazioni")
			continue
		case strings.HasPrefix(line, "#"):
			report(n, "commento fuori dall'intestazione: le righe aggiunte a mano non sono ammesse")
			continue
		}
		e, stored, problems := decodeLine(line)
		for _, p := range problems {
			report(n, "%s", p)
		}
		chainOK := true
		if stored != "" && prevKnown {
			if chainHash(prev, line[:strings.LastIndexByte(line, '\t')]) != stored {
				chainOK = false
				report(n, "catena di integrità interrotta: questa riga è stata modificata, oppure una riga è stata cancellata, inserita o spostata subito prima")
			}
		}
		prev, prevKnown = stored, stored != ""
		if len(problems) == 0 && chainOK {
			e.Line = n
			r.entries = append(r.entries, e)
			r.idx.add(r.entries, len(r.entries)-1)
			r.lastChain = e.chain
		}
	}
	if len(dmg.Issues) > 0 {
		return r, dmg
	}
	return r, nil
}

// Path is the file the register was read from.
func (r *Register) Path() string { return r.path }

// Entries returns every entry in file order.
func (r *Register) Entries() []Entry { return append([]Entry(nil), r.entries...) }

// History returns the entries of one number that make its state
// (registered, issued, annulled), in file order; personal letters are
// apart (Personal).
func (r *Register) History(year, number int) []Entry {
	var out []Entry
	for _, i := range r.idx.byNum[numKey{year, number}] {
		if r.entries[i].Kind != Personal {
			out = append(out, r.entries[i])
		}
	}
	return out
}

// Personal returns the personal letters recorded for an issued number, in
// file order.
func (r *Register) Personal(year, number int) []Entry {
	var out []Entry
	for _, i := range r.idx.byNum[numKey{year, number}] {
		if r.entries[i].Kind == Personal {
			out = append(out, r.entries[i])
		}
	}
	return out
}

// Lookup returns the current state of a number: its latest entry but the
// personal letters, so an annulled number comes back with Kind Annulled
// and the reason.
func (r *Register) Lookup(year, number int) (Entry, bool) {
	h := r.History(year, number)
	if len(h) == 0 {
		return Entry{}, false
	}
	return h[len(h)-1], true
}

// BySource returns the entries whose source file is source, in file order.
func (r *Register) BySource(source string) []Entry {
	var out []Entry
	for _, e := range r.entries {
		if e.Source == source {
			out = append(out, e)
		}
	}
	return out
}

// Next returns the next number of year for a register coopera keeps itself:
// one more than the highest number of the year, annulled ones included.
func (r *Register) Next(year int) int {
	nums := r.idx.years[year]
	if len(nums) == 0 {
		return 1
	}
	return nums[len(nums)-1].number + 1
}

// NextFor is Next, refusing a number the format cannot print.
func (r *Register) NextFor(year int, f protocol.Format) (int, error) {
	n := r.Next(year)
	if max := f.MaxNumber(); max > 0 && n > max {
		return 0, fmt.Errorf("numeri di protocollo del %d esauriti: il formato %q arriva a %d", year, f.String(), max)
	}
	return n, nil
}

// Check reports what a consistent register must not contain: a number
// registered, issued or annulled twice, an issue or annulment of a number
// that is not there, dates going against the numbers within a year, and,
// when coopera assigns the numbers (managed), gaps and numbers reserved but
// never issued nor annulled.
func (r *Register) Check(managed bool) []Issue {
	var issues []Issue
	idx := newIndex()
	var seen []Entry
	for _, e := range r.entries {
		if msg := idx.admit(seen, e); msg != "" {
			issues = append(issues, Issue{e.Line, msg})
		}
		seen = append(seen, e)
		idx.add(seen, len(seen)-1)
	}
	if !managed {
		return issues
	}
	years := make([]int, 0, len(r.idx.years))
	for y := range r.idx.years {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		want := 1
		for _, nd := range r.idx.years[y] {
			if nd.number > want {
				first := r.entries[r.idx.byNum[numKey{y, nd.number}][0]]
				if nd.number == want+1 {
					issues = append(issues, Issue{first.Line, fmt.Sprintf("manca il numero %d del %d: i numeri assegnati da coopera non hanno buchi", want, y)})
				} else {
					issues = append(issues, Issue{first.Line, fmt.Sprintf("mancano i numeri da %d a %d del %d: i numeri assegnati da coopera non hanno buchi", want, nd.number-1, y)})
				}
			}
			want = nd.number + 1
		}
	}
	for _, e := range r.entries {
		if e.Kind != Registered {
			continue
		}
		if last, _ := r.Lookup(e.Year, e.Number); last.Kind == Registered {
			issues = append(issues, Issue{e.Line, fmt.Sprintf("il numero %s è riservato ma non è mai stato emesso né annullato", label(e.Year, e.Number))})
		}
	}
	sort.SliceStable(issues, func(i, j int) bool { return issues[i].Line < issues[j].Line })
	return issues
}

func label(year, number int) string { return fmt.Sprintf("%d/%d", number, year) }

type numKey struct{ year, number int }

type numDate struct {
	number int
	date   time.Time
	line   int
}

// index answers the questions writers and Check ask without scanning the
// whole register each time.
type index struct {
	byNum map[numKey][]int  // entry positions per number
	years map[int][]numDate // per year, sorted by number: first entry's date
}

func newIndex() index {
	return index{byNum: map[numKey][]int{}, years: map[int][]numDate{}}
}

func (x *index) add(entries []Entry, i int) {
	e := entries[i]
	k := numKey{e.Year, e.Number}
	x.byNum[k] = append(x.byNum[k], i)
	if len(x.byNum[k]) > 1 {
		return
	}
	nums := x.years[e.Year]
	at := sort.Search(len(nums), func(j int) bool { return nums[j].number >= e.Number })
	nums = append(nums, numDate{})
	copy(nums[at+1:], nums[at:])
	nums[at] = numDate{e.Number, e.Date, e.Line}
	x.years[e.Year] = nums
}

// admit says why e cannot follow entries (indexed by x), or "".
func (x *index) admit(entries []Entry, e Entry) string {
	num := label(e.Year, e.Number)
	var hist []Entry
	for _, i := range x.byNum[numKey{e.Year, e.Number}] {
		hist = append(hist, entries[i])
	}
	find := func(k Kind) (Entry, bool) {
		for _, h := range hist {
			if h.Kind == k {
				return h, true
			}
		}
		return Entry{}, false
	}
	if a, ok := find(Annulled); ok {
		if e.Kind == Annulled {
			return fmt.Sprintf("il numero %s è già annullato (riga %d)", num, a.Line)
		}
		return fmt.Sprintf("il numero %s è stato annullato (riga %d): un numero annullato non si riusa", num, a.Line)
	}
	switch e.Kind {
	case Registered:
		if len(hist) > 0 {
			return fmt.Sprintf("il numero %s è già nel registro (riga %d)", num, hist[0].Line)
		}
	case Issued:
		if i, ok := find(Issued); ok {
			return fmt.Sprintf("il numero %s è già emesso (riga %d, %s)", num, i.Line, i.Source)
		}
		if e.PDFSHA256 == "" {
			return fmt.Sprintf("il numero %s è emesso senza l'impronta SHA-256 del PDF", num)
		}
		if g, ok := find(Registered); ok {
			if g.Source != "" && e.Source != "" && g.Source != e.Source {
				return fmt.Sprintf("il numero %s è registrato per %s (riga %d), non per %s", num, g.Source, g.Line, e.Source)
			}
			if e.Date.Before(g.Date) {
				return fmt.Sprintf("l'emissione del numero %s (%s) precede la sua registrazione (riga %d, %s)", num, e.Date.Format(dateFmt), g.Line, g.Date.Format(dateFmt))
			}
		}
	case Personal:
		i, ok := find(Issued)
		if !ok {
			return fmt.Sprintf("lettera personale del numero %s, che non è emesso", num)
		}
		if e.Source != i.Source {
			return fmt.Sprintf("lettera personale del numero %s per %s, ma il numero è emesso per %s (riga %d)", num, e.Source, i.Source, i.Line)
		}
		if e.PDFSHA256 == "" || strings.TrimSpace(e.Recipients) == "" {
			return fmt.Sprintf("lettera personale del numero %s senza destinatario o senza impronta", num)
		}
		for _, h := range hist {
			if h.Kind == Personal && h.Recipients == e.Recipients {
				return fmt.Sprintf("la lettera personale del numero %s per %s è già emessa (riga %d)", num, e.Recipients, h.Line)
			}
		}
		if e.Date.Before(i.Date) {
			return fmt.Sprintf("la lettera personale del numero %s (%s) precede l'emissione (riga %d, %s)", num, e.Date.Format(dateFmt), i.Line, i.Date.Format(dateFmt))
		}
	case Annulled:
		if len(hist) == 0 {
			return fmt.Sprintf("annullamento del numero %s, che non è nel registro", num)
		}
		if strings.TrimSpace(e.Reason) == "" {
			return fmt.Sprintf("annullamento del numero %s senza motivo", num)
		}
		if e.Date.Before(hist[0].Date) {
			return fmt.Sprintf("l'annullamento del numero %s (%s) precede la sua registrazione (riga %d, %s)", num, e.Date.Format(dateFmt), hist[0].Line, hist[0].Date.Format(dateFmt))
		}
	}
	if len(hist) > 0 {
		return ""
	}
	// A new number: protocol numbers follow the order of registration, so
	// its date must sit between those of its neighbours in the year.
	nums := x.years[e.Year]
	at := sort.Search(len(nums), func(j int) bool { return nums[j].number >= e.Number })
	if at > 0 && e.Date.Before(nums[at-1].date) {
		p := nums[at-1]
		return fmt.Sprintf("la data %s del numero %s precede quella del numero %s (%s, riga %d): i numeri seguono l'ordine delle date", e.Date.Format(dateFmt), num, label(e.Year, p.number), p.date.Format(dateFmt), p.line)
	}
	if at < len(nums) && e.Date.After(nums[at].date) {
		p := nums[at]
		return fmt.Sprintf("la data %s del numero %s segue quella del numero %s (%s, riga %d): i numeri seguono l'ordine delle date", e.Date.Format(dateFmt), num, label(e.Year, p.number), p.date.Format(dateFmt), p.line)
	}
	return ""
}

// prepare normalizes a new entry and checks it can be appended.
func (r *Register) prepare(e *Entry) error {
	if e.Date.IsZero() {
		return errors.New("registrazione senza data")
	}
	e.Date = time.Date(e.Date.Year(), e.Date.Month(), e.Date.Day(), 0, 0, 0, 0, time.UTC)
	if e.Year == 0 {
		e.Year = e.Date.Year()
	}
	if e.Year != e.Date.Year() {
		return fmt.Errorf("la data %s non è dell'anno %d: la numerazione ricomincia ogni anno", e.Date.Format(dateFmt), e.Year)
	}
	if e.Year < 1 || e.Year > 9999 {
		return fmt.Errorf("anno %d non valido", e.Year)
	}
	if e.Number < 1 {
		return fmt.Errorf("numero di protocollo %d non valido: si parte da 1", e.Number)
	}
	if !e.Kind.valid() {
		return fmt.Errorf("tipo di registrazione %q sconosciuto", e.Kind)
	}
	for _, s := range []struct{ name, v string }{
		{"numero formattato", e.Formatted}, {"oggetto", e.Subject}, {"destinatari", e.Recipients},
		{"fonte", e.Source}, {"motivo", e.Reason},
	} {
		if !utf8.ValidString(s.v) {
			return fmt.Errorf("il campo %s non è testo UTF-8 valido", s.name)
		}
	}
	for _, h := range []*string{&e.SourceSHA256, &e.PDFSHA256} {
		*h = strings.ToLower(*h)
		if *h != "" && !isHex64(*h) {
			return fmt.Errorf("impronta SHA-256 %q non valida", *h)
		}
	}
	if e.Source != "" {
		if strings.Contains(e.Source, `\`) || path.IsAbs(e.Source) || path.Clean(e.Source) != e.Source ||
			e.Source == ".." || strings.HasPrefix(e.Source, "../") {
			return fmt.Errorf("file sorgente %q: serve un percorso relativo alla cartella dei dati, con /", e.Source)
		}
	}
	if msg := r.idx.admit(r.entries, *e); msg != "" {
		return errors.New(msg)
	}
	return nil
}
