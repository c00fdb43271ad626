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
	"runtime"
	"sync"

	xdraw "golang.org/x/image/draw"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pngcheck"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Limits on logo and signature images.
const (
	MaxImageBytes  = pngcheck.MaxBytes  // file size
	MaxImagePixels = pngcheck.MaxPixels // width × height before decoding
	maxImageHeight = 600                // pixels kept: 16 mm at ~950 dpi, more than any printer resolves
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
	if err := pngcheck.CheckSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	p, err := decodeScaled(data, format)
	if int64(cfg.Width)*int64(cfg.Height) > 1<<20 {
		// The source pixels are garbage now: collect them before the next
		// image or the PDF's own buffers grow the heap on top of them.
		runtime.GC()
	}
	return p, err
}

// decodeScaled decodes an image, flattens it on white and scales it to at
// most maxImageHeight pixels high.
func decodeScaled(data []byte, format string) (*picture, error) {
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
	switch {
	case w == b.Dx() && h == b.Dy():
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	case b.Dy() >= 2*h:
		shrink(dst, img)
	default:
		// Less than halved: bilinear needs no buffer (a kernel scaler
		// would take 32 bytes for every destination column and source
		// row, gigabytes for a wide image).
		xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	}
	return encode(dst)
}

// shrink scales src down into dst, which is white, by averaging: every
// source pixel counts towards the destination pixel it falls in, and is
// laid over white. dst must be at most as wide and as high as src. It reads
// src one row at a time, so it takes memory for one source row and one
// destination row of sums besides dst, and time in proportion to src.
func shrink(dst *image.RGBA, src image.Image) {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	w, h := dst.Bounds().Dx(), dst.Bounds().Dy()
	row := image.NewRGBA(image.Rect(0, 0, sw, 1))
	sums := make([]uint64, 5*w) // premultiplied r, g, b, a and a count per column
	flush := func(y int) {
		out := dst.Pix[y*dst.Stride:]
		for x := range w {
			s := sums[5*x : 5*x+5]
			n := max(s[4], 1)
			a := (s[3] + n/2) / n
			for c := range 3 {
				out[4*x+c] = uint8(min(255, (s[c]+n/2)/n+255-a))
			}
			out[4*x+3] = 255
		}
		clear(sums)
	}
	y := 0
	for sy := range sh {
		if ty := sy * h / sh; ty != y {
			flush(y)
			y = ty
		}
		draw.Draw(row, row.Bounds(), src, image.Pt(b.Min.X, b.Min.Y+sy), draw.Src)
		for sx := range sw {
			s := sums[5*(sx*w/sw):]
			p := row.Pix[4*sx : 4*sx+4]
			s[0] += uint64(p[0])
			s[1] += uint64(p[1])
			s[2] += uint64(p[2])
			s[3] += uint64(p[3])
			s[4]++
		}
	}
	flush(y)
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
