package pdfa

import (
	"bytes"
	"compress/zlib"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
)

// Violation is one breach of ISO 19005-2 (PDF/A-2) level B found by Check.
type Violation struct {
	Rule    string // clause of ISO 19005-2, e.g. "6.1.3"
	Object  int    // object number, 0 for file-level problems
	Message string // English, for developers
}

func (v Violation) String() string {
	if v.Object > 0 {
		return fmt.Sprintf("%s (obj %d): %s", v.Rule, v.Object, v.Message)
	}
	return v.Rule + ": " + v.Message
}

// Check reports the PDF/A-2b violations it can detect in pdf; nil means none
// found. It reads only the classic file layout Fix writes (no object or xref
// streams, no incremental updates); anything else is reported as unreadable.
// RULES.md lists the clauses covered and those left to veraPDF.
func Check(pdf []byte) []Violation {
	f, err := parse(pdf)
	if err != nil {
		return []Violation{{Rule: "6.1", Message: "cannot parse as a classic PDF: " + err.Error()}}
	}
	c := &checker{f: f, seen: map[*dict]bool{}}
	c.structure()
	c.catalog()
	for _, o := range f.objects {
		c.obj = o.num
		if o.stream != nil {
			c.stream(o.dict())
		}
		c.walk(o.val)
	}
	c.contents()
	c.colours()
	return c.out
}

type checker struct {
	f        *file
	out      []Violation
	obj      int              // object being walked
	oiN      int              // components of the PDF/A output intent, 0 if none
	seen     map[*dict]bool   // annotation dictionaries already checked
	used     map[name]int     // device colour space -> first object using it
	cidFonts map[int]*cidFont // by descendant font object number
}

