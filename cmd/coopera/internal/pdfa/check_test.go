package pdfa

import (
	"bytes"
	"regexp"
	"strconv"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// fixed is a compliant document to break in one way per test case.
func fixed(t testing.TB) []byte {
	t.Helper()
	out, err := Fix(makePDF(t, build{links: true, image: true, intent: true}), testMeta())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// edit parses a compliant document, lets fn change its objects and writes
// it back with a correct xref table, so only the intended rule breaks.
type edit struct {
	f    *file
	r    *rewriter
	cat  *dict
	info int
}

func (e *edit) find(match func(*dict) bool) *dict {
	for _, o := range e.f.objects {
		if d := o.dict(); d != nil && match(d) {
			return d
		}
	}
	return nil
}

func (e *edit) firstAnnot() *dict {
	return e.find(func(d *dict) bool { return d.name("Type") == "Annot" })
}

// resources returns the first page's resource dictionary.
func (e *edit) resources() *dict {
	page := e.find(func(d *dict) bool { return d.name("Type") == "Page" })
	res, _ := e.r.resolve(page.get("Resources")).(*dict)
	return res
}

func (e *edit) object(match func(*dict) bool) *object {
	for _, o := range e.f.objects {
		if d := o.dict(); d != nil && match(d) {
			return o
		}
	}
	return nil
}

func mutate(t *testing.T, fn func(e *edit)) []byte {
	t.Helper()
	f, err := parse(fixed(t))
	if err != nil {
		t.Fatal(err)
	}
	root := f.trailer.get("Root").(ref).num
	e := &edit{f: f, r: &rewriter{f: f, next: len(f.objects) + 1}, cat: f.byNum[root].dict(),
		info: f.trailer.get("Info").(ref).num}
	fn(e)
	return serialize(f.objects, root, e.info)
}

func dictOf(kv ...any) *dict {
	d := newDict()
	for i := 0; i+1 < len(kv); i += 2 {
		d.set(name(kv[i].(string)), kv[i+1])
	}
	return d
}

func replaced(t *testing.T, old, new string) []byte {
	t.Helper()
	b := fixed(t)
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%q not in the document", old)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

func TestCheckCompliant(t *testing.T) {
	if vs := Check(fixed(t)); len(vs) != 0 {
		t.Fatalf("compliant document reported: %v", vs)
	}
}

func TestCheckViolations(t *testing.T) {
	isImage := func(d *dict) bool { return d.name("Subtype") == "Image" && d.get("SMask") != nil }
	cases := []struct {
		name string
		pdf  func(t *testing.T) []byte
		rule string
	}{
		{"unparseable", func(t *testing.T) []byte { return []byte("%PDF-1.7\nnot a pdf") }, "6.1"},
		{"header version", func(t *testing.T) []byte { return replaced(t, "%PDF-1.7", "%PDF-2.0") }, "6.1.2"},
		{"no binary comment", func(t *testing.T) []byte { return replaced(t, "\n%\xe2\xe3\xcf\xd3\n", "\n%abcd\n") }, "6.1.2"},
		{"no ID", func(t *testing.T) []byte {
			return regexp.MustCompile(` /ID \[<[0-9A-F]+> <[0-9A-F]+>\]`).ReplaceAll(fixed(t), nil)
		}, "6.1.3"},
		{"encrypted", func(t *testing.T) []byte { return replaced(t, "<</Size", "<</Encrypt 1 0 R /Size") }, "6.1.3"},
		{"data after EOF", func(t *testing.T) []byte { return append(fixed(t), "junk\n"...) }, "6.1.3"},
		{"xref offset", func(t *testing.T) []byte { return replaced(t, "0000000015 00000 n", "0000000016 00000 n") }, "6.1.4"},
		{"external stream", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.object(isImage).dict().set("F", str{b: []byte("x.png")}) })
		}, "6.1.7.1"},
		{"LZW filter", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.object(isImage).dict().set("Filter", name("LZWDecode")) })
		}, "6.1.7.2"},
		{"integer out of range", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.cat.set("Big", number("99999999999")) })
		}, "6.1.13"},
		{"no XMP", func(t *testing.T) []byte { return mutate(t, func(e *edit) { e.cat.del("Metadata") }) }, "6.6.2.1"},
		{"filtered XMP", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.object(func(d *dict) bool { return d.name("Type") == "Metadata" }).dict().set("Filter", name("FlateDecode"))
			})
		}, "6.6.2.1"},
		{"wrong pdfaid part", func(t *testing.T) []byte {
			return replaced(t, `pdfaid:part="2"`, `pdfaid:part="1"`)
		}, "6.6.4"},
		{"wrong conformance", func(t *testing.T) []byte {
			return replaced(t, `pdfaid:conformance="B"`, `pdfaid:conformance="X"`)
		}, "6.6.4"},
		{"Info title differs", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.f.byNum[e.info].dict().set("Title", str{b: []byte("Altro")}) })
		}, "6.6.3"},
		{"Info date without zone", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.f.byNum[e.info].dict().set("CreationDate", str{b: []byte("D:20220223150000")})
			})
		}, "6.6.3"},
		{"Info date differs", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.f.byNum[e.info].dict().set("ModDate", str{b: []byte("D:20220223150000+01'00'")})
			})
		}, "6.6.3"},
		{"Info is the ICC stream", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.info = e.object(func(d *dict) bool { return d.get("N") != nil }).num })
		}, "6.6.3"},
		{"missing output intent", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.cat.del("OutputIntents") })
		}, "6.2.3"},
		{"output intent not PDF/A", func(t *testing.T) []byte { return replaced(t, "/S /GTS_PDFA1", "/S /GTS_PDFX") }, "6.2.3"},
		{"ICC /N mismatch", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.object(func(d *dict) bool { return d.get("N") != nil }).dict().set("N", number("4")) })
		}, "6.2.3"},
		{"CMYK image", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.object(isImage).dict().set("ColorSpace", name("DeviceCMYK")) })
		}, "6.2.4.3"},
		{"image interpolate", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.object(isImage).dict().set("Interpolate", boolean(true)) })
		}, "6.2.8"},
		{"image alternates", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.object(isImage).dict().set("Alternates", array{}) })
		}, "6.2.8"},
		{"transfer function", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.resources().set("ExtGState", dictOf("GS1", e.r.add(dictOf("Type", name("ExtGState"), "TR", name("Identity")), nil)))
			})
		}, "6.2.5"},
		{"blend mode", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.resources().set("ExtGState", dictOf("GS1", e.r.add(dictOf("Type", name("ExtGState"), "BM", name("Dissolve")), nil)))
			})
		}, "6.2.10"},
		{"PostScript XObject", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.object(isImage).dict().set("Subtype", name("PS")) })
		}, "6.2.9"},
		{"unembedded font", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				fonts := e.resources().get("Font").(*dict)
				fonts.set("Helv", e.r.add(dictOf("Type", name("Font"), "Subtype", name("Type1"), "BaseFont", name("Helvetica")), nil))
			})
		}, "6.2.11.4.1"},
		{"descendant font without font file", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.find(func(d *dict) bool { return d.name("Type") == "FontDescriptor" }).del("FontFile2")
			})
		}, "6.2.11.4.1"},
		{"no CIDToGIDMap", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.find(func(d *dict) bool { return d.name("Subtype") == "CIDFontType2" }).del("CIDToGIDMap")
			})
		}, "6.2.11.3.2"},
		{"width differs from the font program", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.find(func(d *dict) bool { return d.name("Subtype") == "CIDFontType2" }).set("DW", number("1234"))
				e.find(func(d *dict) bool { return d.name("Subtype") == "CIDFontType2" }).del("W")
			})
		}, "6.2.11.5"},
		{"annotation without flags", func(t *testing.T) []byte { return mutate(t, func(e *edit) { e.firstAnnot().del("F") }) }, "6.3.2"},
		{"annotation without print flag", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.firstAnnot().set("F", number("0")) })
		}, "6.3.2"},
		{"hidden annotation", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.firstAnnot().set("F", number("6")) })
		}, "6.3.2"},
		{"inline annotation without flags", func(t *testing.T) []byte {
			return makePDF(t, build{links: true})
		}, "6.3.2"},
		{"sound annotation", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.firstAnnot().set("Subtype", name("Sound")) })
		}, "6.3.1"},
		{"file attachment annotation", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.firstAnnot().set("Subtype", name("FileAttachment")) })
		}, "6.3.1"},
		{"square without appearance", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.firstAnnot().set("Subtype", name("Square")) })
		}, "6.3.3"},
		{"JavaScript link", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.firstAnnot().set("A", dictOf("S", name("JavaScript"), "JS", str{b: []byte("app.alert(1)")}))
			})
		}, "6.5.1"},
		{"Launch action", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.cat.set("OpenAction", dictOf("S", name("Launch"), "F", str{b: []byte("x.exe")})) })
		}, "6.5.1"},
		{"named action", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.cat.set("OpenAction", dictOf("S", name("Named"), "N", name("Print"))) })
		}, "6.5.1"},
		{"document JavaScript", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.cat.set("Names", dictOf("JavaScript", dictOf("Names", array{}))) })
		}, "6.5.1"},
		{"additional actions", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.find(func(d *dict) bool { return d.name("Type") == "Page" }).set("AA", dictOf())
			})
		}, "6.5.2"},
		{"NeedAppearances", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) { e.cat.set("AcroForm", dictOf("Fields", array{}, "NeedAppearances", boolean(true))) })
		}, "6.4.1"},
		{"embedded file", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				e.cat.set("Names", dictOf("EmbeddedFiles", dictOf("Names", array{str{b: []byte("a")}, dictOf("Type", name("Filespec"))})))
			})
		}, "6.8"},
		{"CMYK operator in content", func(t *testing.T) []byte {
			return mutate(t, func(e *edit) {
				cs := []byte("0 0 0 1 k 10 10 50 50 re f")
				content := e.r.add(dictOf("Length", number(strconv.Itoa(len(cs)))), cs)
				e.find(func(d *dict) bool { return d.name("Type") == "Page" }).set("Contents", content)
			})
		}, "6.2.4.3"},
		{"notdef glyph", func(t *testing.T) []byte {
			out, err := Fix(makePDF(t, build{text: "Città 中文"}), testMeta())
			if err != nil {
				t.Fatal(err)
			}
			return out
		}, "6.2.11.8"},
		{"JavaScript from fpdf", func(t *testing.T) []byte {
			pdf := fpdf.New("P", "mm", "A4", "")
			pdf.SetJavascript("app.alert('x')")
			pdf.AddPage()
			var b bytes.Buffer
			if err := pdf.Output(&b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}, "6.5.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vs := Check(tc.pdf(t))
			if !hasRule(vs, tc.rule) {
				t.Errorf("want a %s violation, got %v", tc.rule, vs)
			}
		})
	}
}

func FuzzFix(f *testing.F) {
	raw := makePDF(f, build{links: true})
	f.Add(raw)
	f.Add(fixed(f))
	f.Add(raw[:len(raw)/3])
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<</Length 5>>stream\nab"))
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<</A [<</B (x\\)>>] >>\nendobj\nxref\n0 1\ntrailer\n<<>>\nstartxref\n0\n%%EOF"))
	m := testMeta()
	f.Fuzz(func(t *testing.T, data []byte) {
		// Mutations of a small letter: a bigger input only slows the
		// fuzzer down.
		if len(data) > 2*len(raw)+1024 {
			t.Skip()
		}
		Check(data)
		out, err := Fix(data, m)
		if err != nil {
			return
		}
		if _, err := parse(out); err != nil {
			t.Fatalf("Fix wrote an unreadable file: %v", err)
		}
		Check(out)
	})
}

func BenchmarkFix(b *testing.B) {
	raw := makePDF(b, build{links: true, intent: true, xmp: true, letter: true})
	m := testMeta()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Fix(raw, m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	out := fixed(b)
	b.ReportAllocs()
	for b.Loop() {
		Check(out)
	}
}
