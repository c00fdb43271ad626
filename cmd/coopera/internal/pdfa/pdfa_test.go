package pdfa

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
)

// pdfcpuStrict validates with pdfcpu in strict mode. It is set by
// pdfcpu_test.go, which keeps the pdfcpu import (a test-only dependency) in
// one file.
var pdfcpuStrict func(t *testing.T, b []byte)

// tool runs an external checker on b, skipping when it is not installed.
func tool(t *testing.T, b []byte, bin string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(bin); err != nil {
		t.Skipf("%s not installed", bin)
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append(args, p)...).CombinedOutput()
	if err != nil {
		t.Errorf("%s %v: %v\n%s", bin, args, err, out)
	}
	return string(out)
}

func hasRule(vs []Violation, rule string) bool {
	for _, v := range vs {
		if v.Rule == rule {
			return true
		}
	}
	return false
}

var builds = []struct {
	name string
	b    build
}{
	{"bare", build{}},
	{"intent and xmp", build{intent: true, xmp: true}},
	{"links", build{links: true}},
	{"images", build{image: true, intent: true}},
	{"many pages", build{pages: 40, links: true, image: true, intent: true, xmp: true}},
}

func TestFixFpdfOutput(t *testing.T) {
	m := testMeta()
	for _, tc := range builds {
		t.Run(tc.name, func(t *testing.T) {
			raw := makePDF(t, tc.b)
			// The defects Fix exists for are really there.
			before := Check(raw)
			if !hasRule(before, "6.1.3") {
				t.Errorf("raw fpdf output has a trailer /ID? %v", before)
			}
			if !hasRule(before, "6.6.3") {
				t.Errorf("raw fpdf output: Info/XMP problem not detected: %v", before)
			}
			if tc.b.links && !hasRule(before, "6.3.2") {
				t.Errorf("raw fpdf links have /F 4? %v", before)
			}
			out, err := Fix(raw, m)
			if err != nil {
				t.Fatal(err)
			}
			if vs := Check(out); len(vs) > 0 {
				t.Fatalf("Check after Fix: %v", vs)
			}
			t.Run("pdfcpu", func(t *testing.T) {
				pdfcpuStrict(t, out)
			})
			t.Run("qpdf", func(t *testing.T) {
				if o := tool(t, out, "qpdf", "--check"); !strings.Contains(o, "No syntax or stream encoding errors") {
					t.Errorf("qpdf --check:\n%s", o)
				}
			})
			t.Run("pdfinfo", func(t *testing.T) {
				o := tool(t, out, "pdfinfo", "-isodates")
				for _, want := range []string{
					"Title:           " + m.Title,
					"Author:          ANCI Sicilia",
					"Keywords:        COOPERA, convocazione, città",
					"CreationDate:    2022-02-23T15:00:00+01",
					"ModDate:         2022-02-23T16:00:00+01",
					"PDF version:     1.7",
				} {
					if !strings.Contains(o, want) {
						t.Errorf("pdfinfo lacks %q:\n%s", want, o)
					}
				}
			})
		})
	}
}

func TestFixRawDefects(t *testing.T) {
	// fpdf without output intent: Info is right but its dates have no zone.
	vs := Check(makePDF(t, build{}))
	found := false
	for _, v := range vs {
		if v.Rule == "6.6.3" && strings.Contains(v.Message, "no time zone") {
			found = true
		}
	}
	if !found {
		t.Errorf("zone-less Info dates not reported: %v", vs)
	}
	// fpdf with output intent: trailer /Info is the ICC stream.
	vs = Check(makePDF(t, build{intent: true}))
	found = false
	for _, v := range vs {
		if v.Rule == "6.6.3" && strings.Contains(v.Message, "does not reference") {
			found = true
		}
	}
	if !found {
		t.Errorf("trailer /Info pointing at the ICC stream not reported: %v", vs)
	}
}

