package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Limits that keep a hostile or mistaken file from costing unbounded time
// or memory. A real meeting file is a few kilobytes.
const (
	MaxFileSize   = 1 << 20 // bytes of one data file
	MaxNodes      = 20000   // YAML nodes visited, aliases included
	MaxTextLength = 64 << 10
	MaxListLength = 500
)

// Pos is where a value stands in its file.
type Pos struct {
	Line, Column int
}

// Coverage says whether the shipped fonts can print a character; the
// typesetter provides it so that bad characters are reported with their key.
type Coverage interface {
	Has(r rune) bool
}

// decoder walks a yaml.Node tree by hand so that every message is Italian,
// every problem is kept (not only the first), and unknown keys get a
// suggestion.
type decoder struct {
	file     string
	probs    Problems
	visited  int
	coverage Coverage
	pos      map[string]Pos
	src      []byte   // the file, for positions inside a scalar
	holes    Problems // placeholders still to fill in, as errors for a final letter
}

func (d *decoder) errorf(n *yaml.Node, key, hint, format string, args ...any) {
	p := Problem{File: d.file, Key: key, Message: fmt.Sprintf(format, args...), Hint: hint}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	d.probs = append(d.probs, p)
}

func (d *decoder) warnf(n *yaml.Node, key, hint, format string, args ...any) {
	d.errorf(n, key, hint, format, args...)
	d.probs[len(d.probs)-1].Warning = true
}

// readFile reads a data file within MaxFileSize, checking UTF-8 and
// dropping a byte-order mark.
func readFile(path string) ([]byte, error) {
	data, err := safefile.Read(path, MaxFileSize)
	if e, ok := safefile.As(err); ok && e.Kind == safefile.TooBig {
		return nil, fmt.Errorf("%s: %s: un file di dati occupa pochi kilobyte", path, e.Reason())
	}
	return data, err
}

// parse turns file bytes into the document's root mapping, or problems.
func (d *decoder) parse(data []byte) *yaml.Node {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		d.probs = append(d.probs, Problem{File: d.file, Line: line, Column: col,
			Message: "il file non è testo UTF-8 valido",
			Hint:    "salva il file con codifica UTF-8 (in quasi tutti gli editor: Salva con nome → Codifica → UTF-8)"})
		return nil
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := lineCol(data, i)
		d.probs = append(d.probs, Problem{File: d.file, Line: line, Column: col, Message: "il file contiene un carattere nullo: non è un file di testo"})
		return nil
	}
	d.src = data
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			msg := "il file è vuoto"
			if len(bytes.TrimSpace(data)) > 0 {
				msg = "il file contiene solo commenti, nessun dato"
			}
			d.probs = append(d.probs, Problem{File: d.file, Line: 1, Column: 1, Message: msg,
				Hint: "scrivi le chiavi richieste (vedi l'esempio nel README o lo schema in schemas/)"})
			return nil
		}
		d.yamlError(data, err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.probs = append(d.probs, Problem{File: d.file, Line: extra.Line, Column: extra.Column,
			Message: "il file contiene più di un documento YAML (separatore ---)", Hint: "tieni un solo documento per file"})
		return nil
	} else if !errors.Is(err, io.EOF) {
		d.yamlError(data, err)
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			d.probs = append(d.probs, Problem{File: d.file, Line: 1, Column: 1, Message: "il file non contiene dati (solo commenti)",
				Hint: "scrivi le chiavi richieste (vedi lo schema in schemas/)"})
			return nil
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		d.probs = append(d.probs, Problem{File: d.file, Line: root.Line, Column: root.Column, Message: "il file non contiene dati"})
		return nil
	}
	if root.Kind != yaml.MappingNode {
		d.probs = append(d.probs, Problem{File: d.file, Line: root.Line, Column: root.Column,
			Message: "il file deve essere un elenco di chiavi e valori (chiave: valore), trovato " + kindName(root),
			Hint:    "ogni riga ha la forma «chiave: valore», per esempio «titolo: \"Il tema dell'incontro\"»"})
		return nil
	}
	return root
}

