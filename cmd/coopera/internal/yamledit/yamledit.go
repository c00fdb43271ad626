// Package yamledit is the protocol stage's editor of meeting files: it adds
// the assigned "protocollo:" block to a file people wrote by hand, changing
// nothing else (comments, key order, quoting, indentation, line endings and
// BOM stay as they were). It edits text, never re-serializes the YAML.
package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

const key = "protocollo"

// anchors are the keys after whose entry the block goes, in order of
// preference; without any of them it goes after the last entry.
var anchors = []string{"ora", "data"}

var bom = []byte("\xef\xbb\xbf")

// SetProtocol returns src with a top-level block
//
//	protocollo:
//	  numero: 153
//	  data: 2022-02-23
//
// inserted after the "ora" entry (or "data", or the last entry), using the
// file's indentation width and line endings. A file that already has a
// top-level protocollo key is refused: an assigned number never changes.
func SetProtocol(src []byte, number int, date time.Time) ([]byte, error) {
	if number < 1 {
		return nil, fmt.Errorf("numero di protocollo %d non valido: si parte da 1", number)
	}
	hasBOM := bytes.HasPrefix(src, bom)
	body := bytes.TrimPrefix(src, bom)
	if !utf8.Valid(body) {
		return nil, errors.New("il file non è testo UTF-8 valido")
	}
	root, err := parseRoot(body)
	if err != nil {
		return nil, err
	}
	if err := refuseExisting(root); err != nil {
		return nil, err
	}

	lines := splitLines(body)
	at := insertionLine(root, lines)
	// The block's line breaks are those of the line it follows (of the
	// first line when that one is the last and has none), CR LF or a lone
	// CR kept, anything else written as LF. The line after it cannot start
	// with an LF that a lone CR would join into a CR LF: the two would have
	// been one break.
	eol, ref := "\n", lines[0]
	if t := terminator(lines[at-1]); t != "" {
		ref = lines[at-1]
	}
	if t := terminator(ref); t == "\r\n" || t == "\r" {
		eol = t
	}
	prefix := strings.Repeat(" ", root.Content[0].Column-1)
	ind := strings.Repeat(" ", indentWidth(root, lines))
	block := []string{
		prefix + key + ":",
		prefix + ind + "numero: " + strconv.Itoa(number),
		prefix + ind + "data: " + date.Format("2006-01-02"),
	}

	var out bytes.Buffer
	if hasBOM {
		out.Write(bom)
	}
	for _, l := range lines[:at] {
		out.WriteString(l)
	}
	noFinalEOL := at == len(lines) && at > 0 && terminator(lines[at-1]) == ""
	if noFinalEOL {
		// Keep the file's missing final newline where it was: at the end.
		out.WriteString(eol)
		out.WriteString(strings.Join(block, eol))
	} else {
		out.WriteString(strings.Join(block, eol) + eol)
	}
	for _, l := range lines[at:] {
		out.WriteString(l)
	}
	result := out.Bytes()
	if err := verify(body, bytes.TrimPrefix(result, bom), number, date); err != nil {
		return nil, err
	}
	return result, nil
}

func parseRoot(body []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(body))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("il file è vuoto")
		}
		return nil, fmt.Errorf("file YAML non valido: %v", err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, errors.New("il file contiene più di un documento YAML")
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode || len(doc.Content[0].Content) == 0 {
		return nil, errors.New("il file non è un elenco di chiavi (chiave: valore)")
	}
	root := doc.Content[0]
	if root.Style&yaml.FlowStyle != 0 {
		return nil, errors.New("il file è scritto tra graffe { }: aggiungi il protocollo a mano")
	}
	return root, nil
}

func refuseExisting(root *yaml.Node) error {
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != key {
			continue
		}
		if v.Kind == yaml.MappingNode {
			var num, date string
			for j := 0; j+1 < len(v.Content); j += 2 {
				switch v.Content[j].Value {
				case "numero":
					num = v.Content[j+1].Value
				case "data":
					date = v.Content[j+1].Value
				}
			}
			if num != "" && date != "" {
				return fmt.Errorf("riga %d: il file ha già il protocollo n. %s del %s: un numero assegnato non si cambia (se è sbagliato va annullato)", k.Line, num, date)
			}
			if num != "" {
				return fmt.Errorf("riga %d: il file ha già il protocollo n. %s: un numero assegnato non si cambia (se è sbagliato va annullato)", k.Line, num)
			}
		}
		return fmt.Errorf("riga %d: il file ha già una chiave protocollo: toglila se il numero non è mai stato assegnato", k.Line)
	}
	return nil
}

