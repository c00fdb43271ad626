package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// The object model below is deliberately tiny: just what fpdf writes and what
// Fix and Check need to read and rewrite. Numbers keep their source text so a
// rewrite never changes a coordinate by re-formatting it.

type (
	name    string
	ref     struct{ num, gen int }
	number  string
	boolean bool
	null    struct{}
	// str is a string object; hex remembers the <...> form for error messages
	// only, the writer always chooses its own form.
	str struct {
		b   []byte
		hex bool
	}
	array []any
	// dict keeps insertion order so that rewriting is deterministic.
	dict struct {
		keys []name
		vals map[name]any
	}
)

func newDict() *dict { return &dict{vals: map[name]any{}} }

func (d *dict) get(k name) any {
	if d == nil {
		return nil
	}
	return d.vals[k]
}

func (d *dict) set(k name, v any) {
	if _, ok := d.vals[k]; !ok {
		d.keys = append(d.keys, k)
	}
	d.vals[k] = v
}

func (d *dict) del(k name) {
	if _, ok := d.vals[k]; !ok {
		return
	}
	delete(d.vals, k)
	for i, key := range d.keys {
		if key == k {
			d.keys = append(d.keys[:i:i], d.keys[i+1:]...)
			break
		}
	}
}

func (d *dict) name(k name) name {
	n, _ := d.get(k).(name)
	return n
}

// object is one "N G obj ... endobj" of the file.
type object struct {
	num, gen int
	offset   int // byte offset of "N G obj" in the source
	val      any
	stream   []byte // raw (still encoded) stream data; nil when not a stream
}

func (o *object) dict() *dict {
	d, _ := o.val.(*dict)
	return d
}

// file is a parsed classic (xref table) PDF.
type file struct {
	version   string // "1.4"
	binaryOK  bool   // the second line is a comment with at least 4 bytes > 127
	objects   []*object
	byNum     map[int]*object
	xref      map[int]int // object number -> offset, in-use entries only
	trailer   *dict
	startxref int
	xrefAt    int // offset where the "xref" keyword was found
	tailOK    bool
}

const maxDepth = 64 // nesting guard against hostile input

type parser struct {
	b     []byte
	pos   int
	depth int
}

var errEOF = errors.New("fine inattesa del file")

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func (p *parser) errf(format string, args ...any) error {
	return fmt.Errorf("byte %d: %s", p.pos, fmt.Sprintf(format, args...))
}

// skip moves past white space and comments.
func (p *parser) skip() {
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		if isWhite(c) {
			p.pos++
			continue
		}
		if c == '%' {
			for p.pos < len(p.b) && p.b[p.pos] != '\n' && p.b[p.pos] != '\r' {
				p.pos++
			}
			continue
		}
		return
	}
}

// keyword reads a run of regular characters (a number, a keyword or a name body).
func (p *parser) regular() []byte {
	start := p.pos
	for p.pos < len(p.b) && !isWhite(p.b[p.pos]) && !isDelim(p.b[p.pos]) {
		p.pos++
	}
	return p.b[start:p.pos]
}

func (p *parser) expectKeyword(kw string) error {
	p.skip()
	if got := p.regular(); string(got) != kw {
		return p.errf("atteso %q, trovato %q", kw, clip(got))
	}
	return nil
}

func clip(b []byte) string {
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}

