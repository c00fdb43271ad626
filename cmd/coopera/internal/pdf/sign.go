package pdf

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Signer makes the CMS signature of a PDF.
type Signer interface {
	// MaxSize is an upper bound, in bytes, of the DER that Sign returns.
	MaxSize() int
	// Sign returns a detached CMS SignedData over signed, the bytes the
	// signature's /ByteRange covers.
	Sign(signed []byte) ([]byte, error)
}

// Signature asks Finish to sign the file it writes (PAdES, ETSI EN 319
// 142-1: SubFilter ETSI.CAdES.detached), with an invisible signature field
// on the first page.
type Signature struct {
	Signer   Signer
	Name     string    // the signer's name, /Name
	Time     time.Time // the claimed signing time, /M: the protocol date, never the clock
	Reason   string    // /Reason, optional
	Location string    // /Location, optional
}

// Signed is a signature found in a PDF.
type Signed struct {
	Contents  []byte    // the DER in /Contents, its zero padding removed
	Covered   []byte    // the bytes /ByteRange covers, concatenated
	Whole     bool      // /ByteRange covers the whole file but the /Contents string
	SubFilter string    // e.g. ETSI.CAdES.detached
	Time      time.Time // /M; zero when absent or unreadable
	Name      string    // /Name
}

// The placeholders of a signature dictionary: serialize writes them and
// notes where, sign fills them in.
type (
	sigContents int // /Contents: that many bytes of zeros, in hex
	sigRange    struct{}
)

// byteRangeBlank is the /ByteRange placeholder: room for any offset of a
// file under 10 GB, filled in with spaces to the same length.
const byteRangeBlank = "[0 0000000000 0000000000 0000000000]"

// signatureField adds the signature dictionary and its field to the file:
// a widget on the first page, zero-sized (an invisible signature) with an
// empty appearance, as PDF/A wants every annotation to have one (6.3.3).
func (r *rewriter) signatureField(cat *dict, sig *Signature) error {
	if sig.Signer == nil {
		return errors.New("firma: manca chi firma")
	}
	pages, _ := r.resolve(cat.get("Pages")).(*dict)
	kids, _ := r.resolve(pages.get("Kids")).(array)
	if len(kids) == 0 {
		return errors.New("firma: il documento non ha pagine")
	}
	pageRef, ok := kids[0].(ref)
	page, _ := r.resolve(pageRef).(*dict)
	if !ok || page == nil {
		return errors.New("firma: prima pagina non leggibile")
	}

	v := newDict()
	v.set("Type", name("Sig"))
	v.set("Filter", name("Adobe.PPKLite"))
	v.set("SubFilter", name("ETSI.CAdES.detached"))
	v.set("ByteRange", sigRange{})
	v.set("Contents", sigContents(sig.Signer.MaxSize()))
	v.set("M", str{b: []byte(pdfDate(sig.Time))})
	if sig.Name != "" {
		v.set("Name", textString(sig.Name))
	}
	if sig.Reason != "" {
		v.set("Reason", textString(sig.Reason))
	}
	if sig.Location != "" {
		v.set("Location", textString(sig.Location))
	}

	form := newDict()
	form.set("Type", name("XObject"))
	form.set("Subtype", name("Form"))
	form.set("BBox", array{num(0), num(0), num(0), num(0)})
	ap := newDict()
	ap.set("N", r.add(form, []byte{}))

	w := newDict()
	w.set("Type", name("Annot"))
	w.set("Subtype", name("Widget"))
	w.set("FT", name("Sig"))
	w.set("T", str{b: []byte("Firma")})
	w.set("V", r.add(v, nil))
	w.set("F", num(flagPrint|flagLocked))
	w.set("Rect", array{num(0), num(0), num(0), num(0)})
	w.set("P", pageRef)
	w.set("AP", ap)
	widget := r.add(w, nil)

	annots, _ := r.resolve(page.get("Annots")).(array)
	page.set("Annots", append(annots, widget))
	acro := newDict()
	acro.set("Fields", array{widget})
	acro.set("SigFlags", num(3)) // signatures exist; append only
	cat.set("AcroForm", acro)
	return nil
}

