package register

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is the kind of an entry, written in Italian in the file.
type Kind string

const (
	// Registered records a number without the issued PDF: a journal entry
	// of a number from the body's own system, or a reservation.
	Registered Kind = "registrato"
	// Issued records an issued letter and its PDF hash.
	Issued Kind = "emesso"
	// Annulled annuls a number, with a reason.
	Annulled Kind = "annullato"
	// Personal records a personal letter of an issued number (a mail
	// merge): the same letter for one addressee, named in Recipients,
	// with its own PDF hash. It follows the number's "emesso" line.
	Personal Kind = "personale"
)

func (k Kind) valid() bool { return k == Registered || k == Issued || k == Annulled || k == Personal }

// Entry is one line of the register.
type Entry struct {
	Year, Number int
	Date         time.Time // registration date of this line, at UTC midnight
	Kind         Kind
	Formatted    string // the number as printed, e.g. 0153/23/02/22
	Subject      string
	Recipients   string
	Source       string // slash-separated, relative to the data folder
	SourceSHA256 string
	PDFSHA256    string
	Reason       string
	Line         int // 1-based line in the file; set by Read and Assign
	chain        string
}

const (
	magic     = "# coopera: registro di protocollo, formato 1"
	numFields = 12
	dateFmt   = "2006-01-02"
)

var genesis = strings.Repeat("0", 64)

// header is written when the register is created. Italian: it is read by the
// people who keep the register.
var header = magic + `
#
# Registro di protocollo (DPR 445/2000, artt. 53 e 57), tenuto da coopera.
# Una riga per registrazione, 12 campi separati da TAB:
#   anno, numero, data (AAAA-MM-GG), tipo (registrato | emesso | personale |
#   annullato; «personale» è la lettera personale di un numero emesso),
#   numero formattato, oggetto, destinatari, file sorgente, SHA-256 del
#   sorgente, SHA-256 del PDF (impronta), motivo, catena.
# Nei testi: \\ = barra rovesciata, \t = tabulazione, \n = a capo,
# \r = ritorno carrello, \xHH = altro carattere di controllo.
# "catena" è lo SHA-256 della catena della riga precedente (64 zeri per la
# prima), di un a capo e dei campi 1-11 così come sono scritti: ogni riga
# modificata, cancellata o spostata viene rilevata.
# Non modificare questo file a mano: le righe non si cambiano né si
# cancellano; un numero sbagliato si annulla con "coopera protocollo annulla".
`

func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "\\") {
		if i := strings.IndexFunc(s, isControl); i >= 0 {
			return "", fmt.Errorf("carattere di controllo non protetto (0x%02x)", s[i])
		}
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			if isControl(rune(c)) {
				return "", fmt.Errorf("carattere di controllo non protetto (0x%02x)", c)
			}
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("barra rovesciata isolata alla fine del campo")
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'x':
			if i+2 >= len(s) {
				return "", fmt.Errorf("sequenza \\x incompleta")
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil || !isControl(rune(v)) || v == '\t' || v == '\n' || v == '\r' {
				return "", fmt.Errorf("sequenza \\x%s non valida", s[i+1:i+3])
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			return "", fmt.Errorf("sequenza \\%c sconosciuta", s[i])
		}
	}
	return b.String(), nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// body renders fields 1-11, as written and as covered by the chain.
func (e *Entry) body() string {
	return strings.Join([]string{
		strconv.Itoa(e.Year),
		strconv.Itoa(e.Number),
		e.Date.Format(dateFmt),
		string(e.Kind),
		escape(e.Formatted),
		escape(e.Subject),
		escape(e.Recipients),
		escape(e.Source),
		e.SourceSHA256,
		e.PDFSHA256,
		escape(e.Reason),
	}, "\t")
}

func chainHash(prev, body string) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write([]byte(body))
	return hex.EncodeToString(h.Sum(nil))
}

// encode returns the complete line, with its LF, chained after prev.
func (e *Entry) encode(prev string) string {
	body := e.body()
	e.chain = chainHash(prev, body)
	return body + "\t" + e.chain + "\n"
}

// decodeLine parses one entry line (without LF). It returns the stored chain
// field whenever the line has one that looks right, so that one bad field
// does not make every following line look broken too.
func decodeLine(line string) (e Entry, storedChain string, problems []string) {
	if !utf8.ValidString(line) {
		return e, "", []string{"la riga non è testo UTF-8 valido"}
	}
	fields := strings.Split(line, "\t")
	if last := fields[len(fields)-1]; isHex64(last) {
		storedChain = last
	}
	if len(fields) != numFields {
		return e, storedChain, []string{fmt.Sprintf("la riga ha %d campi invece di %d", len(fields), numFields)}
	}
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	var ok bool
	if e.Year, ok = canonicalInt(fields[0]); !ok || e.Year < 1 || e.Year > 9999 {
		bad("anno %q non valido", fields[0])
	}
	if e.Number, ok = canonicalInt(fields[1]); !ok || e.Number < 1 {
		bad("numero %q non valido", fields[1])
	}
	d, err := time.Parse(dateFmt, fields[2])
	if err != nil {
		bad("data %q non valida (serve AAAA-MM-GG)", fields[2])
	} else {
		e.Date = d
		if e.Year > 0 && d.Year() != e.Year {
			bad("la data %s non è dell'anno %d", fields[2], e.Year)
		}
	}
	e.Kind = Kind(fields[3])
	if !e.Kind.valid() {
		bad("tipo %q sconosciuto (registrato, emesso o annullato)", fields[3])
	}
	texts := []struct {
		name string
		dst  *string
		src  string
	}{
		{"numero formattato", &e.Formatted, fields[4]},
		{"oggetto", &e.Subject, fields[5]},
		{"destinatari", &e.Recipients, fields[6]},
		{"fonte", &e.Source, fields[7]},
		{"motivo", &e.Reason, fields[10]},
	}
	for _, t := range texts {
		s, err := unescape(t.src)
		if err != nil {
			bad("campo %s: %v", t.name, err)
		}
		*t.dst = s
	}
	for i, dst := range []*string{&e.SourceSHA256, &e.PDFSHA256} {
		v := fields[8+i]
		if v != "" && !isHex64(v) {
			bad("impronta SHA-256 %q non valida", v)
		}
		*dst = v
	}
	if !isHex64(fields[11]) {
		bad("campo catena %q non valido", fields[11])
	}
	e.chain = fields[11]
	return e, storedChain, problems
}

// Hash returns the lower-case hex SHA-256 of data, as the register stores
// source and PDF hashes.
func Hash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func canonicalInt(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && strconv.Itoa(n) == s
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