func TestFixStructure(t *testing.T) {
	out, err := Fix(makePDF(t, build{links: true, image: true}), testMeta())
	if err != nil {
		t.Fatal(err)
	}
	f, err := parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")) {
		t.Errorf("header %q", out[:16])
	}
	cat := f.byNum[f.trailer.get("Root").(ref).num].dict()
	if cat.get("Names") != nil {
		t.Errorf("empty /Names /EmbeddedFiles kept: %v", cat.get("Names"))
	}
	if s, _ := cat.get("Lang").(str); string(s.b) != "it-IT" {
		t.Errorf("/Lang %q", s.b)
	}
	mo := f.byNum[cat.get("Metadata").(ref).num]
	if !bytes.Equal(mo.stream, XMP(testMeta())) || mo.dict().get("Filter") != nil {
		t.Error("XMP stream is not XMP(meta), unfiltered")
	}
	annots := 0
	for _, o := range f.objects {
		d := o.dict()
		if d.name("Type") == "Page" {
			for _, a := range d.get("Annots").(array) {
				if _, ok := a.(ref); !ok {
					t.Errorf("inline annotation %v", a)
				}
			}
		}
		if d.name("Type") == "Annot" {
			annots++
			if d.get("F") != number("4") {
				t.Errorf("annotation /F %v", d.get("F"))
			}
		}
	}
	if annots != 2 {
		t.Errorf("%d annotation objects, want 2", annots)
	}
	info := f.byNum[f.trailer.get("Info").(ref).num].dict()
	if s, _ := info.get("CreationDate").(str); string(s.b) != "D:20220223150000+01'00'" {
		t.Errorf("CreationDate %q", s.b)
	}
	if s, _ := info.get("Title").(str); pdf.DecodeText(s.b) != testMeta().Title {
		t.Errorf("Title %q", pdf.DecodeText(s.b))
	}
}

// Fix compresses what the typesetter leaves uncompressed, the metadata
// apart, and drops the obsolete /ProcSet.
func TestFixCompresses(t *testing.T) {
	raw := makePDF(t, build{plain: true, image: true, intent: true})
	before, err := parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Fix(raw, testMeta())
	if err != nil {
		t.Fatal(err)
	}
	f, err := parse(out)
	if err != nil {
		t.Fatal(err)
	}
	contents := 0
	for _, o := range f.objects {
		d := o.dict()
		if d.get("ProcSet") != nil {
			t.Errorf("object %d keeps /ProcSet", o.num)
		}
		if d.name("Type") != "Page" {
			continue
		}
		co := f.byNum[d.get("Contents").(ref).num]
		if co.dict().get("Filter") != name("FlateDecode") {
			t.Fatalf("page content left uncompressed: %v", co.dict().get("Filter"))
		}
		for _, orig := range before.objects {
			if orig.dict().get("Filter") == nil && bytes.Equal(decode(co.dict(), co.stream, 1<<20), orig.stream) {
				contents++
			}
		}
	}
	if contents != 1 {
		t.Errorf("%d page contents inflate to the original, want 1", contents)
	}
}

func TestFixDeterministic(t *testing.T) {
	m := testMeta()
	b := build{links: true, image: true, intent: true, xmp: true, pages: 3}
	a1, err := Fix(makePDF(t, b), m)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := Fix(makePDF(t, b), m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a1, a2) {
		t.Fatal("same input, different bytes")
	}
	again, err := Fix(a1, m) // Fix is idempotent on its own output
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a1, again) {
		t.Error("Fix(Fix(x)) != Fix(x)")
	}
	id := func(b []byte) string {
		f, err := parse(b)
		if err != nil {
			t.Fatal(err)
		}
		return string(f.trailer.get("ID").(array)[0].(str).b)
	}
	b.text = "Un altro testo"
	other, err := Fix(makePDF(t, b), m)
	if err != nil {
		t.Fatal(err)
	}
	m.Title = "Altro titolo"
	retitled, err := Fix(makePDF(t, build{links: true, image: true, intent: true, xmp: true, pages: 3}), m)
	if err != nil {
		t.Fatal(err)
	}
	if id(a1) == id(other) || id(a1) == id(retitled) {
		t.Error("/ID does not change with the content")
	}
}

