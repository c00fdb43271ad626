package pdf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/ancisicilia/coopera/assets"
)

// Meta is the document metadata. Fix writes it both into the Info dictionary
// and into the XMP packet so the two always agree (PDF/A-2 6.6.3).
type Meta struct {
	Title, Author, Subject, Creator, Producer, Lang string
	Keywords                                        []string
	// Created and Modified come from the data, never from the clock; their
	// location (Europe/Rome for coopera) gives the time zone written in the
	// file. A zero Modified means "same as Created".
	Created, Modified time.Time
}

// SRGBProfile returns the ICC profile to use as the PDF/A output intent: a
// 548-byte sRGB v4 display profile (assets/icc/README.md).
func SRGBProfile() []byte {
	b, err := assets.FS.ReadFile("icc/sRGB-v4.icc")
	if err != nil {
		// The file is embedded at build time: missing means a broken build.
		panic("pdf: sRGB profile missing from assets: " + err.Error())
	}
	return b
}

func (m Meta) modified() time.Time {
	if m.Modified.IsZero() {
		return m.Created
	}
	return m.Modified
}

func (m Meta) keywords() string { return strings.Join(m.Keywords, ", ") }

// pdfDate formats t as a PDF date with its own zone: D:20220223150000+01'00'.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// xmpDate formats t as an XMP (ISO 8601) date with an explicit offset.
func xmpDate(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

// textString encodes s as a PDF text string (ISO 32000-1 7.9.2.2): one
// byte a character when every character is one PDFDocEncoding shares with
// Latin-1 (ASCII and the accented letters of Italian), else UTF-16BE with a
// byte order mark, twice the size.
func textString(s string) str {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if !pdfDocLatin1(r) {
			out = append(out[:0], 0xfe, 0xff)
			for _, u := range utf16.Encode([]rune(s)) {
				out = append(out, byte(u>>8), byte(u))
			}
			return str{b: out}
		}
		out = append(out, byte(r))
	}
	return str{b: out}
}

// pdfDocLatin1 reports whether r has the same one-byte code in
// PDFDocEncoding as in Latin-1: printable ASCII and U+00A1-U+00FF but the
// soft hyphen (0xA0 is the euro sign in PDFDocEncoding, 0x80-0x9F are
// typographic marks, 0xAD undefined).
func pdfDocLatin1(r rune) bool {
	return r >= 0x20 && r < 0x7f || r >= 0xa1 && r <= 0xff && r != 0xad
}

// DecodeText is the inverse of textString, for readers of the file; PDFDocEncoding is
// approximated by Latin-1, which agrees on every character textString
// writes as one byte.
func DecodeText(b []byte) string {
	if len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	if len(b) >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		return string(b[3:])
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// infoDict builds the document information dictionary matching XMP(m).
func infoDict(m Meta) *dict {
	d := newDict()
	add := func(k name, v string) {
		if v != "" {
			d.set(k, textString(v))
		}
	}
	add("Title", m.Title)
	add("Author", m.Author)
	add("Subject", m.Subject)
	add("Keywords", m.keywords())
	add("Creator", m.Creator)
	add("Producer", m.Producer)
	if !m.Created.IsZero() {
		d.set("CreationDate", str{b: []byte(pdfDate(m.Created))})
		d.set("ModDate", str{b: []byte(pdfDate(m.modified()))})
	}
	return d
}

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // never fails on a bytes.Buffer
	return b.String()
}

// XMP returns the XMP packet declaring PDF/A-2b with the same values Fix
// writes into the Info dictionary. It uses only properties predefined by
// PDF/A, so no extension schema is needed (6.6.2.3), and RDF's short forms
// (simple properties as attributes, language alternatives with only the
// x-default item, whose language the catalog's /Lang gives): the packet is
// stored uncompressed.
func XMP(m Meta) []byte {
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n" +
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n" +
		`<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/"` +
		` xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"` + "\n" +
		` pdfaid:part="2" pdfaid:conformance="B"`)
	attr := func(name, v string) {
		if v != "" {
			fmt.Fprintf(&b, "\n %s=\"%s\"", name, esc(v))
		}
	}
	attr("pdf:Keywords", m.keywords())
	attr("pdf:Producer", m.Producer)
	attr("xmp:CreatorTool", m.Creator)
	if !m.Created.IsZero() {
		attr("xmp:CreateDate", xmpDate(m.Created))
		attr("xmp:ModifyDate", xmpDate(m.modified()))
		attr("xmp:MetadataDate", xmpDate(m.modified()))
	}
	b.WriteString(">\n<dc:format>application/pdf</dc:format>\n")
	alt := func(tag, v string) {
		if v != "" {
			fmt.Fprintf(&b, "<%s><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></%s>\n", tag, esc(v), tag)
		}
	}
	alt("dc:title", m.Title)
	if m.Author != "" {
		fmt.Fprintf(&b, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", esc(m.Author))
	}
	alt("dc:description", m.Subject)
	if len(m.Keywords) > 0 {
		b.WriteString("<dc:subject><rdf:Bag>")
		for _, k := range m.Keywords {
			fmt.Fprintf(&b, "<rdf:li>%s</rdf:li>", esc(k))
		}
		b.WriteString("</rdf:Bag></dc:subject>\n")
	}
	b.WriteString("</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>")
	return []byte(b.String())
}
