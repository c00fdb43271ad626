package pngcheck

import (
	"fmt"
	"math"
)

// Limits on every logo and signature image, PNG, JPEG or GIF, shared by
// the loader (which refuses a file beyond them with its key in the
// profile) and the typesetter (which decodes what passes them).
//
// MaxPixels bounds the memory of one letter: decoding holds the whole
// image, and the costliest kinds take about 20 bytes a pixel (a
// progressive CMYK JPEG keeps four 32-bit coefficients a pixel besides its
// 4-byte pixels; an interlaced 16-bit RGBA PNG holds its 8-byte pixels and
// a pass), so 6 million pixels stay near 120 MB, and a letter under
// 200 MB. A logo prints a few centimetres wide and is scaled to at most 600
// pixels high anyway: 6 million pixels is a 3000×2000 image.
const (
	MaxBytes  = 20 << 20  // file size
	MaxPixels = 6_000_000 // width × height, checked on the header before decoding
)

// SizeError is an image over MaxPixels: its message says the image's size
// and the limit, and Hint how to bring it within.
type SizeError struct{ Width, Height int }

func (e *SizeError) Error() string {
	return fmt.Sprintf("immagine troppo grande (%d×%d, cioè %s pixel; al massimo %s pixel)",
		e.Width, e.Height, thousands(int64(e.Width)*int64(e.Height)), thousands(MaxPixels))
}

// Hint names a size within the limit with the image's proportions.
func (e *SizeError) Hint() string {
	w, h := Fit(e.Width, e.Height)
	return fmt.Sprintf("riduci l'immagine a non più di %s pixel in tutto, per esempio a %d×%d mantenendo le proporzioni", thousands(MaxPixels), w, h)
}

// CheckSize returns a *SizeError when a w×h image is beyond MaxPixels.
func CheckSize(w, h int) error {
	if int64(w)*int64(h) > MaxPixels {
		return &SizeError{w, h}
	}
	return nil
}

// Fit is the largest size with w:h's proportions (each side at least one
// pixel) within MaxPixels.
func Fit(w, h int) (int, int) {
	if w <= 0 || h <= 0 || int64(w)*int64(h) <= MaxPixels {
		return w, h
	}
	s := math.Sqrt(float64(MaxPixels) / (float64(w) * float64(h)))
	nw, nh := max(1, int(float64(w)*s)), max(1, int(float64(h)*s))
	for int64(nw)*int64(nh) > MaxPixels {
		if nw >= nh {
			nw--
		} else {
			nh--
		}
	}
	return nw, nh
}

// thousands writes n the Italian way, with a dot between thousands:
// 6.000.000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
