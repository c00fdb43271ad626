package pngcheck

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// maxPixels is the loader's and the typesetter's limit.
const maxPixels = 100 << 20

type chunk struct {
	typ  string
	body []byte
}

// split returns the chunks of a PNG made by encodePNG (valid by
// construction).
func split(t testing.TB, data []byte) []chunk {
	t.Helper()
	var out []chunk
	for i := len(signature); i < len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		out = append(out, chunk{string(data[i+4 : i+8]), bytes.Clone(data[i+8 : i+8+n])})
		i += 12 + n
	}
	return out
}

// join writes chunks as a PNG, each with a correct CRC.
func join(chunks []chunk) []byte {
	b := []byte(signature)
	for _, c := range chunks {
		b = binary.BigEndian.AppendUint32(b, uint32(len(c.body)))
		b = append(b, c.typ...)
		b = append(b, c.body...)
		b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(c.typ), c.body...)))
	}
	return b
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// paletted is a w×h image with n colours, in stripes.
func paletted(w, h, n int) *image.Paletted {
	pal := make(color.Palette, n)
	for i := range pal {
		pal[i] = color.RGBA{uint8(i * 37), uint8(i * 91), uint8(255 - i), 255}
	}
	img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for i := range img.Pix {
		img.Pix[i] = uint8((i / 3) % n)
	}
	return img
}

// rgb is an opaque w×h image of noise (which does not compress, so a large
// one spans several IDAT chunks).
func rgb(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 1))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.Uint32())
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	return img
}

// mustDecode is the property Plain promises: what it accepts, image/png
// decodes, with the same size.
func mustDecode(t testing.TB, data []byte, h Header) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Plain accepted a PNG that image/png refuses: %v", err)
	}
	if b := img.Bounds(); b.Dx() != h.Width || b.Dy() != h.Height {
		t.Fatalf("Plain says %d×%d, image/png %d×%d", h.Width, h.Height, b.Dx(), b.Dy())
	}
}

func TestPlainAccepts(t *testing.T) {
	tests := []struct {
		name        string
		data        []byte
		w, h        int
		depth, kind uint8
	}{
		{"palette of 2 (1 bit)", encodePNG(t, paletted(37, 5, 2)), 37, 5, 1, 3},
		{"palette of 4 (2 bits)", encodePNG(t, paletted(9, 7, 4)), 9, 7, 2, 3},
		{"palette of 16 (4 bits)", encodePNG(t, paletted(13, 3, 16)), 13, 3, 4, 3},
		{"palette of 200 (8 bits)", encodePNG(t, paletted(120, 40, 200)), 120, 40, 8, 3},
		{"RGB", encodePNG(t, rgb(31, 17, 1)), 31, 17, 8, 2},
		{"RGB over several IDAT chunks", encodePNG(t, rgb(300, 300, 2)), 300, 300, 8, 2},
	}
	for _, tt := range tests {
		h, ok := Plain(tt.data, maxPixels)
		if !ok {
			t.Errorf("%s: refused", tt.name)
			continue
		}
		if h != (Header{tt.w, tt.h, tt.depth, tt.kind}) {
			t.Errorf("%s: header %+v", tt.name, h)
		}
		mustDecode(t, tt.data, h)
	}
	if n := len(split(t, tests[5].data)); n < 5 {
		t.Fatalf("the large RGB image has %d chunks: it should test several IDAT", n)
	}
	// The logos shipped in data/ are plain.
	logos, _ := filepath.Glob("../../../../data/loghi/*.png")
	if len(logos) == 0 {
		t.Fatal("no logos in data/loghi")
	}
	for _, l := range logos {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		if h, ok := Plain(data, maxPixels); !ok {
			t.Errorf("%s: refused", l)
		} else {
			mustDecode(t, data, h)
		}
	}
}

