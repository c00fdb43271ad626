package pdf

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// RGB is a colour in 0-255 components.
type RGB [3]int

// Point is a position in points.
type Point struct{ X, Y float64 }

// Doc is a document being drawn: A4 pages measured in points from the top
// left corner, as the typesetter thinks of them.
type Doc struct {
	f       *fpdf.Fpdf
	buf     []byte
	font    string  // font selected in the page's content; "" at a page start or after Q
	size    float64 // its size
	colored bool    // the text object open now is wrapped in q … Q
	array   int     // where its TJ array starts in buf
	shifted bool    // it has moves: a TJ array, not a plain Tj string
	pageH   float64
}

// NewDoc starts an empty document. created is the document's date: fpdf
// writes it, and Finish replaces it with Meta's, so that nothing depends
// on the clock.
func NewDoc(created time.Time) *Doc {
	f := fpdf.New("P", "pt", "A4", "")
	f.SetCompression(false) // Finish compresses every stream, once
	f.SetCatalogSort(true)
	f.SetAutoPageBreak(false, 0)
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	_, h := f.GetPageSize()
	return &Doc{f: f, pageH: h}
}

// PageSize is the page's width and height in points.
func (d *Doc) PageSize() (w, h float64) { return d.f.GetPageSize() }

// AddPage starts a new page.
func (d *Doc) AddPage() {
	d.f.AddPage()
	d.font = ""
}

// Err is the first error fpdf met, if any.
func (d *Doc) Err() error { return d.f.Error() }

// Line draws a straight line in colour c, width points wide.
func (d *Doc) Line(x1, y1, x2, y2 float64, c RGB, width float64) {
	d.f.SetDrawColor(c[0], c[1], c[2])
	d.f.SetLineWidth(width)
	d.f.Line(x1, y1, x2, y2)
}

// FillRect fills a rectangle in colour c.
func (d *Doc) FillRect(x, y, w, h float64, c RGB) {
	d.f.SetFillColor(c[0], c[1], c[2])
	d.f.Rect(x, y, w, h, "F")
	d.f.SetFillColor(0, 0, 0)
}

// FillShapes fills, in colour c, the closed polygon shape (relative to its
// origin, y up) once at each of origins (page positions, y down). The
// outline is written once per copy, moved into place by a translation:
// identical strings compress to little more than one.
func (d *Doc) FillShapes(c RGB, shape []Point, origins []Point) {
	var path []byte
	for k, p := range shape {
		path = appendNumber(path, p.X)
		path = append(path, ' ')
		path = appendNumber(path, p.Y)
		if k == 0 {
			path = append(path, " m "...)
		} else {
			path = append(path, " l "...)
		}
	}
	buf := append(d.buf[:0], "q "...)
	buf = appendColor(buf, c)
	buf = append(buf, '\n')
	for _, o := range origins {
		buf = append(buf, "q 1 0 0 1 "...)
		buf = appendNumber(buf, o.X)
		buf = append(buf, ' ')
		buf = appendNumber(buf, d.pageH-o.Y)
		buf = append(buf, " cm "...)
		buf = append(buf, path...)
		buf = append(buf, "h f Q\n"...)
	}
	buf = append(buf, "Q\n"...)
	d.f.RawWriteStr(string(buf))
	d.buf = buf
}

// Rotated runs draw with the page rotated by angle degrees
// (counter-clockwise) around (cx, cy).
func (d *Doc) Rotated(angle, cx, cy float64, draw func()) {
	d.f.TransformBegin()
	d.f.TransformRotate(angle, cx, cy)
	draw()
	d.f.TransformEnd()
	d.font = "" // a font selected inside the transformation ended with it
}

