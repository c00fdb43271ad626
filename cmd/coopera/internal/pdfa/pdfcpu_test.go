package pdfa

import (
	"bytes"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

func init() {
	api.DisableConfigDir() // keep pdfcpu away from the user's config folder
	pdfcpuStrict = func(t *testing.T, b []byte) {
		t.Helper()
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = model.ValidationStrict
		if err := api.Validate(bytes.NewReader(b), conf); err != nil {
			t.Errorf("pdfcpu strict validation: %v", err)
		}
	}
}

// Raw fpdf output fails strict validation (inline annotations), so the
// pdfcpu check above can fail and is worth running.
func TestPdfcpuRejectsRawFpdf(t *testing.T) {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	if err := api.Validate(bytes.NewReader(makePDF(t, build{links: true})), conf); err == nil {
		t.Error("pdfcpu accepted raw fpdf output with inline link annotations")
	}
}
