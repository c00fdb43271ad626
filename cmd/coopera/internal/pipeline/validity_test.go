package pipeline_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pdfa"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	pdfcpu "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// TestEveryDocumentIsValid renders every document of data/ and hands each
// PDF to every checker there is here: coopera's own PDF/A-2b rules, pdfcpu in
// strict mode, and, when installed, qpdf, ghostscript and poppler's pdfinfo
// (the document properties must be readable, not lost to fpdf's /Info bug).
func TestEveryDocumentIsValid(t *testing.T) {
	api.DisableConfigDir()
	dir := dataDir(t)
	r := newRenderer()
	for _, d := range renderable(t, dir) {
		t.Run(d.rel, func(t *testing.T) {
			out, err := r.render(filepath.Join(dir, d.rel), d)
			if err != nil {
				t.Fatal(err)
			}
			if vs := pdfa.Check(out.PDF); len(vs) > 0 {
				t.Errorf("PDF/A-2b rules: %v", vs)
			}
			conf := pdfcpu.NewDefaultConfiguration()
			conf.ValidationMode = pdfcpu.ValidationStrict
			if err := api.Validate(bytes.NewReader(out.PDF), conf); err != nil {
				t.Errorf("pdfcpu strict validation: %v", err)
			}
			path := filepath.Join(t.TempDir(), "doc.pdf")
			if err := os.WriteFile(path, out.PDF, 0o644); err != nil {
				t.Fatal(err)
			}
			if o, ok := run(t, "qpdf", "--check", path); ok && !strings.Contains(o, "No syntax or stream encoding errors") {
				t.Errorf("qpdf --check:\n%s", o)
			}
			// Ghostscript renders every page; it says "error" or "warning"
			// about anything it had to repair.
			if o, ok := run(t, "gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", path); ok && strings.TrimSpace(o) != "" {
				t.Errorf("ghostscript complains:\n%s", o)
			}
			if o, ok := run(t, "pdfinfo", path); ok {
				for _, want := range []string{"Title:", "Author:          ANCI Sicilia", "Producer:        coopera", "PDF version:     1.7"} {
					if !strings.Contains(o, want) {
						t.Errorf("pdfinfo lacks %q:\n%s", want, o)
					}
				}
			}
		})
	}
}

// run runs an external checker; ok is false when it is not installed. A
// non-zero exit is a test error.
func run(t *testing.T, bin string, args ...string) (out string, ok bool) {
	t.Helper()
	if _, err := exec.LookPath(bin); err != nil {
		t.Logf("%s not installed: check skipped", bin)
		return "", false
	}
	b, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Errorf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, b)
	}
	return string(b), true
}