// TestPlainRefuses edits a valid palette PNG, fixing the CRCs, into files
// that are damaged or not plain.
func TestPlainRefuses(t *testing.T) {
	base := split(t, encodePNG(t, paletted(20, 10, 16))) // IHDR PLTE IDAT IEND
	if len(base) != 4 || base[1].typ != "PLTE" || base[2].typ != "IDAT" {
		t.Fatalf("unexpected chunks %v", base)
	}
	ihdr, plte, idat, iend := base[0], base[1], base[2], base[3]
	withIHDR := func(at int, v byte) chunk {
		c := chunk{"IHDR", bytes.Clone(ihdr.body)}
		c.body[at] = v
		return c
	}
	// rows returns the image data for n rows with the given filter type.
	rows := func(n int, filter byte) []byte {
		var raw bytes.Buffer
		for range n {
			raw.WriteByte(filter)
			raw.Write(make([]byte, 10)) // 20 pixels at 4 bits
		}
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(raw.Bytes())
		w.Close()
		return z.Bytes()
	}
	if _, ok := Plain(join([]chunk{ihdr, plte, {"IDAT", rows(10, 0)}, iend}), maxPixels); !ok {
		t.Fatal("the hand-made rows are refused: the cases below prove nothing")
	}
	half := len(idat.body) / 2
	tests := []struct {
		name   string
		chunks []chunk
	}{
		{"no palette", []chunk{ihdr, idat, iend}},
		{"palette after the data", []chunk{ihdr, idat, plte, iend}},
		{"two palettes", []chunk{ihdr, plte, plte, idat, iend}},
		{"palette larger than 4 bits allow", []chunk{ihdr, {"PLTE", make([]byte, 3*17)}, idat, iend}},
		{"palette of no entries", []chunk{ihdr, {"PLTE", nil}, idat, iend}},
		{"transparency", []chunk{ihdr, plte, {"tRNS", []byte{0}}, idat, iend}},
		{"IHDR not first", []chunk{{"tEXt", []byte("a\x00b")}, ihdr, plte, idat, iend}},
		{"two IHDR", []chunk{ihdr, ihdr, plte, idat, iend}},
		{"short IHDR", []chunk{{"IHDR", ihdr.body[:12]}, plte, idat, iend}},
		{"zero width", []chunk{withIHDR(3, 0), plte, idat, iend}},
		{"interlaced", []chunk{withIHDR(12, 1), plte, idat, iend}},
		{"16-bit", []chunk{withIHDR(8, 16), plte, idat, iend}},
		{"grey", []chunk{withIHDR(9, 0), idat, iend}},
		{"unknown compression", []chunk{withIHDR(10, 1), plte, idat, iend}},
		{"unknown filter method", []chunk{withIHDR(11, 1), plte, idat, iend}},
		{"no data", []chunk{ihdr, plte, iend}},
		{"data split by another chunk", []chunk{ihdr, plte, {"IDAT", idat.body[:half]}, {"tEXt", []byte("a\x00b")}, {"IDAT", idat.body[half:]}, iend}},
		{"data cut short", []chunk{ihdr, plte, {"IDAT", idat.body[:half]}, iend}},
		{"a row too few", []chunk{ihdr, plte, {"IDAT", rows(9, 0)}, iend}},
		{"a row too many", []chunk{ihdr, plte, {"IDAT", rows(11, 0)}, iend}},
		{"filter type 5", []chunk{ihdr, plte, {"IDAT", rows(10, 5)}, iend}},
		{"bytes after the zlib stream", []chunk{ihdr, plte, {"IDAT", append(rows(10, 0), 0)}, iend}},
		{"no IEND", []chunk{ihdr, plte, idat}},
		{"IEND with data", []chunk{ihdr, plte, idat, {"IEND", []byte{0}}}},
	}
	for _, tt := range tests {
		if _, ok := Plain(join(tt.chunks), maxPixels); ok {
			t.Errorf("%s: accepted", tt.name)
		}
	}

	good := join(base)
	if _, ok := Plain(good, maxPixels); !ok {
		t.Fatal("the unedited file is refused")
	}
	// A damaged byte anywhere, CRC left as it was: refused.
	for i := len(signature); i < len(good); i++ {
		bad := bytes.Clone(good)
		bad[i] ^= 0x10
		if h, ok := Plain(bad, maxPixels); ok {
			// Only a change that leaves the file valid may pass: none here,
			// every chunk has a CRC.
			t.Errorf("byte %d changed: accepted as %+v", i, h)
		}
	}
	// Cut anywhere: refused.
	for n := range len(good) {
		if _, ok := Plain(good[:n], maxPixels); ok {
			t.Errorf("cut at %d of %d bytes: accepted", n, len(good))
		}
	}
	// A damaged byte of the image data, CRC fixed: refused (zlib's own
	// checksum, or the inflater, sees it).
	for i := range idat.body {
		body := bytes.Clone(idat.body)
		body[i] ^= 0x01
		if _, ok := Plain(join([]chunk{ihdr, plte, {"IDAT", body}, iend}), maxPixels); ok {
			t.Errorf("image data byte %d changed: accepted", i)
		}
	}
}

