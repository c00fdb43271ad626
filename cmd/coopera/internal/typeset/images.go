package typeset

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // logos may be GIFs
	_ "image/jpeg"
	"image/png"
	"io"
	"os"
	"sync"

	xdraw "golang.org/x/image/draw"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pngcheck"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Limits on logo and signature images.
const (
	MaxImageBytes  = 20 << 20  // file size
	MaxImagePixels = 100 << 20 // width × height before decoding (a 20000×20000 image is refused)
	maxImageHeight = 600       // pixels kept: 16 mm at ~950 dpi, more than any printer resolves
)

// picture is an image ready for PDF/A: a PNG with no alpha, no transparency
// key and no interlacing, at most maxImageHeight pixels high, either the
// source file itself (an opaque palette or RGB PNG, embedded as it is: a
// palette PNG stays an /Indexed image a third the size of its RGB copy,
// and nothing is decoded or re-encoded) or a normalised 8-bit RGB copy on
// white.
type picture struct {
	png  []byte
	w, h int
}

type imageKey struct {
	path string
	size int64
	mod  int64
}

var imageCache sync.Map // imageKey → *picture

// loadPicture reads, checks and normalises an image file once per process.
func loadPicture(path string) (*picture, error) {
	// A pipe or a device is refused before anything waits on it.
	if e, ok := safefile.As(safefile.Check(path, -1)); ok {
		return nil, fmt.Errorf("immagine %s: %s", path, e.Reason())
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("immagine %s: %v", path, err)
	}
	key := imageKey{path, st.Size(), st.ModTime().UnixNano()}
	if p, ok := imageCache.Load(key); ok {
		return p.(*picture), nil
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("immagine %s: il file è vuoto", path)
	}
	if st.Size() > MaxImageBytes {
		return nil, fmt.Errorf("immagine %s: il file è troppo grande (%d MB, al massimo %d MB)", path, st.Size()>>20, MaxImageBytes>>20)
	}
	data, err := safefile.Read(path, MaxImageBytes)
	if e, ok := safefile.As(err); ok {
		return nil, fmt.Errorf("immagine %s: %s", path, e.Reason())
	}
	p, err := normalise(data)
	if err != nil {
		return nil, fmt.Errorf("immagine %s: %v", path, err)
	}
	imageCache.Store(key, p)
	return p, nil
}

func normalise(data []byte) (*picture, error) {
	if p := embeddable(data); p != nil {
		return p, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return nil, errors.New("non è un'immagine PNG, JPEG o GIF")
		}
		return nil, fmt.Errorf("immagine illeggibile o troncata (%v)", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errors.New("immagine senza dimensioni")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, fmt.Errorf("immagine troppo grande (%d×%d pixel, al massimo %d milioni di pixel): riducila prima di usarla",
			cfg.Width, cfg.Height, MaxImagePixels>>20)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("immagine %s troncata", format)
		}
		return nil, fmt.Errorf("immagine %s illeggibile (%v)", format, err)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if h > maxImageHeight {
		w, h = max(1, w*maxImageHeight/h), maxImageHeight
	}
	// Flatten on white: the letterhead is white, and an opaque RGB image
	// needs no soft mask (simpler PDF/A, smaller file). CMYK, 16-bit,
	// palette and grey images all come out as 8-bit RGB.
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	} else {
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	}
	return encode(dst)
}

// embeddable returns data as a picture when fpdf can embed the PNG's
// compressed pixels unchanged and PDF/A allows them: a plain PNG (8-bit RGB
// or a palette of at most 8 bits, no tRNS, not interlaced), whole with
// image data that inflates to exactly the rows the header announces
// (pngcheck.Plain), and small enough. It returns nil for everything else,
// which normalise converts.
func embeddable(data []byte) *picture {
	h, ok := pngcheck.Plain(data, MaxImagePixels)
	if !ok || h.Height > maxImageHeight {
		return nil
	}
	return &picture{png: data, w: h.Width, h: h.Height}
}

// opaque drops the alpha channel the encoder would otherwise keep.
type opaque struct{ *image.RGBA }

func (o opaque) Opaque() bool { return true }

func encode(img *image.RGBA) (*picture, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, opaque{img}); err != nil {
		return nil, err
	}
	b := img.Bounds()
	return &picture{png: buf.Bytes(), w: b.Dx(), h: b.Dy()}, nil
}

// widened returns p one pixel wider (a white column), for the rare case
// of two different images of equal width in one document: fpdf orders
// images by width alone, so equal widths would make the output order, and
// the bytes, vary between runs.
func (p *picture) widened() (*picture, error) {
	img, err := png.Decode(bytes.NewReader(p.png))
	if err != nil {
		return nil, err
	}
	dst := image.NewRGBA(image.Rect(0, 0, p.w+1, p.h))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, img.Bounds(), img, image.Point{}, draw.Over)
	return encode(dst)
}