// sign fills in the placeholders of the file b: the /ByteRange, then the
// signature over the bytes it covers.
func sign(b []byte, contentsAt, rangeAt int, sig *Signature) ([]byte, error) {
	if contentsAt == 0 || rangeAt == 0 {
		return nil, errors.New("firma: segnaposto della firma mancante")
	}
	end := contentsAt + 2 + 2*sig.Signer.MaxSize() // past the closing '>'
	br := fmt.Sprintf("[0 %d %d %d]", contentsAt, end, len(b)-end)
	if len(br) > len(byteRangeBlank) {
		return nil, errors.New("firma: documento troppo grande da firmare")
	}
	copy(b[rangeAt:], br+string(bytes.Repeat([]byte{' '}, len(byteRangeBlank)-len(br))))
	covered := make([]byte, 0, len(b)-(end-contentsAt))
	covered = append(append(covered, b[:contentsAt]...), b[end:]...)
	der, err := sig.Signer.Sign(covered)
	if err != nil {
		return nil, err
	}
	if len(der) > sig.Signer.MaxSize() {
		return nil, fmt.Errorf("firma: la firma (%d byte) supera lo spazio riservato (%d)", len(der), sig.Signer.MaxSize())
	}
	hex.Encode(b[contentsAt+1:], der)
	return b, nil
}

// Signatures returns the signatures of doc, in the order of their objects.
// A file that is not one this package can read is an error.
func Signatures(doc []byte) ([]Signed, error) {
	f, err := parse(doc)
	if err != nil {
		return nil, fmt.Errorf("pdf non leggibile: %v", err)
	}
	var out []Signed
	for _, o := range f.objects {
		d := o.dict()
		if d.name("Type") != "Sig" && d.get("ByteRange") == nil {
			continue
		}
		s, err := readSigned(doc, d)
		if err != nil {
			return nil, fmt.Errorf("firma (oggetto %d): %v", o.num, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func readSigned(doc []byte, d *dict) (Signed, error) {
	s := Signed{SubFilter: string(d.name("SubFilter"))}
	br, _ := d.get("ByteRange").(array)
	if len(br) != 4 {
		return s, errors.New("/ByteRange non valido")
	}
	var n [4]int
	for i, v := range br {
		x, ok := v.(number)
		if !ok || !isInt([]byte(x)) {
			return s, errors.New("/ByteRange non valido")
		}
		n[i] = atoi([]byte(x))
	}
	if n[0] < 0 || n[1] < 0 || n[0]+n[1] > n[2] || n[2]+n[3] > len(doc) || n[3] < 0 {
		return s, errors.New("/ByteRange fuori dal file")
	}
	s.Covered = append(append([]byte{}, doc[n[0]:n[0]+n[1]]...), doc[n[2]:n[2]+n[3]]...)
	s.Whole = n[0] == 0 && n[2]+n[3] == len(doc) && n[1] < n[2] &&
		doc[n[1]] == '<' && doc[n[2]-1] == '>' && isHex(doc[n[1]+1:n[2]-1])
	c, ok := d.get("Contents").(str)
	if !ok {
		return s, errors.New("/Contents mancante")
	}
	s.Contents = trimDER(c.b)
	if t, ok := d.get("Name").(str); ok {
		s.Name = DecodeText(t.b)
	}
	if t, ok := d.get("M").(str); ok {
		s.Time, _ = parsePDFDate(string(t.b))
	}
	return s, nil
}

func isHex(b []byte) bool {
	for _, c := range b {
		if unhex(c) == 0xff {
			return false
		}
	}
	return true
}

// trimDER drops the zero padding after a DER value.
func trimDER(b []byte) []byte {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(b, &v)
	if err != nil {
		return b
	}
	return b[:len(b)-len(rest)]
}

// parsePDFDate reads the dates pdfDate writes: D:YYYYMMDDHHmmSS+HH'mm'.
func parsePDFDate(s string) (time.Time, error) {
	return time.Parse("D:20060102150405-07'00'", s)
}
