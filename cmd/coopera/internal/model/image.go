package model

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // logos may be GIFs
	_ "image/jpeg"
	_ "image/png"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pngcheck"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// Limits on logo and signature images; the typesetter normalises what
// passes them. They match the typesetter's own limits.
const (
	MaxImageBytes  = 20 << 20  // file size
	MaxImagePixels = 100 << 20 // width × height, checked on the header before decoding
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
	case int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels:
		return fmt.Errorf("immagine troppo grande (%d×%d pixel, al massimo %d milioni di pixel)", cfg.Width, cfg.Height, MaxImagePixels>>20)
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return fmt.Errorf("immagine %s troncata o danneggiata", format)
	}
	return nil
}