var yamlLine = lazyre.New(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlError translates the parser's English into Italian for the usual
// mistakes, keeping the original text for the rest.
func (d *decoder) yamlError(data []byte, err error) {
	msg := err.Error()
	line, col := 0, 0
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	hint := "controlla il rientro (solo spazi, mai tabulazioni) e che ogni «chiave:» sia seguita da uno spazio"
	switch {
	case strings.Contains(msg, "found a tab character"),
		strings.Contains(msg, "found character that cannot start any token") && hasTabAt(data, line):
		msg = "tabulazione usata per il rientro"
		hint = "YAML ammette solo spazi per il rientro: sostituisci le tabulazioni con spazi"
		line, col = tabAt(data, line)
	case strings.Contains(msg, "did not find expected key"):
		msg = "struttura non valida: manca una chiave o il rientro è sbagliato"
	case strings.Contains(msg, "mapping values are not allowed in this context"):
		msg = "due punti «:» in un punto non ammesso"
		hint = "se il valore contiene «: », racchiudilo tra virgolette doppie"
	case strings.Contains(msg, "could not find expected ':'"):
		msg = "manca il carattere «:» dopo una chiave"
	case strings.Contains(msg, "found unexpected end of stream"):
		msg = "il file finisce a metà di un valore (virgolette o parentesi non chiuse?)"
		hint = "chiudi le virgolette o le parentesi aperte"
	case strings.Contains(msg, "did not find expected node content"):
		msg = "valore mancante o non valido"
	case strings.Contains(msg, "found unknown escape character"):
		msg = "sequenza di escape sconosciuta tra virgolette doppie (\\)"
		hint = "usa le virgolette singole, oppure scrivi \\\\ per una barra rovesciata"
	case strings.Contains(msg, "already defined"):
		msg = "chiave ripetuta"
	case strings.Contains(msg, "did not find expected ',' or ']'"):
		msg = "parentesi quadra «[» aperta e mai chiusa, o virgola mancante tra gli elementi"
		hint = "chiudi la parentesi con «]», oppure racchiudi tutto il valore tra virgolette doppie"
	case strings.Contains(msg, "did not find expected ',' or '}'"):
		msg = "parentesi graffa «{» aperta e mai chiusa, o virgola mancante tra le chiavi"
		hint = "chiudi la parentesi con «}», oppure racchiudi tutto il valore tra virgolette doppie"
	case strings.Contains(msg, "block sequence entries are not allowed"), strings.Contains(msg, "did not find expected '-' indicator"):
		msg = "elemento di lista («- ») nel posto sbagliato"
		hint = "gli elementi di una lista vanno nelle righe sotto la chiave, tutti con lo stesso rientro"
	case strings.Contains(msg, "unknown anchor"):
		msg = "alias YAML («*nome») senza l'ancora («&nome») a cui rimanda"
		hint = "scrivi il valore per esteso al posto dell'alias"
	case strings.Contains(msg, "exceeded max depth"):
		msg = "il file è annidato troppo in profondità"
		hint = "un file di dati ha al massimo tre o quattro livelli di rientro"
	default:
		msg = "il file non è YAML valido (" + msg + ")"
	}
	if line == 0 {
		line = 1
	}
	if col == 0 {
		col = 1
	}
	d.probs = append(d.probs, Problem{File: d.file, Line: line, Column: col, Message: msg, Hint: hint})
}

func hasTabAt(data []byte, line int) bool {
	_, col := tabAt(data, line)
	return col > 0
}

// tabAt finds the tab in the indentation of the line the parser named or
// of the lines around it (the parser names the line where a block
// started, not always the line of the tab). It returns that line and the
// tab's column, or line and 0 when there is none.
func tabAt(data []byte, line int) (int, int) {
	lines := bytes.Split(data, []byte("\n"))
	for _, l := range []int{line, line + 1, line + 2, line - 1} {
		if l < 1 || l > len(lines) {
			continue
		}
		indent := len(lines[l-1]) - len(bytes.TrimLeft(lines[l-1], " \t"))
		if i := bytes.IndexByte(lines[l-1][:indent], '\t'); i >= 0 {
			return l, i + 1
		}
	}
	return line, 0
}

func lineCol(data []byte, off int) (int, int) {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, utf8.RuneCount(data[start:off]) + 1
}

func invalidUTF8At(data []byte) (int, int) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return lineCol(data, i)
		}
		i += size
	}
	return 1, 1
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "un elenco di chiavi"
	case yaml.SequenceNode:
		return "una lista"
	case yaml.AliasNode:
		return "un alias"
	}
	switch n.Tag {
	case "!!null":
		return "un valore vuoto"
	case "!!int":
		return "un numero intero (" + n.Value + ")"
	case "!!float":
		return "un numero (" + n.Value + ")"
	case "!!bool":
		return "un valore sì/no (" + n.Value + ")"
	case "!!timestamp":
		return "una data (" + n.Value + ")"
	}
	return fmt.Sprintf("il testo %q", truncate(n.Value, 40))
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// field is one key a mapping may hold.
type field struct {
	name     string
	required bool
	decode   func(n *yaml.Node, key string)
}

