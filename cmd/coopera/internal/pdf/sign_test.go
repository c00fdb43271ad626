package pdf_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/asn1"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdf"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdfa"
)

// digestSigner "signs" with a DER OCTET STRING holding the SHA-256 of what
// it is given, and keeps that input, so that a test can see what the
// /ByteRange covered.
type digestSigner struct{ got []byte }

func (s *digestSigner) MaxSize() int { return 64 }

func (s *digestSigner) Sign(b []byte) ([]byte, error) {
	s.got = bytes.Clone(b)
	sum := sha256.Sum256(b)
	return asn1.Marshal(sum[:])
}

var when = time.Date(2022, 3, 2, 0, 0, 0, 0, time.FixedZone("CET", 3600))

func signedDoc(t *testing.T, s pdf.Signer) []byte {
	t.Helper()
	d := pdf.NewDoc(when)
	d.AddPage()
	d.Line(50, 50, 200, 50, pdf.RGB{0, 51, 153}, 0.6)
	d.Link(50, 60, 100, 12, "https://www.example.org/")
	out, err := d.Finish(nil, pdf.Meta{Title: "Prova", Lang: "it-IT", Created: when},
		&pdf.Signature{Signer: s, Name: "Ente di prova", Time: when, Reason: "Protocollo"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The signature covers the whole file but its own value, reads back as it
// was made, and the file is still PDF/A.
func TestSignature(t *testing.T) {
	s := &digestSigner{}
	out := signedDoc(t, s)
	sigs, err := pdf.Signatures(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 {
		t.Fatalf("%d signatures, want 1", len(sigs))
	}
	g := sigs[0]
	if !g.Whole {
		t.Error("the /ByteRange does not cover the whole file")
	}
	if !bytes.Equal(g.Covered, s.got) {
		t.Error("the bytes read back are not those signed")
	}
	want, _ := s.Sign(s.got)
	if !bytes.Equal(g.Contents, want) {
		t.Errorf("/Contents %x, want %x", g.Contents, want)
	}
	if g.SubFilter != "ETSI.CAdES.detached" || g.Name != "Ente di prova" || !g.Time.Equal(when) {
		t.Errorf("signature read back as %q %q %v", g.SubFilter, g.Name, g.Time)
	}
	if len(g.Covered)+2+2*s.MaxSize() != len(out) {
		t.Errorf("covered %d of %d bytes", len(g.Covered), len(out))
	}
	if vs := pdfa.Check(out); len(vs) > 0 {
		t.Errorf("signed file breaks PDF/A: %v", vs)
	}
	if !bytes.Equal(out, signedDoc(t, &digestSigner{})) {
		t.Error("the same document and signer gave other bytes")
	}
	if _, err := exec.LookPath("qpdf"); err == nil {
		f := filepath.Join(t.TempDir(), "firmato.pdf")
		if err := os.WriteFile(f, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command("qpdf", "--check", f).CombinedOutput(); err != nil {
			t.Errorf("qpdf --check: %v\n%s", err, b)
		}
	}

	// One byte changed in the covered part changes what is covered.
	bad := bytes.Clone(out)
	i := bytes.Index(bad, []byte("/Title"))
	bad[i+8] ^= 1
	sigs, err = pdf.Signatures(bad)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(sigs[0].Covered, s.got) {
		t.Error("a changed byte is outside the /ByteRange")
	}
}

// A signer that returns more than it promised is an error, not a file
// with a cut signature.
func TestSignatureTooLarge(t *testing.T) {
	d := pdf.NewDoc(when)
	d.AddPage()
	_, err := d.Finish(nil, pdf.Meta{Created: when}, &pdf.Signature{Signer: liar{}, Time: when})
	if err == nil {
		t.Fatal("no error")
	}
}

type liar struct{}

func (liar) MaxSize() int                  { return 4 }
func (liar) Sign(b []byte) ([]byte, error) { return make([]byte, 8), nil }
