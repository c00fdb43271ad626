package pdf

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"sort"
	"strconv"
)

// writer is the file being written; it notes where the signature's
// placeholders are, to fill them in once the file is whole.
type writer struct {
	bytes.Buffer
	contentsAt, rangeAt int // offsets of the placeholders; 0 when unsigned
}

func (w *writer) value(v any) {
	switch v := v.(type) {
	case sigContents:
		w.contentsAt = w.Len()
		w.WriteByte('<')
		w.Write(bytes.Repeat([]byte{'0'}, 2*int(v)))
		w.WriteByte('>')
	case sigRange:
		w.rangeAt = w.Len()
		w.WriteString(byteRangeBlank)
	case name:
		writeName(&w.Buffer, v)
	case number:
		w.WriteString(string(v))
	case boolean:
		w.WriteString(strconv.FormatBool(bool(v)))
	case null, nil:
		w.WriteString("null")
	case ref:
		fmt.Fprintf(w, "%d %d R", v.num, v.gen)
	case str:
		writeString(&w.Buffer, v.b)
	case array:
		w.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				w.WriteByte(' ')
			}
			w.value(e)
		}
		w.WriteByte(']')
	case *dict:
		w.WriteString("<<")
		for i, k := range v.keys {
			if i > 0 {
				w.WriteByte(' ')
			}
			writeName(&w.Buffer, k)
			w.WriteByte(' ')
			w.value(v.vals[k])
		}
		w.WriteString(">>")
	}
}

func writeName(w *bytes.Buffer, n name) {
	w.WriteByte('/')
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c < 0x21 || c > 0x7e || c == '#' || isDelim(c) {
			fmt.Fprintf(w, "#%02X", c)
			continue
		}
		w.WriteByte(c)
	}
}

// writeString writes a literal string, the shorter form: bytes outside
// printable ASCII go in as they are (PDF strings are binary), with only
// the delimiters, the backslash and the end-of-line bytes escaped.
func writeString(w *bytes.Buffer, b []byte) {
	w.WriteByte('(')
	for _, c := range b {
		switch c {
		case '(', ')', '\\':
			w.WriteByte('\\')
			w.WriteByte(c)
		case '\r':
			w.WriteString(`\r`)
		case '\n':
			w.WriteString(`\n`)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteByte(')')
}

// header is the PDF/A header: PDF/A-2 is based on PDF 1.7, and the comment
// line with four bytes above 127 marks the file as binary (6.1.2).
const header = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"

// serialize writes objs (numbered 1..n without gaps) with a fresh xref table
// and a trailer whose /ID is the MD5 of everything before the trailer, so
// equal input gives equal bytes and any change of content changes the ID.
// With sig, it then fills in the signature's /ByteRange and /Contents.
func serialize(objs []*object, root, info int, sig *Signature) ([]byte, error) {
	sort.Slice(objs, func(i, j int) bool { return objs[i].num < objs[j].num })
	var w writer
	w.Grow(estimate(objs))
	w.WriteString(header)
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = w.Len()
		fmt.Fprintf(&w, "%d 0 obj\n", o.num)
		if d := o.dict(); d != nil && o.stream != nil {
			d.set("Length", num(len(o.stream)))
		}
		w.value(o.val)
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
	fmt.Fprintf(&w, "trailer\n<</Size %d /Root %d 0 R", len(objs)+1, root)
	if info > 0 {
		fmt.Fprintf(&w, " /Info %d 0 R", info)
	}
	fmt.Fprintf(&w, " /ID [<%X> <%X>]>>\nstartxref\n%d\n%%%%EOF\n", sum, sum, xrefAt)
	if sig == nil {
		return w.Bytes(), nil
	}
	return sign(w.Bytes(), w.contentsAt, w.rangeAt, sig)
}

func estimate(objs []*object) int {
	n := 4096
	for _, o := range objs {
		n += len(o.stream) + 256
	}
	return n
}