// resolve follows aliases, charging every visit against MaxNodes so that an
// alias bomb ends with a message instead of exhausting memory.
func (d *decoder) resolve(n *yaml.Node) (*yaml.Node, bool) {
	d.visited++
	if d.visited == MaxNodes+1 {
		d.errorf(n, "", "riduci il file o evita alias YAML (*nome) annidati",
			"il file è troppo complesso (più di %d valori, alias compresi)", MaxNodes)
	}
	if d.visited > MaxNodes {
		return nil, false
	}
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil, false
		}
		n = n.Alias
	}
	return n, true
}

// object decodes a mapping: every known key once, unknown keys reported
// with a suggestion, required keys checked. It returns the key nodes found.
func (d *decoder) object(n *yaml.Node, path string, fields []field) map[string]*yaml.Node {
	n, ok := d.resolve(n)
	if !ok {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "scrivi le sue chiavi rientrate sotto «"+lastKey(path)+":», una per riga",
			"atteso un elenco di chiavi, trovato %s", kindName(n))
		return nil
	}
	known := make(map[string]field, len(fields))
	names := make([]string, len(fields))
	for i, f := range fields {
		known[f.name] = f
		names[i] = f.name
	}
	seen := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "scrivi una parola seguita da «:», per esempio «titolo: …»", "una chiave deve essere una parola, trovato %s", kindName(k))
			continue
		}
		if k.Value == "<<" {
			d.errorf(k, join(path, "<<"), "scrivi le chiavi per esteso", "le chiavi di unione YAML («<<») non sono ammesse")
			continue
		}
		key := join(path, k.Value)
		if prev, dup := seen[k.Value]; dup {
			d.errorf(k, key, "tieni una sola riga con questa chiave", "chiave ripetuta (già presente alla riga %d)", prev.Line)
			continue
		}
		seen[k.Value] = k
		f, ok := known[k.Value]
		if !ok {
			msg, hint := UnknownKey(k.Value, names)
			d.errorf(k, key, hint, "%s", msg)
			continue
		}
		if d.pos != nil {
			d.pos[key] = Pos{v.Line, v.Column}
		}
		f.decode(v, key)
	}
	for _, f := range fields {
		if f.required && seen[f.name] == nil {
			d.errorf(n, join(path, f.name), "aggiungi la riga «"+f.name+": …»", "chiave obbligatoria mancante")
		}
	}
	return seen
}

