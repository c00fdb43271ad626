package model

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // logos may be GIFs
	_ "image/jpeg"
	_ "image/png"
	"runtime"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pngcheck"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Limits on logo and signature images (pngcheck.MaxBytes and MaxPixels);
// the typesetter normalises what passes them, under the same limits.
const (
	MaxImageBytes  = pngcheck.MaxBytes
	MaxImagePixels = pngcheck.MaxPixels
)

// checkImage makes sure a logo or signature is a readable PNG, JPEG or GIF
// within the limits, so that a bad file is reported with its key in the
// profile rather than silently missing from the letterhead.
func checkImage(path string) error {
	data, err := safefile.Read(path, MaxImageBytes)
	if e, ok := safefile.As(err); ok {
		if e.Kind == safefile.TooBig && e.Size >= 0 {
			return fmt.Errorf("il file è troppo grande (%d MB, al massimo %d MB)", e.Size>>20, MaxImageBytes>>20)
		}
		return errors.New(e.Reason())
	}
	if len(data) == 0 {
		return errors.New("il file è vuoto")
	}
	// A plain PNG, the usual logo, is checked whole without decoding its
	// pixels; any other file is decoded, which also finds what is wrong.
	if _, ok := pngcheck.Plain(data, MaxImagePixels); ok {
		return nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case errors.Is(err, image.ErrFormat):
		return errors.New("non è un'immagine PNG, JPEG o GIF")
	case err != nil:
		return errors.New("immagine illeggibile o troncata")
	case cfg.Width <= 0 || cfg.Height <= 0:
		return errors.New("immagine senza dimensioni")
	}
	if err := pngcheck.CheckSize(cfg.Width, cfg.Height); err != nil {
		return err
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("immagine %s troncata o danneggiata", format)
	}
	if int64(cfg.Width)*int64(cfg.Height) > 1<<20 {
		// The decoded pixels are garbage now, but the heap's next goal was
		// set while they were live: without a collection here, the
		// typesetter's own decoding of the same file would come on top.
		runtime.GC()
	}
	return nil
}
