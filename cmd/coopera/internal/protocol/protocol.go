// Package protocol formats protocol numbers ("Prot. n.") as the profile's
// format string says. It is shared by validation, templates and the register.
package protocol

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HouseFormat is COOPERA's own: four digits and the registration date,
// "0153/23/02/22".
const HouseFormat = "{numero:4}/{gg}/{mm}/{aa}"

// DPR445Format follows DPR 445/2000 art. 57: at least seven digits.
const DPR445Format = "{numero:7}"

// Format is a parsed format string. Placeholders: {numero} or {numero:W}
// (zero-padded to W digits, and at most W digits), {gg}, {mm}, {aa}, {aaaa}.
type Format struct {
	source string
	parts  []part
	width  int // digits of {numero:W}; 0 when unbounded
}

type part struct {
	literal string
	field   string
	width   int
}

// Parse checks a format string. The error is in Italian, for the profile's
// author.
func Parse(s string) (Format, error) {
	f := Format{source: s}
	seenNumber := false
	for len(s) > 0 {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			f.parts = append(f.parts, part{literal: s})
			break
		}
		if open > 0 {
			f.parts = append(f.parts, part{literal: s[:open]})
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			return Format{}, fmt.Errorf("graffa non chiusa in %q", f.source)
		}
		name := s[open+1 : open+end]
		s = s[open+end+1:]
		p := part{field: name}
		if rest, ok := strings.CutPrefix(name, "numero:"); ok {
			w, err := strconv.Atoi(rest)
			if err != nil || w < 1 || w > 12 {
				return Format{}, fmt.Errorf("ampiezza %q non valida in {numero:W}: serve un numero da 1 a 12", rest)
			}
			p = part{field: "numero", width: w}
			f.width = w
		}
		switch p.field {
		case "numero":
			if seenNumber {
				return Format{}, fmt.Errorf("{numero} compare più volte in %q", f.source)
			}
			seenNumber = true
		case "gg", "mm", "aa", "aaaa":
		default:
			return Format{}, fmt.Errorf("segnaposto {%s} sconosciuto: usa {numero}, {numero:4}, {gg}, {mm}, {aa} o {aaaa}", name)
		}
		f.parts = append(f.parts, p)
	}
	if !seenNumber {
		return Format{}, fmt.Errorf("il formato %q non contiene {numero}", f.source)
	}
	return f, nil
}

// MustParse is for the built-in formats.
func MustParse(s string) Format {
	f, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return f
}

// String returns the format as written.
func (f Format) String() string { return f.source }

// MaxNumber is the largest number the format can print, 0 when unbounded.
func (f Format) MaxNumber() int {
	if f.width == 0 {
		return 0
	}
	n := 1
	for range f.width {
		n *= 10
	}
	return n - 1
}

// Render writes number n registered on date d.
func (f Format) Render(n int, d time.Time) string {
	var b strings.Builder
	for _, p := range f.parts {
		switch p.field {
		case "":
			b.WriteString(p.literal)
		case "numero":
			fmt.Fprintf(&b, "%0*d", p.width, n)
		case "gg":
			fmt.Fprintf(&b, "%02d", d.Day())
		case "mm":
			fmt.Fprintf(&b, "%02d", int(d.Month()))
		case "aa":
			fmt.Fprintf(&b, "%02d", d.Year()%100)
		case "aaaa":
			fmt.Fprintf(&b, "%04d", d.Year())
		}
	}
	return b.String()
}
