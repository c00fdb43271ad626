package pdfa

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/ancisicilia/coopera/assets"
)

var rome = mustLoc("Europe/Rome")

func mustLoc(n string) *time.Location {
	l, err := time.LoadLocation(n)
	if err != nil {
		panic(err)
	}
	return l
}

func testMeta() Meta {
	t := time.Date(2022, 2, 23, 15, 0, 0, 0, rome)
	return Meta{
		Title:    "Convocazione 3º Tavolo <COOPERA> & \"più\"",
		Author:   "ANCI Sicilia",
		Subject:  "Convocazione riunione",
		Keywords: []string{"COOPERA", "convocazione", "città"},
		Creator:  "coopera 1.2.3",
		Producer: "coopera 1.2.3 (fpdf)",
		Lang:     "it-IT",
		Created:  t,
		Modified: t.Add(time.Hour),
	}
}

// build options for a small fpdf document.
type build struct {
	intent bool // AddOutputIntent with the sRGB profile
	xmp    bool // SetXmpMetadata(XMP(meta))
	links  bool // an external and an internal link
	image  bool // a PNG with alpha (soft mask)
	pages  int
	text   string
	letter bool // US Letter instead of A4
	plain  bool // streams left uncompressed
}

func testPNG(w, h int, alpha bool) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if alpha {
				a = uint8(x * 255 / w)
			}
			img.Set(x, y, color.NRGBA{uint8(x * 7), uint8(y * 5), 120, a})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func makePDF(t testing.TB, o build) []byte {
	t.Helper()
	m := testMeta()
	ttf, err := assets.FS.ReadFile("fonts/TitilliumWeb-Regular.ttf")
	if err != nil {
		t.Fatal(err)
	}
	size := "A4"
	if o.letter {
		size = "Letter"
	}
	pdf := fpdf.New("P", "mm", size, "")
	pdf.SetCatalogSort(true)
	pdf.SetCompression(!o.plain)
	pdf.SetCreationDate(m.Created)
	pdf.SetModificationDate(m.Modified)
	pdf.SetLang(m.Lang)
	pdf.SetTitle(m.Title, true)
	pdf.SetAuthor(m.Author, true)
	if o.xmp {
		pdf.SetXmpMetadata(XMP(m))
	}
	if o.intent {
		pdf.AddOutputIntent(fpdf.OutputIntentType{
			SubtypeIdent:              fpdf.OutputIntent_GTS_PDFA1,
			OutputConditionIdentifier: "sRGB",
			Info:                      "sRGB IEC61966-2.1",
			ICCProfile:                SRGBProfile(),
		})
	}
	pdf.AddUTF8FontFromBytes("titillium", "", ttf)
	if o.image {
		pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(testPNG(40, 20, true)))
		pdf.RegisterImageOptionsReader("plain", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(testPNG(31, 9, false)))
	}
	pages := max(o.pages, 1)
	text := o.text
	if text == "" {
		text = "Città di Palermo — 3º Tavolo, mercoledì 2 marzo 2022, ore 15:00"
	}
	var internal int
	if o.links {
		internal = pdf.AddLink()
	}
	for p := 1; p <= pages; p++ {
		pdf.AddPage()
		pdf.SetFont("titillium", "", 12)
		pdf.SetTextColor(0, 51, 102)
		pdf.MultiCell(0, 6, text, "", "J", false)
		if o.image {
			pdf.ImageOptions("logo", 10, 60, 40, 0, false, fpdf.ImageOptions{}, 0, "")
			pdf.ImageOptions("plain", 60, 60, 31, 0, false, fpdf.ImageOptions{}, 0, "")
		}
		if o.links {
			pdf.SetXY(10, 100)
			pdf.CellFormat(60, 8, "https://www.anci.sicilia.it", "", 1, "L", false, 0, "https://www.anci.sicilia.it/?a=1&b=(2)")
			pdf.CellFormat(60, 8, "torna all'inizio", "", 1, "L", false, internal, "")
			if p == 1 {
				pdf.SetLink(internal, 0, 1)
			}
		}
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