func lastKey(path string) string {
	if i := strings.LastIndexAny(path, ".]"); i >= 0 && path[i] == '.' {
		return path[i+1:]
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// scalar returns n's value when n is a non-null scalar.
func (d *decoder) scalar(n *yaml.Node, key, what string) (*yaml.Node, bool) {
	n, ok := d.resolve(n)
	if !ok {
		return nil, false
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, key, "scrivi "+what+" sulla stessa riga della chiave", "atteso %s, trovato %s", what, kindName(n))
		return nil, false
	}
	if n.Tag == "!!null" {
		d.errorf(n, key, "scrivi il valore dopo «"+lastKey(key)+": » oppure togli la riga", "valore mancante: atteso %s", what)
		return nil, false
	}
	return n, true
}

// text decodes a single-line string; numbers are accepted as text since
// people write "titolo: 2022" meaning the text.
func (d *decoder) text(n *yaml.Node, key string, dst *string) {
	d.textOf(n, key, dst, false)
}

// markdown decodes a multi-line Markdown string.
func (d *decoder) markdown(n *yaml.Node, key string, dst *string) {
	d.textOf(n, key, dst, true)
}

func (d *decoder) textOf(n *yaml.Node, key string, dst *string, multiline bool) {
	v, ok := d.scalar(n, key, "un testo")
	if !ok {
		return
	}
	if v.Tag == "!!bool" {
		d.errorf(v, key, "racchiudi il testo tra virgolette doppie", "atteso un testo, trovato %s", kindName(v))
		return
	}
	s := v.Value
	if !multiline {
		s = strings.Join(strings.Fields(s), " ")
	} else {
		s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	}
	if s == "" {
		d.errorf(v, key, "scrivi il testo oppure togli la riga", "il testo è vuoto")
		return
	}
	if len(s) > MaxTextLength {
		d.errorf(v, key, "accorcia il testo", "testo troppo lungo (%d byte, al massimo %d)", len(s), MaxTextLength)
		return
	}
	if multiline {
		lead := len(v.Value) - len(strings.TrimLeftFunc(v.Value, unicode.IsSpace))
		before := len(d.probs)
		d.checkChars(v, key, lead, len(strings.TrimRightFunc(v.Value, unicode.IsSpace)), nil)
		if len(d.probs) == before {
			d.checkMarkdown(v, key, v.Value[lead:], lead)
		}
	} else {
		d.checkChars(v, key, 0, len(v.Value), unicode.IsSpace)
	}
	if IsPlaceholder(s, multiline) {
		d.placeholder(v.Line, v.Column, key, s)
	}
	*dst = s
}

func (d *decoder) integer(n *yaml.Node, key string, dst *int) bool {
	v, ok := d.scalar(n, key, "un numero intero")
	if !ok {
		return false
	}
	// A quoted value, a boolean or a date is not a number typed the way
	// ReadNumber explains; every plain int, float or string is.
	if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 || (v.Tag != "!!int" && v.Tag != "!!float" && v.Tag != "!!str") {
		hint := "scrivi solo cifre, senza virgolette, per esempio 3"
		d.errorf(v, key, hint, "atteso un numero intero, trovato %s", kindName(v))
		return false
	}
	i, nerr := ReadNumber(v.Value)
	if nerr != nil {
		d.errorf(v, key, nerr.Hint, "%s", nerr.Message)
		return false
	}
	*dst = i
	return true
}

func (d *decoder) boolean(n *yaml.Node, key string, dst *bool) {
	v, ok := d.scalar(n, key, "sì o no (true o false)")
	if !ok {
		return
	}
	if v.Tag != "!!bool" {
		d.errorf(v, key, "scrivi true oppure false", "atteso true o false, trovato %s", kindName(v))
		return
	}
	*dst = v.Value == "true" || v.Value == "True" || v.Value == "TRUE"
}

// date decodes YYYY-MM-DD with ReadDate's rules.
func (d *decoder) date(n *yaml.Node, key string, dst *time.Time) bool {
	v, ok := d.scalar(n, key, "una data AAAA-MM-GG")
	if !ok {
		return false
	}
	if v.Tag != "!!timestamp" && v.Tag != "!!str" {
		d.errorf(v, key, "scrivi la data come AAAA-MM-GG, per esempio 2022-03-02", "data non valida: %q", v.Value)
		return false
	}
	t, err := ReadDate(v.Value)
	if err != nil {
		d.errorf(v, key, err.Hint, "%s", err.Message)
		return false
	}
	*dst = t
	return true
}

// list decodes a sequence, calling item for each element.
func (d *decoder) list(n *yaml.Node, key string, item func(n *yaml.Node, key string)) {
	n, ok := d.resolve(n)
	if !ok {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, key, "scrivi ogni elemento su una riga che inizia con «- »", "attesa una lista, trovato %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		d.errorf(n, key, "togli la riga o aggiungi elementi", "la lista è vuota")
		return
	}
	if len(n.Content) > MaxListLength {
		d.errorf(n, key, "", "lista troppo lunga (%d elementi, al massimo %d)", len(n.Content), MaxListLength)
		return
	}
	for i, c := range n.Content {
		item(c, fmt.Sprintf("%s[%d]", key, i+1))
	}
}

func (d *decoder) textList(n *yaml.Node, key string, dst *[]string) {
	d.list(n, key, func(c *yaml.Node, k string) {
		var s string
		d.text(c, k, &s)
		if s != "" {
			*dst = append(*dst, s)
		}
	})
}

// oneOf decodes a string that must be one of choices.
func (d *decoder) oneOf(n *yaml.Node, key string, dst *string, choices ...string) {
	v, ok := d.scalar(n, key, "una parola tra "+strings.Join(choices, ", "))
	if !ok {
		return
	}
	for _, c := range choices {
		if v.Value == c {
			*dst = c
			return
		}
	}
	hint := "i valori ammessi sono: " + strings.Join(choices, ", ")
	if s := suggest(strings.ToLower(v.Value), choices); s != "" {
		hint = "forse intendevi «" + s + "»? I valori ammessi sono: " + strings.Join(choices, ", ")
	}
	d.errorf(v, key, hint, "valore non ammesso: %q", v.Value)
}

// link decodes an http(s) URL; a bare host like www.example.it gets https.
func (d *decoder) link(n *yaml.Node, key string, dst *string) {
	var s string
	d.text(n, key, &s)
	if s == "" || IsPlaceholder(s, false) {
		*dst = s // a placeholder is reported as such, not as a bad address
		return
	}
	if u, ok := parseURL(s); ok {
		*dst = u
		return
	}
	d.errorf(n, key, "scrivi un indirizzo web completo, per esempio https://www.anci.sicilia.it/iscrizioni", "indirizzo web non valido: %q", s)
}

// parseURL accepts http(s) URLs and bare domains; it returns the URL to
// link to.
func parseURL(s string) (string, bool) {
	if strings.ContainsAny(s, " \t\n<>\"") {
		return "", false
	}
	raw := s
	if !strings.Contains(s, "://") {
		raw = "https://" + s
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") || u.User != nil {
		return "", false
	}
	return raw, true
}

// IsURL reports whether s is a link coopera will make clickable.
func IsURL(s string) bool {
	_, ok := parseURL(s)
	return ok && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www."))
}

// suggest finds the known word closest to s (edit distance at most 2, or a
// prefix), for "forse intendevi …?".
func suggest(s string, known []string) string {
	ls := strings.ToLower(s)
	// Two edits turn any two-letter word into any other short word: short
	// keys get a suggestion only one edit away.
	limit := 2
	if utf8.RuneCountInString(ls) <= 3 {
		limit = 1
	}
	best, bestDist := "", limit+1
	for _, k := range known {
		if dist := levenshtein(ls, k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best == "" {
		for _, k := range known {
			if len(ls) >= 3 && (strings.HasPrefix(k, ls) || strings.HasPrefix(ls, k)) {
				return k
			}
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