func TestFixRefuses(t *testing.T) {
	m := testMeta()
	good := makePDF(t, build{})
	gen := func(setup func(*fpdf.Fpdf)) []byte {
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.SetCreationDate(m.Created)
		setup(pdf)
		pdf.AddPage()
		var b bytes.Buffer
		if err := pdf.Output(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	cases := []struct {
		name string
		raw  []byte
		meta Meta
	}{
		{"empty", nil, m},
		{"garbage", []byte("hello, world"), m},
		{"header only", []byte("%PDF-1.4\n"), m},
		{"truncated", good[:len(good)/2], m},
		{"no creation date", good, Meta{Title: "x"}},
		{"encrypted", gen(func(p *fpdf.Fpdf) { p.SetProtection(fpdf.CnProtectPrint, "", "owner") }), m},
		{"javascript", gen(func(p *fpdf.Fpdf) { p.SetJavascript("app.alert('x')") }), m},
		{"attachment", gen(func(p *fpdf.Fpdf) {
			p.SetAttachments([]fpdf.Attachment{{Content: []byte("x"), Filename: "a.txt"}})
		}), m},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if out, err := Fix(tc.raw, tc.meta); err == nil {
				t.Errorf("no error, %d bytes", len(out))
			}
		})
	}
	// Every truncation of a real file is an error, never a panic.
	for n := 0; n < len(good)-8; n += 7 {
		if _, err := Fix(good[:n], m); err == nil {
			t.Fatalf("truncated at %d: no error", n)
		}
	}
}

func TestDates(t *testing.T) {
	cases := []struct {
		t         time.Time
		pdf, xmpD string
	}{
		{time.Date(2022, 2, 23, 15, 0, 0, 0, rome), "D:20220223150000+01'00'", "2022-02-23T15:00:00+01:00"},
		{time.Date(2022, 7, 1, 9, 30, 5, 0, rome), "D:20220701093005+02'00'", "2022-07-01T09:30:05+02:00"},
		{time.Date(2022, 7, 1, 9, 30, 5, 0, time.UTC), "D:20220701093005+00'00'", "2022-07-01T09:30:05+00:00"},
		{time.Date(2022, 7, 1, 9, 30, 5, 0, time.FixedZone("", -(3*3600+1800))), "D:20220701093005-03'30'", "2022-07-01T09:30:05-03:30"},
	}
	for _, c := range cases {
		m := testMeta()
		m.Created, m.Modified = c.t, c.t
		xm := XMP(m)
		if !bytes.Contains(xm, []byte(`xmp:CreateDate="`+c.xmpD+`"`)) {
			t.Errorf("XMP lacks the date %s:\n%s", c.xmpD, xm)
		}
		out, err := Fix(makePDF(t, build{}), m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out, []byte("/CreationDate ("+c.pdf+")")) {
			t.Errorf("Info lacks the date %s", c.pdf)
		}
		p, ok1 := parseInfoDate(c.pdf)
		x, ok2 := parseXMPDate(c.xmpD)
		if !ok1 || !ok2 || !p.Equal(c.t) || !x.Equal(c.t) {
			t.Errorf("round trip of %v: %v %v", c.t, p, x)
		}
	}
	if _, ok := parseInfoDate("D:20220223150000"); ok {
		t.Error("a date without zone must not be accepted")
	}
}