func isInt(b []byte) bool {
	if len(b) == 0 || len(b) > 10 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func atoi(b []byte) int {
	n, _ := strconv.Atoi(string(b))
	return n
}

// value parses one direct object; a reference "N G R" is recognised here.
func (p *parser) value() (any, error) {
	p.skip()
	if p.pos >= len(p.b) {
		return nil, errEOF
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errf("annidamento troppo profondo")
	}
	switch c := p.b[p.pos]; {
	case c == '/':
		p.pos++
		return name(unescapeName(p.regular())), nil
	case c == '(':
		return p.literal()
	case c == '<':
		if p.pos+1 < len(p.b) && p.b[p.pos+1] == '<' {
			p.pos += 2
			return p.dictBody()
		}
		return p.hexString()
	case c == '[':
		p.pos++
		arr := array{}
		for {
			p.skip()
			if p.pos >= len(p.b) {
				return nil, errEOF
			}
			if p.b[p.pos] == ']' {
				p.pos++
				return arr, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	default:
		tok := p.regular()
		if len(tok) == 0 {
			return nil, p.errf("carattere inatteso %q", c)
		}
		switch string(tok) {
		case "true":
			return boolean(true), nil
		case "false":
			return boolean(false), nil
		case "null":
			return null{}, nil
		}
		if isInt(tok) {
			// Look ahead for "G R".
			save := p.pos
			p.skip()
			gen := p.regular()
			if isInt(gen) {
				p.skip()
				if r := p.regular(); string(r) == "R" {
					return ref{atoi(tok), atoi(gen)}, nil
				}
			}
			p.pos = save
		}
		if _, err := strconv.ParseFloat(string(tok), 64); err != nil {
			return nil, p.errf("oggetto non valido %q", clip(tok))
		}
		return number(tok), nil
	}
}

func (p *parser) dictBody() (*dict, error) {
	d := newDict()
	for {
		p.skip()
		if p.pos+1 < len(p.b) && p.b[p.pos] == '>' && p.b[p.pos+1] == '>' {
			p.pos += 2
			return d, nil
		}
		k, err := p.value()
		if err != nil {
			return nil, err
		}
		kn, ok := k.(name)
		if !ok {
			return nil, p.errf("chiave di dizionario non è un nome")
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		d.set(kn, v)
	}
}

func unescapeName(b []byte) string {
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

func (p *parser) literal() (str, error) {
	p.pos++ // (
	var out []byte
	depth := 1
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		p.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return str{b: out}, nil
			}
		case '\\':
			if p.pos >= len(p.b) {
				return str{}, errEOF
			}
			e := p.b[p.pos]
			p.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if p.pos < len(p.b) && p.b[p.pos] == '\n' {
					p.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '7'; i++ {
						v = v*8 + int(p.b[p.pos]-'0')
						p.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return str{}, errEOF
}

func (p *parser) hexString() (str, error) {
	p.pos++ // <
	var digits []byte
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		p.pos++
		switch {
		case c == '>':
			// PDF/A-2 6.1.6 forbids an odd digit count, so it is an error here.
			if len(digits)%2 == 1 {
				return str{}, p.errf("stringa esadecimale con un numero dispari di cifre")
			}
			out := make([]byte, len(digits)/2)
			for i := range out {
				out[i] = unhex(digits[2*i])<<4 | unhex(digits[2*i+1])
			}
			return str{b: out, hex: true}, nil
		case isWhite(c):
		case unhex(c) != 0xff:
			digits = append(digits, c)
		default:
			return str{}, p.errf("cifra esadecimale non valida")
		}
	}
	return str{}, errEOF
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0xff
}

// parse reads a classic PDF made of a header, indirect objects, one xref
// table and one trailer: exactly what fpdf writes. It rejects anything else
// (object streams, xref streams, incremental updates) instead of guessing.
func parse(b []byte) (*file, error) {
	f := &file{byNum: map[int]*object{}, xref: map[int]int{}}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return nil, errors.New("intestazione %PDF- mancante")
	}
	eol := bytes.IndexAny(b, "\r\n")
	if eol < 0 {
		return nil, errEOF
	}
	f.version = string(b[5:eol])
	p := &parser{b: b, pos: eol}
	if p.pos < len(b) && b[p.pos] == '\r' {
		p.pos++
	}
	if p.pos < len(b) && b[p.pos] == '\n' {
		p.pos++
	}
	if p.pos < len(b) && b[p.pos] == '%' {
		high := 0
		for i := p.pos + 1; i < len(b) && b[i] != '\n' && b[i] != '\r'; i++ {
			if b[i] > 127 {
				high++
			}
		}
		f.binaryOK = high >= 4
	}
	for {
		p.skip()
		start := p.pos
		tok := p.regular()
		if string(tok) == "xref" {
			f.xrefAt = start
			break
		}
		if !isInt(tok) {
			return nil, p.errf("atteso un oggetto, trovato %q", clip(tok))
		}
		p.skip()
		gen := p.regular()
		if !isInt(gen) {
			return nil, p.errf("numero di generazione non valido")
		}
		if err := p.expectKeyword("obj"); err != nil {
			return nil, err
		}
		o := &object{num: atoi(tok), gen: atoi(gen), offset: start}
		v, err := p.value()
		if err != nil {
			return nil, fmt.Errorf("oggetto %d: %w", o.num, err)
		}
		o.val = v
		p.skip()
		save := p.pos
		if kw := p.regular(); string(kw) == "stream" {
			d, ok := v.(*dict)
			if !ok {
				return nil, p.errf("oggetto %d: stream senza dizionario", o.num)
			}
			if err := p.streamData(o, d); err != nil {
				return nil, fmt.Errorf("oggetto %d: %w", o.num, err)
			}
		} else {
			p.pos = save
		}
		if err := p.expectKeyword("endobj"); err != nil {
			return nil, fmt.Errorf("oggetto %d: %w", o.num, err)
		}
		if _, dup := f.byNum[o.num]; dup {
			return nil, fmt.Errorf("oggetto %d definito due volte", o.num)
		}
		f.objects = append(f.objects, o)
		f.byNum[o.num] = o
	}
	if err := p.xrefTable(f); err != nil {
		return nil, err
	}
	if err := p.expectKeyword("trailer"); err != nil {
		return nil, err
	}
	t, err := p.value()
	if err != nil {
		return nil, fmt.Errorf("trailer: %w", err)
	}
	if f.trailer, _ = t.(*dict); f.trailer == nil {
		return nil, errors.New("trailer non è un dizionario")
	}
	if err := p.expectKeyword("startxref"); err != nil {
		return nil, err
	}
	p.skip()
	sx := p.regular()
	if !isInt(sx) {
		return nil, p.errf("startxref non valido")
	}
	f.startxref = atoi(sx)
	for p.pos < len(b) && isWhite(b[p.pos]) { // not skip(): %%EOF is a comment
		p.pos++
	}
	rest := bytes.TrimRight(b[p.pos:], "\r\n")
	f.tailOK = string(rest) == "%%EOF"
	if !bytes.HasPrefix(b[p.pos:], []byte("%%EOF")) {
		return nil, errors.New("marcatore %%EOF mancante")
	}
	return f, nil
}

// streamData reads exactly /Length bytes after the "stream" keyword and its
// end-of-line marker, as ISO 32000-1 7.3.8 requires; searching for
// "endstream" would break on binary data that happens to contain it.
func (p *parser) streamData(o *object, d *dict) error {
	switch {
	case p.pos+1 < len(p.b) && p.b[p.pos] == '\r' && p.b[p.pos+1] == '\n':
		p.pos += 2
	case p.pos < len(p.b) && p.b[p.pos] == '\n':
		p.pos++
	default:
		return p.errf("manca il fine riga dopo stream")
	}
	ln, ok := d.get("Length").(number)
	if !ok || !isInt([]byte(ln)) {
		return p.errf("/Length mancante o indiretta")
	}
	n := atoi([]byte(ln))
	if n > len(p.b)-p.pos {
		return errEOF
	}
	o.stream = p.b[p.pos : p.pos+n]
	p.pos += n
	// An EOL is required before endstream (PDF/A-2 6.1.7.1).
	switch {
	case p.pos+1 < len(p.b) && p.b[p.pos] == '\r' && p.b[p.pos+1] == '\n':
		p.pos += 2
	case p.pos < len(p.b) && (p.b[p.pos] == '\n' || p.b[p.pos] == '\r'):
		p.pos++
	default:
		return p.errf("/Length non corrisponde ai dati dello stream")
	}
	if !bytes.HasPrefix(p.b[p.pos:], []byte("endstream")) {
		return p.errf("/Length non corrisponde ai dati dello stream")
	}
	p.pos += len("endstream")
	return nil
}

// xrefTable reads the subsections of the single cross-reference table.
func (p *parser) xrefTable(f *file) error {
	for {
		p.skip()
		save := p.pos
		first := p.regular()
		if !isInt(first) {
			p.pos = save
			return nil
		}
		p.skip()
		count := p.regular()
		if !isInt(count) {
			return p.errf("sottosezione xref non valida")
		}
		start, n := atoi(first), atoi(count)
		for i := 0; i < n; i++ {
			p.skip()
			off := p.regular()
			p.skip()
			gen := p.regular()
			p.skip()
			kind := p.regular()
			if len(off) != 10 || !isInt(off) || !isInt(gen) || (string(kind) != "n" && string(kind) != "f") {
				return p.errf("voce xref non valida")
			}
			if string(kind) == "n" {
				f.xref[start+i] = atoi(off)
			}
		}
	}
}