func TestPlainLenient(t *testing.T) {
	base := split(t, encodePNG(t, paletted(20, 10, 16)))
	ihdr, plte, idat, iend := base[0], base[1], base[2], base[3]
	third := len(idat.body) / 3
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"data in three chunks", join([]chunk{ihdr, plte, {"IDAT", idat.body[:third]}, {"IDAT", idat.body[third : 2*third]}, {"IDAT", idat.body[2*third:]}, iend})},
		{"an empty data chunk", join([]chunk{ihdr, plte, {"IDAT", nil}, idat, iend})},
		{"text chunks", join([]chunk{ihdr, {"tEXt", []byte("Title\x00Logo")}, plte, idat, {"tEXt", []byte("a\x00b")}, iend})},
		{"bytes after IEND", append(join(base), "trailing"...)},
	} {
		h, ok := Plain(tt.data, maxPixels)
		if !ok {
			t.Errorf("%s: refused", tt.name)
			continue
		}
		mustDecode(t, tt.data, h)
	}
}

// TestPlainLimits: the pixel limit is applied before anything is inflated,
// and a very wide row is checked in pieces, not in a buffer of its size.
func TestPlainLimits(t *testing.T) {
	small := encodePNG(t, paletted(20, 10, 16))
	if _, ok := Plain(small, 199); ok {
		t.Error("20×10 accepted under a limit of 199 pixels")
	}
	if _, ok := Plain(small, 200); !ok {
		t.Error("20×10 refused under a limit of 200 pixels")
	}

	// A header that claims 2^31-1 × 2^31-1 pixels over a few bytes of data.
	base := split(t, small)
	huge := chunk{"IHDR", bytes.Clone(base[0].body)}
	binary.BigEndian.PutUint32(huge.body[0:], 1<<31-1)
	binary.BigEndian.PutUint32(huge.body[4:], 1<<31-1)
	if _, ok := Plain(join([]chunk{huge, base[1], base[2], base[3]}), maxPixels); ok {
		t.Error("a 2^31-1 × 2^31-1 header accepted")
	}

	// One RGB row of 5 million pixels: 15 MB inflated, checked with a
	// fixed buffer.
	const w = 5_000_000
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 1+3*w))
	zw.Close()
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], 1)
	ihdr[8], ihdr[9] = 8, 2
	wide := join([]chunk{{"IHDR", ihdr}, {"IDAT", z.Bytes()}, {"IEND", nil}})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	h, ok := Plain(wide, maxPixels)
	runtime.ReadMemStats(&after)
	if !ok || h.Width != w || h.Height != 1 {
		t.Fatalf("the wide image: %+v, %v", h, ok)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("checking a 15 MB row allocated %d bytes", grew)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(wide)); err != nil || cfg.Width != w {
		t.Errorf("image/png reads the wide image's header as %+v, %v", cfg, err)
	}
}

// TestPlainAllocations: after the first call, a check allocates only the
// list of IDAT chunks, whatever the image's size.
func TestPlainAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	data := encodePNG(t, paletted(200, 200, 48))
	Plain(data, maxPixels)
	if n := testing.AllocsPerRun(20, func() { Plain(data, maxPixels) }); n > 2 {
		t.Errorf("%v allocations per check", n)
	}
}

func BenchmarkPlain(b *testing.B) {
	data := encodePNG(b, paletted(200, 200, 48))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Plain(data, maxPixels); !ok {
			b.Fatal("refused")
		}
	}
}

// FuzzPlain checks Plain's promise: whatever it accepts, image/png decodes
// to an image of the size Plain reports.
func FuzzPlain(f *testing.F) {
	f.Add(encodePNG(f, paletted(20, 10, 16)))
	f.Add(encodePNG(f, paletted(7, 3, 2)))
	f.Add(encodePNG(f, rgb(9, 4, 3)))
	logos, _ := filepath.Glob("../../../../data/loghi/*.png")
	for _, l := range logos {
		if data, err := os.ReadFile(l); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, ok := Plain(data, maxPixels); ok {
			mustDecode(t, data, h)
		}
	})
}
