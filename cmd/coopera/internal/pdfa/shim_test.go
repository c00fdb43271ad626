package pdfa

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"sort"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
)

// The checker's tests make files with the PDF writer and break them with
// the small editor below, which writes the checker's own object model back
// with a correct cross-reference table, so that only the intended rule
// breaks.

type Meta = pdf.Meta

func Fix(raw []byte, m Meta) ([]byte, error) { return pdf.Fix(raw, m) }
func XMP(m Meta) []byte                      { return pdf.XMP(m) }
func SRGBProfile() []byte                    { return pdf.SRGBProfile() }

type rewriter struct {
	f    *file
	next int
}

func (r *rewriter) add(v any, stream []byte) ref {
	o := &object{num: r.next, val: v, stream: stream}
	r.next++
	r.f.objects = append(r.f.objects, o)
	r.f.byNum[o.num] = o
	return ref{o.num, 0}
}

func (r *rewriter) resolve(v any) any {
	if rf, ok := v.(ref); ok {
		if o := r.f.byNum[rf.num]; o != nil {
			return o.val
		}
		return nil
	}
	return v
}

func serialize(objs []*object, root, info int) []byte {
	sort.Slice(objs, func(i, j int) bool { return objs[i].num < objs[j].num })
	var w bytes.Buffer
	w.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = w.Len()
		fmt.Fprintf(&w, "%d 0 obj\n", o.num)
		writeValue(&w, o.val)
		if o.stream != nil {
			w.WriteString("\nstream\n")
			w.Write(o.stream)
			w.WriteString("\nendstream")
		}
		w.WriteString("\nendobj\n")
	}
	xrefAt := w.Len()
	fmt.Fprintf(&w, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&w, "%010d 00000 n \n", off)
	}
	sum := md5.Sum(w.Bytes())
	fmt.Fprintf(&w, "trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /ID [<%X> <%X>]>>\nstartxref\n%d\n%%%%EOF\n",
		len(objs)+1, root, info, sum, sum, xrefAt)
	return w.Bytes()
}

func writeValue(w *bytes.Buffer, v any) {
	switch v := v.(type) {
	case name:
		w.WriteByte('/')
		for i := 0; i < len(v); i++ {
			if c := v[i]; c < 0x21 || c > 0x7e || c == '#' || isDelim(c) {
				fmt.Fprintf(w, "#%02X", c)
			} else {
				w.WriteByte(c)
			}
		}
	case number:
		w.WriteString(string(v))
	case boolean:
		fmt.Fprint(w, bool(v))
	case null, nil:
		w.WriteString("null")
	case ref:
		fmt.Fprintf(w, "%d %d R", v.num, v.gen)
	case str:
		fmt.Fprintf(w, "<%X>", v.b)
	case array:
		w.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				w.WriteByte(' ')
			}
			writeValue(w, e)
		}
		w.WriteByte(']')
	case *dict:
		w.WriteString("<<")
		for _, k := range v.keys {
			writeValue(w, k)
			w.WriteByte(' ')
			writeValue(w, v.vals[k])
			w.WriteByte(' ')
		}
		w.WriteString(">>")
	}
}