// splitLines keeps each line's terminator, so joining gives the input back.
// It breaks lines where the YAML parser does (CR LF, LF, a lone CR, NEL,
// LS, PS), so that the parser's line numbers index the result.
func splitLines(b []byte) []string {
	s := string(b)
	var out []string
	start := 0
	for i := 0; i < len(s); {
		n := breakLen(s[i:])
		if n == 0 {
			i++
			continue
		}
		out = append(out, s[start:i+n])
		i += n
		start = i
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// breakLen returns the length of the line break s starts with, or 0.
func breakLen(s string) int {
	switch {
	case strings.HasPrefix(s, "\r\n"):
		return 2
	case s[0] == '\n' || s[0] == '\r':
		return 1
	case strings.HasPrefix(s, "\u0085"):
		return 2
	case strings.HasPrefix(s, "\u2028"), strings.HasPrefix(s, "\u2029"):
		return 3
	}
	return 0
}

// terminator returns the line break that ends line, or "".
func terminator(line string) string {
	for i := range len(line) {
		if n := breakLen(line[i:]); n > 0 && i+n == len(line) {
			return line[i:]
		}
	}
	return ""
}

// insertionLine returns the index in lines before which the block goes: just
// after the last line of the anchor entry's value. Where an entry ends is
// taken from the parser (the next top-level key's line), then trailing blank
// lines and top-level comments are left to the next entry they introduce.
func insertionLine(root *yaml.Node, lines []string) int {
	anchor := len(root.Content) - 2
	found := false
	for _, name := range anchors {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == name && root.Content[i].Kind == yaml.ScalarNode {
				anchor, found = i, true
				break
			}
		}
		if found {
			break
		}
	}
	start := root.Content[anchor].Line // 1-based line of the anchor key
	end := len(lines)                  // 1-based last line that may belong to it
	if anchor+2 < len(root.Content) {
		end = root.Content[anchor+2].Line - 1
		// A key's head comments and blank lines above it belong to it.
	}
	v := root.Content[anchor+1]
	keep := v.Kind == yaml.ScalarNode && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && blockHeaderKeeps(lines[v.Line-1])
	for end > start {
		l := strings.TrimSuffix(lines[end-1], terminator(lines[end-1]))
		trimmed := strings.TrimSpace(l)
		switch {
		case trimmed == "" && !keep:
		case strings.HasPrefix(l, "#"):
		case (l == "..." || l == "---") && anchor+2 >= len(root.Content):
		default:
			return end
		}
		end--
	}
	return end
}

// blockHeaderKeeps tells whether a block scalar's header ("|+", ">2+")
// keeps its trailing blank lines, which are then part of the value.
func blockHeaderKeeps(line string) bool {
	i := strings.LastIndexAny(line, "|>")
	if i < 0 {
		return false
	}
	h := line[i+1:]
	if j := strings.IndexByte(h, '#'); j >= 0 {
		h = h[:j]
	}
	return strings.Contains(h, "+")
}

// indentWidth finds how far the file indents a nested block: the most
// common step between a key and the block under it; 2 when nothing nests.
func indentWidth(root *yaml.Node, lines []string) int {
	count := map[int]int{}
	first := map[int]int{}
	order := 0
	note := func(w int) {
		if w < 1 || w > 8 {
			return
		}
		if _, ok := count[w]; !ok {
			first[w] = order
			order++
		}
		count[w]++
	}
	var walk func(m *yaml.Node)
	walk = func(m *yaml.Node) {
		if m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
			return
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			switch {
			case v.Line <= k.Line:
				// Same line: no indentation to learn, except a block
				// scalar's content on the following lines.
				if v.Kind == yaml.ScalarNode && v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
					for _, l := range lines[k.Line:] {
						if strings.TrimSpace(l) != "" {
							note(len(l) - len(strings.TrimLeft(l, " ")) - (k.Column - 1))
							break
						}
					}
				}
			case v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode:
				if v.Style&yaml.FlowStyle == 0 {
					note(v.Column - k.Column)
				}
			}
			walk(v)
			if v.Kind == yaml.SequenceNode {
				for _, item := range v.Content {
					walk(item)
				}
			}
		}
	}
	walk(root)
	best, bestN := 2, 0
	for w, n := range count {
		if n > bestN || n == bestN && first[w] < first[best] {
			best, bestN = w, n
		}
	}
	return best
}

// verify re-reads the result: every original key keeps its value and the
// new block says what was asked. It guards the text surgery above against
// any YAML corner it did not foresee.
func verify(before, after []byte, number int, date time.Time) error {
	fail := func(why string) error {
		return fmt.Errorf("impossibile inserire il protocollo senza alterare il file (%s): aggiungilo a mano", why)
	}
	var old, cur map[string]any
	if err := yaml.Unmarshal(before, &old); err != nil {
		return fmt.Errorf("file YAML non valido: %v", err)
	}
	if err := yaml.Unmarshal(after, &cur); err != nil {
		return fail(err.Error())
	}
	if _, ok := cur[key]; !ok {
		return fail("blocco non riconosciuto")
	}
	var p struct {
		P struct {
			Numero int
			Data   string
		} `yaml:"protocollo"`
	}
	if err := yaml.Unmarshal(after, &p); err != nil || p.P.Numero != number || p.P.Data != date.Format("2006-01-02") {
		return fail("il blocco non si legge come scritto")
	}
	delete(cur, key)
	a, err1 := yaml.Marshal(old)
	b, err2 := yaml.Marshal(cur)
	if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
		return fail("gli altri valori cambierebbero")
	}
	return nil
}