// Image draws the PNG image png, registered under key (the same key for
// the same bytes), in the box x, y, w, h.
func (d *Doc) Image(key string, png []byte, x, y, w, h float64) error {
	if d.f.GetImageInfo(key) == nil {
		d.f.RegisterImageOptionsReader(key, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
		if err := d.f.Error(); err != nil {
			return fmt.Errorf("immagine non utilizzabile nel PDF: %v", err)
		}
	}
	d.f.ImageOptions(key, x, y, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return nil
}

// Link makes the box x, y, w, h a link to url.
func (d *Doc) Link(x, y, w, h float64, url string) {
	d.f.LinkString(x, y, w, h, url)
}

// BeginText opens a text object at (x, baseline y) in font (a Font's
// Resource) at size, in colour c. Glyph and Shift fill it; EndText closes
// it. Text in another colour than black is wrapped in q … Q, so that the
// fill colour of the drawing stays black.
func (d *Doc) BeginText(font string, size float64, c RGB, x, y float64) {
	buf := d.buf[:0]
	if d.font != font || d.size != size {
		d.font, d.size = font, size
		buf = append(buf, '/')
		buf = append(buf, font...)
		buf = append(buf, ' ')
		buf = appendNumber(buf, size)
		buf = append(buf, " Tf "...)
	}
	d.colored = c != RGB{}
	if d.colored {
		buf = append(buf, "q "...)
		buf = appendColor(buf, c)
		buf = append(buf, ' ')
	}
	buf = append(buf, "BT "...)
	buf = appendNumber(buf, x)
	buf = append(buf, ' ')
	buf = appendNumber(buf, d.pageH-y)
	buf = append(buf, " Td "...)
	d.array, d.shifted = len(buf), false
	d.buf = append(buf, "[("...)
}

// Glyph adds the glyph of code to the open text object.
func (d *Doc) Glyph(code uint16) {
	for _, by := range [2]byte{byte(code >> 8), byte(code)} {
		switch by {
		case '(', ')', '\\':
			d.buf = append(d.buf, '\\', by)
		case '\r':
			d.buf = append(d.buf, '\\', 'r')
		default:
			d.buf = append(d.buf, by)
		}
	}
}

// Shift moves the pen of the open text object right by thousandths of an
// em (left when negative).
func (d *Doc) Shift(thousandths float64) {
	if thousandths == 0 {
		return
	}
	d.buf = append(d.buf, ')')
	d.buf = strconv.AppendFloat(d.buf, -thousandths, 'f', -1, 64)
	d.buf = append(d.buf, '(')
	d.shifted = true
}

// EndText closes the text object BeginText opened.
func (d *Doc) EndText() {
	buf := d.buf
	if d.shifted {
		buf = append(buf, ")] TJ ET"...)
	} else { // a plain string: drop the array's bracket
		buf = append(buf[:d.array], buf[d.array+1:]...)
		buf = append(buf, ") Tj ET"...)
	}
	if d.colored {
		buf = append(buf, " Q"...)
	}
	d.f.RawWriteStr(string(buf))
	d.buf = buf
}

// appendNumber appends v rounded to two decimals (a hundredth of a point is
// 3.5 µm), as fpdf writes coordinates, without trailing zeros.
func appendNumber(buf []byte, v float64) []byte {
	start := len(buf)
	buf = strconv.AppendFloat(buf, v, 'f', 2, 64)
	for buf[len(buf)-1] == '0' {
		buf = buf[:len(buf)-1]
	}
	if buf[len(buf)-1] == '.' {
		buf = buf[:len(buf)-1]
	}
	if string(buf[start:]) == "-0" {
		buf = append(buf[:start], '0')
	}
	return buf
}

// appendColor appends the operator that sets the fill colour to c: gray
// when its components are equal.
func appendColor(buf []byte, c RGB) []byte {
	comp := func(v int) { buf = strconv.AppendFloat(buf, math.Round(float64(v)/255*1000)/1000, 'f', -1, 64) }
	if c[0] == c[1] && c[1] == c[2] {
		comp(c[0])
		return append(buf, " g"...)
	}
	comp(c[0])
	buf = append(buf, ' ')
	comp(c[1])
	buf = append(buf, ' ')
	comp(c[2])
	return append(buf, " rg"...)
}
