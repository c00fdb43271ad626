// Package pngcheck tells, without decoding its pixels into an image,
// whether a PNG file is whole and of the plain kind a PDF takes as it is.
//
// Logos come as such files. The loader must refuse a damaged one with its
// key in the profile, and the typesetter embeds a plain one's compressed
// rows unchanged; before this package each decoded the file in full, which
// for a one-letter run meant a few hundred kilobytes of fresh memory and
// two inflaters per logo. Plain inflates the rows through one pooled
// inflater into one row buffer instead.
package pngcheck

import (
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
)

// Header is what Plain reports of a plain PNG.
type Header struct {
	Width, Height int
	Depth         uint8 // bits per sample: 8 for RGB; 1, 2, 4 or 8 for a palette
	ColorType     uint8 // 2 RGB, 3 palette
}

// Stride is the length of one row of the image data: a filter type byte
// and the row's packed samples.
func (h Header) Stride() int {
	bits := int(h.Depth)
	if h.ColorType == 2 {
		bits *= 3
	}
	return 1 + (h.Width*bits+7)/8
}

const signature = "\x89PNG\r\n\x1a\n"

// Plain reports whether data is an intact PNG of the plainest kind: 8-bit
// RGB, or a palette of at most 8 bits, not interlaced and with no tRNS
// chunk. Intact means: the signature; every chunk whole, with a valid CRC;
// IHDR first and valid; for a palette image a PLTE of at most 2^depth
// entries before the image data; the IDAT chunks in one run; IEND; and the
// image data a zlib stream, checksum included, that inflates to exactly
// the rows the header announces, each starting with a filter type 0-4.
// An image of more than maxPixels pixels is refused before anything is
// inflated, and inflating takes a fixed buffer whatever the image's width.
// Whatever Plain accepts, image/png decodes (FuzzPlain); for everything
// else it returns false, and the caller decodes the file to learn more.
func Plain(data []byte, maxPixels int64) (Header, bool) {
	var h Header
	if len(data) < len(signature) || string(data[:len(signature)]) != signature {
		return h, false
	}
	var idat [][]byte
	sawPLTE, inIDAT, doneIDAT := false, false, false
	for i, first := len(signature), true; ; first = false {
		if len(data)-i < 12 {
			return h, false // a chunk is at least length, type and CRC
		}
		n := binary.BigEndian.Uint32(data[i:])
		if n > uint32(len(data)-i-12) {
			return h, false
		}
		typ, body := string(data[i+4:i+8]), data[i+8:i+8+int(n)]
		if crc32.ChecksumIEEE(data[i+4:i+8+int(n)]) != binary.BigEndian.Uint32(data[i+8+int(n):]) {
			return h, false
		}
		i += 12 + int(n)
		if first != (typ == "IHDR") {
			return h, false
		}
		if inIDAT && typ != "IDAT" {
			inIDAT, doneIDAT = false, true
		}
		switch typ {
		case "IHDR":
			if !header(body, &h) || int64(h.Width)*int64(h.Height) > maxPixels {
				return h, false
			}
		case "PLTE":
			entries := len(body) / 3
			if sawPLTE || inIDAT || doneIDAT || len(body)%3 != 0 || entries == 0 || entries > 1<<h.Depth {
				return h, false
			}
			sawPLTE = true
		case "tRNS":
			return h, false
		case "IDAT":
			if doneIDAT || (h.ColorType == 3 && !sawPLTE) {
				return h, false
			}
			inIDAT = true
			idat = append(idat, body)
		case "IEND":
			return h, n == 0 && len(idat) > 0 && rowsIntact(idat, h.Stride(), h.Height)
		}
	}
}

// header decodes IHDR into h and reports whether it describes a plain
// image.
func header(b []byte, h *Header) bool {
	if len(b) != 13 {
		return false
	}
	w, ht := binary.BigEndian.Uint32(b[0:]), binary.BigEndian.Uint32(b[4:])
	depth, ctype, compression, filter, interlace := b[8], b[9], b[10], b[11], b[12]
	// PNG caps both sides at 2^31-1; a larger value is a damaged header.
	if w == 0 || ht == 0 || w > 1<<31-1 || ht > 1<<31-1 || compression != 0 || filter != 0 || interlace != 0 {
		return false
	}
	switch {
	case ctype == 2 && depth == 8:
	case ctype == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8):
	default:
		return false
	}
	*h = Header{Width: int(w), Height: int(ht), Depth: depth, ColorType: ctype}
	return true
}

// inflater is a zlib reader, its source and a buffer, kept between calls.
type inflater struct {
	src chunks
	zr  io.ReadCloser
	buf [4096]byte
}

var inflaters = sync.Pool{New: func() any { return new(inflater) }}

// rowsIntact reports whether the IDAT chunks together are a zlib stream
// that inflates to exactly rows rows of stride bytes, each starting with a
// PNG filter type (0-4), and that ends there with a valid checksum and no
// byte after it. A row longer than the buffer is read in pieces.
func rowsIntact(idat [][]byte, stride, rows int) bool {
	f := inflaters.Get().(*inflater)
	defer func() {
		f.src.parts = nil // the pool keeps no reference to the caller's data
		inflaters.Put(f)
	}()
	f.src.parts = idat
	if f.zr == nil {
		zr, err := zlib.NewReader(&f.src)
		if err != nil {
			return false
		}
		f.zr = zr
	} else if err := f.zr.(zlib.Resetter).Reset(&f.src, nil); err != nil {
		return false
	}
	for range rows {
		for left := stride; left > 0; {
			piece := f.buf[:min(left, len(f.buf))]
			if _, err := io.ReadFull(f.zr, piece); err != nil || (left == stride && piece[0] > 4) {
				return false
			}
			left -= len(piece)
		}
	}
	n, err := f.zr.Read(f.buf[:1])
	return n == 0 && err == io.EOF && f.src.empty()
}

// chunks reads the IDAT chunks' data one after the other. It is an
// io.ByteReader, so the inflater reads no further than the zlib stream
// goes and empty tells whether bytes follow it.
type chunks struct{ parts [][]byte }

func (c *chunks) next() bool {
	for len(c.parts) > 0 && len(c.parts[0]) == 0 {
		c.parts = c.parts[1:]
	}
	return len(c.parts) > 0
}

func (c *chunks) empty() bool { return !c.next() }

func (c *chunks) Read(p []byte) (int, error) {
	if !c.next() {
		return 0, io.EOF
	}
	n := copy(p, c.parts[0])
	c.parts[0] = c.parts[0][n:]
	return n, nil
}

func (c *chunks) ReadByte() (byte, error) {
	if !c.next() {
		return 0, io.EOF
	}
	b := c.parts[0][0]
	c.parts[0] = c.parts[0][1:]
	return b, nil
}
