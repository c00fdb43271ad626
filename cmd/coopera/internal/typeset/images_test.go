package typeset

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"os"
	"testing"
)

// deflated returns raw zlib-compressed.
func deflated(raw []byte) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw)
	zw.Close()
	return z.Bytes()
}

// pngWith builds an 8-bit palette PNG of w×h pixels with idat as its image
// data.
func pngWith(w, h int, idat []byte) []byte {
	chunk := func(b *bytes.Buffer, typ string, data []byte) {
		binary.Write(b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 3 // 8-bit palette
	chunk(&b, "IHDR", ihdr)
	chunk(&b, "PLTE", []byte{0, 0, 0, 255, 255, 255})
	chunk(&b, "IDAT", idat)
	chunk(&b, "IEND", nil)
	return b.Bytes()
}

func TestEmbeddable(t *testing.T) {
	for _, f := range []string{"citta-di-palermo.png", "ministero-interno.png"} {
		data, err := os.ReadFile("../../../../data/loghi/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if embeddable(data) == nil {
			t.Errorf("%s is not embedded as it is", f)
		}
	}
	// rows returns n rows of 4 pixels, each after the filter type byte.
	rows := func(filter byte, n int) []byte {
		var raw []byte
		for range n {
			raw = append(raw, filter, 0, 1, 1, 0)
		}
		return raw
	}
	good := deflated(rows(0, 3))
	if embeddable(pngWith(4, 3, good)) == nil {
		t.Error("a well-formed palette PNG is not embedded as it is")
	}
	for name, idat := range map[string][]byte{
		"a row missing":   deflated(rows(0, 2)),
		"a row too many":  deflated(rows(0, 4)),
		"bad filter type": deflated(rows(7, 3)),
		"truncated data":  good[:len(good)-6],
	} {
		data := pngWith(4, 3, idat)
		if embeddable(data) != nil {
			t.Errorf("%s: embedded as it is", name)
		}
		if _, err := normalise(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestShrink: averaging down keeps a colour, lays transparency over white
// and mixes neighbours in proportion.
func TestShrink(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 40 {
			switch {
			case x < 20:
				src.SetNRGBA(x, y, color.NRGBA{200, 0, 0, 255}) // opaque red
			case x < 30:
				src.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 0}) // transparent
			default:
				src.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 255}) // black
			}
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, 4, 2))
	shrink(dst, src)
	want := []color.RGBA{{200, 0, 0, 255}, {200, 0, 0, 255}, {255, 255, 255, 255}, {0, 0, 0, 255}}
	for y := range 2 {
		for x := range 4 {
			if got := dst.RGBAAt(x, y); got != want[x] {
				t.Errorf("pixel %d,%d = %v, want %v", x, y, got, want[x])
			}
		}
	}
}