func (c *checker) add(rule string, obj int, format string, args ...any) {
	c.out = append(c.out, Violation{Rule: rule, Object: obj, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) resolve(v any) any {
	for i := 0; i < 8; i++ { // bounded: a reference chain can loop
		r, ok := v.(ref)
		if !ok {
			return v
		}
		o := c.f.byNum[r.num]
		if o == nil {
			return nil
		}
		v = o.val
	}
	return nil
}

func (c *checker) object(v any) *object {
	if r, ok := v.(ref); ok {
		return c.f.byNum[r.num]
	}
	return nil
}

func refNum(v any) int {
	if r, ok := v.(ref); ok {
		return r.num
	}
	return 0
}

// The patterns are compiled on first use: Check runs in tests and tools, and
// every run of coopera would otherwise compile them at start.
var versionRE = lazyre.New(`^1\.[0-7]$`)

// structure covers header, trailer and cross-reference table (6.1.2-6.1.4).
func (c *checker) structure() {
	f := c.f
	if !versionRE().MatchString(f.version) {
		c.add("6.1.2", 0, "header version %q is not 1.0 to 1.7", f.version)
	}
	if !f.binaryOK {
		c.add("6.1.2", 0, "header is not followed by a comment with at least 4 bytes above 127")
	}
	if id, ok := f.trailer.get("ID").(array); !ok || len(id) != 2 {
		c.add("6.1.3", 0, "trailer has no /ID array of two strings")
	} else {
		for _, e := range id {
			if _, ok := e.(str); !ok {
				c.add("6.1.3", 0, "trailer /ID entries must be strings")
			}
		}
	}
	if f.trailer.get("Encrypt") != nil {
		c.add("6.1.3", 0, "trailer has /Encrypt: encryption is forbidden")
	}
	if !f.tailOK {
		c.add("6.1.3", 0, "data after the last %%%%EOF marker")
	}
	if f.startxref != f.xrefAt {
		c.add("6.1.4", 0, "startxref %d does not point at the xref keyword (at %d)", f.startxref, f.xrefAt)
	}
	for _, o := range f.objects {
		if off, ok := f.xref[o.num]; !ok {
			c.add("6.1.4", o.num, "object missing from the xref table")
		} else if off != o.offset {
			c.add("6.1.4", o.num, "xref offset %d, object found at %d", off, o.offset)
		}
	}
	for num := range f.xref {
		if f.byNum[num] == nil {
			c.add("6.1.4", num, "xref entry points at no object")
		}
	}
}

func (c *checker) stream(d *dict) {
	for _, k := range []name{"F", "FFilter", "FDecodeParms"} {
		if d.get(k) != nil {
			c.add("6.1.7.1", c.obj, "stream dictionary has /%s (external stream data)", k)
		}
	}
	filters := []any{d.get("Filter")}
	if a, ok := d.get("Filter").(array); ok {
		filters = a
	}
	for _, fl := range filters {
		if n, _ := fl.(name); n == "LZWDecode" || n == "Crypt" {
			c.add("6.1.7.2", c.obj, "forbidden filter /%s", n)
		}
	}
}

// catalog covers metadata, output intents, forms and name trees.
func (c *checker) catalog() {
	root := c.f.trailer.get("Root")
	cat, _ := c.resolve(root).(*dict)
	catNum := refNum(root)
	if cat == nil || cat.name("Type") != "Catalog" {
		c.add("6.1.3", 0, "trailer /Root is not a document catalog")
		return
	}
	c.outputIntents(cat, catNum)
	xmp := c.metadata(cat, catNum)
	c.info(xmp)
	if nd, ok := c.resolve(cat.get("Names")).(*dict); ok {
		if nd.get("JavaScript") != nil {
			c.add("6.5.1", catNum, "name dictionary has /JavaScript")
		}
		if ef, ok := c.resolve(nd.get("EmbeddedFiles")).(*dict); ok {
			kids, _ := c.resolve(ef.get("Kids")).(array)
			list, _ := c.resolve(ef.get("Names")).(array)
			if len(kids)+len(list) > 0 {
				c.add("6.8", catNum, "embedded files present (not verifiable as PDF/A, so refused)")
			}
		}
	}
	if af, ok := c.resolve(cat.get("AcroForm")).(*dict); ok {
		if b, _ := af.get("NeedAppearances").(boolean); b {
			c.add("6.4.1", catNum, "AcroForm /NeedAppearances is true")
		}
		if af.get("XFA") != nil {
			c.add("6.4.2", catNum, "AcroForm has /XFA")
		}
	}
	if cat.get("Requirements") != nil {
		c.add("6.11", catNum, "catalog has /Requirements")
	}
	if oc, ok := c.resolve(cat.get("OCProperties")).(*dict); ok {
		if d, ok := c.resolve(oc.get("D")).(*dict); ok {
			if d.get("Name") == nil {
				c.add("6.9", catNum, "default optional content configuration has no /Name")
			}
			if d.get("AS") != nil {
				c.add("6.9", catNum, "optional content configuration has /AS")
			}
		}
	}
}

func (c *checker) outputIntents(cat *dict, catNum int) {
	ois, _ := c.resolve(cat.get("OutputIntents")).(array)
	profile := -1
	for _, e := range ois {
		oi, _ := c.resolve(e).(*dict)
		if oi.name("S") != "GTS_PDFA1" {
			continue
		}
		p := refNum(oi.get("DestOutputProfile"))
		if profile >= 0 && p != profile {
			c.add("6.2.3", catNum, "PDF/A output intents with different DestOutputProfile")
		}
		profile = p
		po := c.f.byNum[p]
		if po == nil || po.stream == nil {
			c.add("6.2.3", catNum, "PDF/A output intent has no ICC profile stream")
			continue
		}
		n, _ := strconv.Atoi(string(numberOf(po.dict().get("N"))))
		c.oiN = n
		icc := decode(po.dict(), po.stream, 128)
		if len(icc) < 20 {
			c.add("6.2.3", po.num, "ICC profile unreadable")
			continue
		}
		want := map[string]int{"GRAY": 1, "RGB ": 3, "CMYK": 4}[string(icc[16:20])]
		if want == 0 {
			c.add("6.2.3", po.num, "ICC profile colour space %q is not Gray, RGB or CMYK", icc[16:20])
		} else if want != n {
			c.add("6.2.3", po.num, "ICC profile has %d components but /N is %d", want, n)
		}
		if icc[8] > 4 {
			c.add("6.2.3", po.num, "ICC profile version %d is newer than 4", icc[8])
		}
		if class := string(icc[12:16]); class != "mntr" && class != "prtr" {
			c.add("6.2.3", po.num, "ICC profile class %q is neither monitor nor printer", class)
		}
	}
	if profile < 0 {
		c.add("6.2.3", catNum, "no /OutputIntents entry with /S /GTS_PDFA1 and an ICC profile")
	}
}

func numberOf(v any) number {
	n, _ := v.(number)
	return n
}

// decode returns up to limit decoded bytes of a stream: raw when unfiltered,
// inflated when FlateDecode, nil otherwise.
func decode(d *dict, data []byte, limit int64) []byte {
	fl := d.get("Filter")
	if a, ok := fl.(array); ok && len(a) == 1 {
		fl = a[0]
	}
	switch fl {
	case nil:
		return data
	case name("FlateDecode"):
	default:
		return nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(io.LimitReader(zr, limit))
	return out
}

// xmpProps are the XMP properties Check compares with the Info dictionary.
type xmpProps map[string]string

var xmpNS = map[string]string{
	"http://www.aiim.org/pdfa/ns/id/":  "pdfaid",
	"http://purl.org/dc/elements/1.1/": "dc",
	"http://ns.adobe.com/pdf/1.3/":     "pdf",
	"http://ns.adobe.com/xap/1.0/":     "xmp",
}

func (c *checker) metadata(cat *dict, catNum int) xmpProps {
	mo := c.object(cat.get("Metadata"))
	if mo == nil || mo.stream == nil {
		c.add("6.6.2.1", catNum, "catalog has no /Metadata XMP stream")
		return nil
	}
	d := mo.dict()
	if d.get("Filter") != nil {
		c.add("6.6.2.1", mo.num, "XMP metadata stream is filtered")
		return nil
	}
	if d.name("Type") != "Metadata" || d.name("Subtype") != "XML" {
		c.add("6.6.2.1", mo.num, "metadata stream lacks /Type /Metadata /Subtype /XML")
	}
	if i := bytes.Index(mo.stream, []byte("<?xpacket begin")); i >= 0 {
		pi := mo.stream[i:]
		if j := bytes.Index(pi, []byte("?>")); j > 0 {
			pi = pi[:j]
		}
		if bytes.Contains(pi, []byte("bytes=")) || bytes.Contains(pi, []byte("encoding=")) {
			c.add("6.6.2.1", mo.num, "xpacket header has a bytes or encoding attribute")
		}
	}
	props, err := parseXMP(mo.stream)
	if err != nil {
		c.add("6.6.2.1", mo.num, "XMP is not well-formed XML: %v", err)
		return nil
	}
	if props["pdfaid:part"] != "2" {
		c.add("6.6.4", mo.num, "pdfaid:part is %q, want 2", props["pdfaid:part"])
	}
	if props["pdfaid:conformance"] != "B" {
		c.add("6.6.4", mo.num, "pdfaid:conformance is %q, want B", props["pdfaid:conformance"])
	}
	return props
}

// parseXMP collects the values of the known simple, Seq (first item) and
// Alt (x-default) properties, written as elements or as attributes.
func parseXMP(b []byte) (xmpProps, error) {
	props := xmpProps{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var prop string // current property, "" outside
	var lang string
	depth, propDepth := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return props, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if p, ok := xmpNS[t.Name.Space]; ok && prop == "" {
				prop, propDepth = p+":"+t.Name.Local, depth
			}
			lang = ""
			for _, a := range t.Attr {
				if a.Name.Local == "lang" {
					lang = a.Value
				}
				if p, ok := xmpNS[a.Name.Space]; ok && prop == "" {
					props[p+":"+a.Name.Local] = a.Value
				}
			}
		case xml.EndElement:
			if depth == propDepth {
				prop = ""
			}
			depth--
		case xml.CharData:
			s := strings.TrimSpace(string(t))
			if prop == "" || s == "" {
				continue
			}
			if _, done := props[prop]; !done || lang == "x-default" {
				props[prop] = s
			}
		}
	}
}

var pdfDateRE = lazyre.New(`^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?$`)

// parseInfoDate reads a PDF date; ok is false when it is malformed or has
// no time zone (then it cannot be matched with the XMP date).
func parseInfoDate(s string) (time.Time, bool) {
	m := pdfDateRE().FindStringSubmatch(s)
	if m == nil || (m[7] == "" && m[8] == "") {
		return time.Time{}, false
	}
	n := func(s string, def int) int {
		if s == "" {
			return def
		}
		v, _ := strconv.Atoi(s)
		return v
	}
	off := 0
	if m[8] != "" {
		off = n(m[9], 0)*3600 + n(m[10], 0)*60
		if m[8] == "-" {
			off = -off
		}
	}
	return time.Date(n(m[1], 0), time.Month(n(m[2], 1)), n(m[3], 1), n(m[4], 0), n(m[5], 0), n(m[6], 0), 0,
		time.FixedZone("", off)), true
}

func parseXMPDate(s string) (time.Time, bool) {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// info checks the Info dictionary against the XMP packet (6.6.3): every
// entry present in Info must have an equivalent XMP property.
func (c *checker) info(xmp xmpProps) {
	v := c.f.trailer.get("Info")
	if v == nil {
		return
	}
	inf := c.object(v)
	if inf == nil || inf.stream != nil || inf.dict() == nil {
		c.add("6.6.3", refNum(v), "trailer /Info does not reference a document information dictionary")
		return
	}
	d := inf.dict()
	pairs := []struct{ info, xmp string }{
		{"Title", "dc:title"}, {"Author", "dc:creator"}, {"Subject", "dc:description"},
		{"Keywords", "pdf:Keywords"}, {"Creator", "xmp:CreatorTool"}, {"Producer", "pdf:Producer"},
	}
	for _, p := range pairs {
		s, ok := d.get(name(p.info)).(str)
		if !ok {
			continue
		}
		got := pdf.DecodeText(s.b)
		if want, ok := xmp[p.xmp]; !ok && got != "" {
			c.add("6.6.3", inf.num, "Info /%s has no XMP %s", p.info, p.xmp)
		} else if ok && want != got {
			c.add("6.6.3", inf.num, "Info /%s %q differs from XMP %s %q", p.info, got, p.xmp, want)
		}
	}
	for _, p := range []struct{ info, xmp string }{{"CreationDate", "xmp:CreateDate"}, {"ModDate", "xmp:ModifyDate"}} {
		s, ok := d.get(name(p.info)).(str)
		if !ok {
			continue
		}
		it, ok := parseInfoDate(string(s.b))
		if !ok {
			c.add("6.6.3", inf.num, "Info /%s %q is malformed or has no time zone", p.info, s.b)
			continue
		}
		xs, ok := xmp[p.xmp]
		xt, okx := parseXMPDate(xs)
		if !ok || !okx {
			c.add("6.6.3", inf.num, "Info /%s has no valid XMP %s", p.info, p.xmp)
		} else if !it.Equal(xt) {
			c.add("6.6.3", inf.num, "Info /%s %s differs from XMP %s %s", p.info, s.b, p.xmp, xs)
		}
	}
}

var (
	forbiddenActions = map[name]bool{
		"JavaScript": true, "Launch": true, "Sound": true, "Movie": true, "ResetForm": true,
		"ImportData": true, "SubmitForm": true, "Hide": true, "SetOCGState": true,
		"Rendition": true, "Trans": true, "GoTo3DView": true,
	}
	namedActions = map[name]bool{"NextPage": true, "PrevPage": true, "FirstPage": true, "LastPage": true}
	annotTypes   = map[name]bool{
		"Text": true, "Link": true, "FreeText": true, "Line": true, "Square": true, "Circle": true,
		"Polygon": true, "PolyLine": true, "Highlight": true, "Underline": true, "Squiggly": true,
		"StrikeOut": true, "Stamp": true, "Caret": true, "Ink": true, "Popup": true, "Widget": true,
		"PrinterMark": true, "TrapNet": true, "Watermark": true, "Redact": true,
	}
	blendModes = map[name]bool{
		"Normal": true, "Compatible": true, "Multiply": true, "Screen": true, "Overlay": true,
		"Darken": true, "Lighten": true, "ColorDodge": true, "ColorBurn": true, "HardLight": true,
		"SoftLight": true, "Difference": true, "Exclusion": true, "Hue": true, "Saturation": true,
		"Color": true, "Luminosity": true,
	}
	intents = map[name]bool{"RelativeColorimetric": true, "AbsoluteColorimetric": true, "Perceptual": true, "Saturation": true}
)

// walk visits every direct value of the current object; references are not
// followed, so every dictionary is seen exactly once and cycles are harmless.
func (c *checker) walk(v any) {
	switch v := v.(type) {
	case number:
		if !strings.ContainsRune(string(v), '.') {
			if n, err := strconv.ParseInt(string(v), 10, 64); err != nil || n > 2147483647 || n < -2147483648 {
				c.add("6.1.13", c.obj, "integer %s out of range", v)
			}
		}
	case name:
		if len(v) > 127 {
			c.add("6.1.13", c.obj, "name longer than 127 bytes")
		}
	case str:
		if len(v.b) > 32767 {
			c.add("6.1.13", c.obj, "string longer than 32767 bytes")
		}
	case array:
		for _, e := range v {
			c.walk(e)
		}
	case *dict:
		c.dict(v)
		for _, k := range v.keys {
			c.walk(name(k))
			c.walk(v.vals[k])
		}
	}
}

func (c *checker) dict(d *dict) {
	if s := d.name("S"); forbiddenActions[s] {
		c.add("6.5.1", c.obj, "forbidden /%s action", s)
	} else if s == "Named" && !namedActions[d.name("N")] {
		c.add("6.5.1", c.obj, "forbidden named action /%s", d.name("N"))
	}
	if d.get("AA") != nil {
		c.add("6.5.2", c.obj, "additional actions /AA")
	}
	if d.get("EF") != nil {
		c.add("6.8", c.obj, "file specification with embedded file /EF")
	}
	switch d.name("Type") {
	case "Font":
		c.font(d)
	case "Page":
		c.page(d)
	case "Annot":
		c.annot(d)
	}
	if d.name("Type") == "ExtGState" || d.get("BM") != nil {
		c.extGState(d)
	}
	switch d.name("Subtype") {
	case "Image":
		c.image(d)
	case "Form":
		if d.get("OPI") != nil || d.get("Ref") != nil || d.name("Subtype2") == "PS" {
			c.add("6.2.9", c.obj, "form XObject with /OPI, /Ref or /Subtype2 /PS")
		}
	case "PS":
		c.add("6.2.9", c.obj, "PostScript XObject")
	}
	if d.name("Type") == "Group" || d.name("S") == "Transparency" {
		c.useCS(d.get("CS"))
	}
	if cs, ok := c.resolve(d.get("ColorSpace")).(*dict); ok { // a resource dictionary's colour spaces
		for _, k := range cs.keys {
			c.useCS(cs.vals[k])
		}
	}
}

func (c *checker) page(d *dict) {
	annots, _ := c.resolve(d.get("Annots")).(array)
	for _, a := range annots {
		if ad, ok := c.resolve(a).(*dict); ok && ad.name("Type") != "Annot" {
			obj := c.obj
			if n := refNum(a); n > 0 {
				obj = n
			}
			saved := c.obj
			c.obj = obj
			c.annot(ad)
			c.obj = saved
		}
	}
}

func (c *checker) annot(d *dict) {
	if c.seen[d] {
		return
	}
	c.seen[d] = true
	st := d.name("Subtype")
	if !annotTypes[st] {
		c.add("6.3.1", c.obj, "annotation subtype /%s is not allowed", st)
	}
	f, ok := d.get("F").(number)
	flags, _ := strconv.Atoi(string(f))
	switch {
	case !ok:
		c.add("6.3.2", c.obj, "/%s annotation has no /F flags", st)
	case flags&flagPrint == 0:
		c.add("6.3.2", c.obj, "/%s annotation lacks the print flag", st)
	case flags&(flagInvisible|flagHidden|flagNoView|flagToggleNoView) != 0:
		c.add("6.3.2", c.obj, "/%s annotation is hidden, invisible or no-view", st)
	}
	if st == "Link" {
		if a, ok := c.resolve(d.get("A")).(*dict); ok {
			if s := a.name("S"); s != "URI" && s != "GoTo" {
				c.add("6.5.1", c.obj, "link action /%s is not URI or GoTo", s)
			}
		}
	}
	if st != "Link" && st != "Popup" && !zeroRect(d.get("Rect")) {
		ap, _ := c.resolve(d.get("AP")).(*dict)
		if ap == nil || ap.get("N") == nil {
			c.add("6.3.3", c.obj, "/%s annotation has no normal appearance stream", st)
		}
	}
}

func zeroRect(v any) bool {
	r, ok := v.(array)
	if !ok || len(r) != 4 {
		return false
	}
	f := func(v any) float64 { x, _ := strconv.ParseFloat(string(numberOf(v)), 64); return x }
	return f(r[0]) == f(r[2]) && f(r[1]) == f(r[3])
}

func (c *checker) font(d *dict) {
	st := d.name("Subtype")
	switch st {
	case "Type3":
		return
	case "Type0":
		if df, _ := c.resolve(d.get("DescendantFonts")).(array); len(df) != 1 {
			c.add("6.2.11.3", c.obj, "Type0 font without exactly one descendant font")
		}
		return
	case "CIDFontType2":
		if d.get("CIDToGIDMap") == nil {
			c.add("6.2.11.3.2", c.obj, "CIDFontType2 font has no /CIDToGIDMap")
		}
	}
	fd, _ := c.resolve(d.get("FontDescriptor")).(*dict)
	if fd == nil {
		c.add("6.2.11.4.1", c.obj, "font /%s has no font descriptor, so it is not embedded", d.name("BaseFont"))
		return
	}
	for _, k := range []name{"FontFile", "FontFile2", "FontFile3"} {
		if o := c.object(fd.get(k)); o != nil && o.stream != nil {
			return
		}
	}
	c.add("6.2.11.4.1", c.obj, "font /%s is not embedded", d.name("BaseFont"))
}

func (c *checker) extGState(d *dict) {
	bms := []any{d.get("BM")}
	if a, ok := d.get("BM").(array); ok {
		bms = a
	}
	for _, bm := range bms {
		if n, ok := bm.(name); ok && !blendModes[n] {
			c.add("6.2.10", c.obj, "blend mode /%s is not standard", n)
		}
	}
	if d.get("TR") != nil {
		c.add("6.2.5", c.obj, "graphics state has /TR")
	}
	if tr2 := d.get("TR2"); tr2 != nil && tr2 != name("Default") {
		c.add("6.2.5", c.obj, "graphics state has /TR2 other than /Default")
	}
	if d.get("HTP") != nil || d.get("HTO") != nil {
		c.add("6.2.5", c.obj, "graphics state has /HTP or /HTO")
	}
}

func (c *checker) image(d *dict) {
	if d.get("Alternates") != nil {
		c.add("6.2.8", c.obj, "image has /Alternates")
	}
	if d.get("OPI") != nil {
		c.add("6.2.8", c.obj, "image has /OPI")
	}
	if b, _ := d.get("Interpolate").(boolean); b {
		c.add("6.2.8", c.obj, "image has /Interpolate true")
	}
	if it, ok := d.get("Intent").(name); ok && !intents[it] {
		c.add("6.2.8", c.obj, "image rendering intent /%s is not standard", it)
	}
	if bpc, ok := d.get("BitsPerComponent").(number); ok {
		switch bpc {
		case "1", "2", "4", "8", "16":
		default:
			c.add("6.2.8", c.obj, "image /BitsPerComponent %s", bpc)
		}
	}
	c.useCS(d.get("ColorSpace"))
}

// useCS records a device colour space named by v (directly, as the base of
// an Indexed space or as the alternate of a Separation/DeviceN space).
func (c *checker) useCS(v any) {
	v = c.resolve(v)
	if a, ok := v.(array); ok && len(a) > 1 {
		switch a[0] {
		case name("Indexed"):
			v = c.resolve(a[1])
		case name("Separation"), name("DeviceN"):
			if len(a) > 2 {
				v = c.resolve(a[2])
			}
		}
	}
	n, ok := v.(name)
	if !ok || (n != "DeviceRGB" && n != "DeviceCMYK" && n != "DeviceGray") {
		return
	}
	if c.used == nil {
		c.used = map[name]int{}
	}
	if _, done := c.used[n]; !done {
		c.used[n] = c.obj
	}
}

// colours applies 6.2.4.3 to the device colour spaces found in dictionaries
// and content streams.
func (c *checker) colours() {
	for _, cs := range []name{"DeviceRGB", "DeviceCMYK", "DeviceGray"} {
		obj, ok := c.used[cs]
		if !ok {
			continue
		}
		switch {
		case c.oiN == 0:
			c.add("6.2.4.3", obj, "/%s used without a PDF/A output intent", cs)
		case cs == "DeviceRGB" && c.oiN != 3:
			c.add("6.2.4.3", obj, "/DeviceRGB used but the output intent is not RGB")
		case cs == "DeviceCMYK" && c.oiN != 4:
			c.add("6.2.4.3", obj, "/DeviceCMYK used but the output intent is not CMYK")
		}
	}
}