func TestXMP(t *testing.T) {
	m := testMeta()
	m.Title = "A & B <c> \"d\" 'e' \x01"
	x := XMP(m)
	props, err := parseXMP(x)
	if err != nil {
		t.Fatalf("XMP not well-formed: %v\n%s", err, x)
	}
	want := map[string]string{
		"pdfaid:part": "2", "pdfaid:conformance": "B",
		"dc:title": "A & B <c> \"d\" 'e' \uFFFD", "dc:creator": "ANCI Sicilia",
		"dc:description": "Convocazione riunione", "pdf:Keywords": "COOPERA, convocazione, città",
		"pdf:Producer": "coopera 1.2.3 (fpdf)", "xmp:CreatorTool": "coopera 1.2.3",
		"xmp:CreateDate": "2022-02-23T15:00:00+01:00", "xmp:ModifyDate": "2022-02-23T16:00:00+01:00",
	}
	for k, v := range want {
		if props[k] != v {
			t.Errorf("%s = %q, want %q", k, props[k], v)
		}
	}
	if !bytes.Contains(x, []byte(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">`)) {
		t.Error("the title is not an x-default language alternative")
	}
	if bytes.Contains(x[:60], []byte("bytes=")) || bytes.Contains(x[:60], []byte("encoding=")) {
		t.Error("xpacket header with bytes or encoding")
	}
}

func TestSRGBProfile(t *testing.T) {
	p := SRGBProfile()
	if len(p) < 132 || int(binary.BigEndian.Uint32(p)) != len(p) {
		t.Fatalf("profile size field does not match its %d bytes", len(p))
	}
	header := map[string]string{"version": string(p[8:10]), "class": string(p[12:16]),
		"colour space": string(p[16:20]), "connection space": string(p[20:24]), "signature": string(p[36:40])}
	want := map[string]string{"version": "\x04\x20", "class": "mntr", "colour space": "RGB ",
		"connection space": "XYZ ", "signature": "acsp"}
	for k, v := range want {
		if header[k] != v {
			t.Errorf("%s = %q, want %q", k, header[k], v)
		}
	}
	// The profile ID is the MD5 of the profile with flags, intent and ID zeroed.
	z := bytes.Clone(p)
	clear(z[44:48])
	clear(z[64:68])
	clear(z[84:100])
	if sum := md5.Sum(z); !bytes.Equal(sum[:], p[84:100]) {
		t.Errorf("profile ID %x, want %x", p[84:100], sum)
	}
	tags := map[string][]byte{}
	n := int(binary.BigEndian.Uint32(p[128:]))
	for i := range n {
		e := p[132+12*i:]
		off, size := int(binary.BigEndian.Uint32(e[4:])), int(binary.BigEndian.Uint32(e[8:]))
		if off+size > len(p) {
			t.Fatalf("tag %q outside the profile", e[:4])
		}
		tags[string(e[:4])] = p[off : off+size]
	}
	// ICC.1:2004-10 8.4: the tags a matrix/TRC display profile needs.
	for _, tag := range []string{"desc", "cprt", "wtpt", "chad", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"} {
		if tags[tag] == nil {
			t.Errorf("tag %q missing", tag)
		}
	}
	// The colorants add up to the D50 white of the connection space.
	s15 := func(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) / 65536 }
	for i, d50 := range []float64{0.9642, 1, 0.8249} {
		sum := 0.0
		for _, tag := range []string{"rXYZ", "gXYZ", "bXYZ"} {
			sum += s15(tags[tag][8+4*i:])
		}
		if math.Abs(sum-d50) > 0.001 {
			t.Errorf("colorants add up to %.4f in component %d, want %.4f", sum, i, d50)
		}
	}
	// The sRGB curve: Y = (aX+b)^g above d, cX below (IEC 61966-2-1).
	for _, tag := range []string{"rTRC", "gTRC", "bTRC"} {
		c := tags[tag]
		if len(c) != 32 || string(c[:4]) != "para" || binary.BigEndian.Uint16(c[8:]) != 3 {
			t.Fatalf("%s is not a type 3 parametric curve", tag)
		}
		for i, v := range []float64{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045} {
			if got := s15(c[12+4*i:]); math.Abs(got-v) > 0.0001 {
				t.Errorf("%s parameter %d = %.5f, want %.5f", tag, i, got, v)
			}
		}
	}
}
