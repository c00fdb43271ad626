package main

// Bounded memory: one letter (convoca) and one check of the data (valida)
// stay under 200 MB whatever the logo, for the costliest images just
// inside the pixel limit; an image just over it is refused with its size,
// the limit and a size to reduce it to. The real binary runs in a
// subprocess, and its peak resident memory comes from the kernel.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pngcheck"
)

const maxLetterRSS = 200 << 20

// Just inside the limit: 3000×2000 is exactly pngcheck.MaxPixels.
const limitW, limitH = 3000, 2000

func TestImageLimitMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds coopera and decodes images of 6 million pixels")
	}
	if runtime.GOOS != "linux" {
		t.Skip("peak memory from rusage is read on Linux")
	}
	if limitW*limitH != pngcheck.MaxPixels {
		t.Fatalf("the test images are %d pixels, the limit is %d", limitW*limitH, pngcheck.MaxPixels)
	}
	bin := buildCoopera(t)
	images := map[string][]byte{
		"rgb8.png":         encodePNG(t, image.NewRGBA(image.Rect(0, 0, limitW, limitH))),
		"rgba16.png":       encodePNG(t, image.NewNRGBA64(image.Rect(0, 0, limitW, limitH))),
		"rgba16-adam7.png": interlacedRGBA16(limitW, limitH),
		"ycbcr.jpg":        encodeJPEG(t, limitW, limitH),
		"wide16.png":       interlacedRGBA16(limitW*limitH/601, 601), // a bilinear scale, not halved
	}
	for name, data := range images {
		t.Run(name, func(t *testing.T) {
			dir := letterData(t, data)
			for _, args := range [][]string{
				{"convoca", "--bozza", "-q", "-o", filepath.Join(dir, "out"), filepath.Join(dir, "tavoli", "t.yaml")},
				{"valida", dir},
			} {
				rss, stderr, err := runRSS(bin, args...)
				if err != nil {
					t.Fatalf("coopera %s: %v\n%s", args[0], err, stderr)
				}
				t.Logf("coopera %s: peak %d MB", args[0], rss>>20)
				if rss >= maxLetterRSS {
					t.Errorf("coopera %s with a %s of %d×%d: peak memory %d MB, want under %d MB", args[0], name, limitW, limitH, rss>>20, maxLetterRSS>>20)
				}
			}
			if pdfs, _ := filepath.Glob(filepath.Join(dir, "out", "*.pdf")); len(pdfs) != 1 {
				t.Errorf("convoca wrote %v, want one letter", pdfs)
			}
		})
	}
	t.Run("over the limit", func(t *testing.T) {
		dir := letterData(t, pngHeader(limitW, limitH+1))
		_, stderr, err := runRSS(bin, "convoca", "--bozza", "-o", filepath.Join(dir, "out"), filepath.Join(dir, "tavoli", "t.yaml"))
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 {
			t.Fatalf("convoca with a 3000×2001 logo: %v, want exit code 1\n%s", err, stderr)
		}
		for _, want := range []string{
			"progetto.yaml:", "carta_intestata.loghi[2].immagine: ",
			"immagine troppo grande (3000×2001, cioè 6.003.000 pixel; al massimo 6.000.000 pixel)",
			"suggerimento: riduci l'immagine a non più di 6.000.000 pixel in tutto, per esempio a 2999×2000 mantenendo le proporzioni",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("message without %q:\n%s", want, stderr)
			}
		}
		if pdfs, _ := filepath.Glob(filepath.Join(dir, "out", "*")); len(pdfs) != 0 {
			t.Errorf("convoca wrote %v", pdfs)
		}
	})
}

// BenchmarkImageLimit times one letter whose logo is the costliest image
// just inside the limit (an interlaced 16-bit RGBA PNG), in a subprocess:
// it should take well under 2 s.
func BenchmarkImageLimit(b *testing.B) {
	bin := buildCoopera(b)
	dir := letterData(b, interlacedRGBA16(limitW, limitH))
	var rss int64
	for b.Loop() {
		var stderr string
		var err error
		rss, stderr, err = runRSS(bin, "convoca", "--bozza", "-q", "-o", filepath.Join(dir, "out"), filepath.Join(dir, "tavoli", "t.yaml"))
		if err != nil {
			b.Fatalf("%v\n%s", err, stderr)
		}
	}
	b.ReportMetric(float64(rss>>20), "peak-MB")
}

// buildCoopera builds the command into a temporary folder.
func buildCoopera(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "coopera")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runRSS runs the binary and returns its peak resident memory in bytes.
// On Linux a child's peak counts from its parent's peak (the fork shares
// its memory until exec), and this test process is not small: so the
// binary runs under a trampoline, this test binary re-executed at once
// (rssTrampoline), which reads the peak and writes it to a file.
func runRSS(bin string, args ...string) (int64, string, error) {
	out, err := os.CreateTemp("", "coopera-rss-")
	if err != nil {
		return 0, "", err
	}
	out.Close()
	defer os.Remove(out.Name())
	cmd := exec.Command(os.Args[0], append([]string{bin}, args...)...)
	cmd.Env = append(os.Environ(), rssEnv+"="+out.Name())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	data, _ := os.ReadFile(out.Name())
	rss, _ := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if rss == 0 && err == nil {
		err = fmt.Errorf("no peak memory from the trampoline")
	}
	return rss, stderr.String(), err
}

const rssEnv = "COOPERA_TEST_RSS_FILE"

// rssTrampoline runs, before any test, when runRSS re-executes the test
// binary: it runs the command of its arguments, writes the command's peak
// resident memory (rusage Maxrss, in kilobytes on Linux) in bytes to the
// file that rssEnv names, and exits with the command's exit code.
func init() {
	file := os.Getenv(rssEnv)
	if file == "" {
		return
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		os.WriteFile(file, []byte(strconv.FormatInt(ru.Maxrss<<10, 10)), 0o644)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}

// letterData copies data/'s profile and logos into a temporary folder with
// logo as the Palermo logo, and one meeting file.
func letterData(tb testing.TB, logo []byte) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, d := range []string{"loghi", "tavoli", "out"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	copyFile := func(rel string) {
		data, err := os.ReadFile(filepath.Join("..", "..", "data", rel))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	copyFile("progetto.yaml")
	copyFile("loghi/ministero-interno.png")
	if err := os.WriteFile(filepath.Join(dir, "loghi", "citta-di-palermo.png"), logo, 0o644); err != nil {
		tb.Fatal(err)
	}
	meeting := "titolo: Prova\ndata: 2022-03-02\nora: \"10:00-12:00\"\nmodalita: videoconferenza\n"
	if err := os.WriteFile(filepath.Join(dir, "tavoli", "t.yaml"), []byte(meeting), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// The test images are written from pixels computed on the fly: the test
// process must stay small, since a child's peak memory as Linux reports it
// starts from its parent's peak (the fork shares it).

// synth is an image of w×h pixels of color model m, computed from x and y.
type synth struct {
	w, h int
	m    color.Model
}

func (s synth) ColorModel() color.Model { return s.m }
func (s synth) Bounds() image.Rectangle { return image.Rect(0, 0, s.w, s.h) }
func (s synth) At(x, y int) color.Color {
	v := uint16((x*7 + y*13) % 65521)
	switch s.m {
	case color.NRGBA64Model:
		return color.NRGBA64{v, v >> 1, v >> 2, 0xffff - v>>3}
	}
	return color.RGBA{uint8(v), uint8(v >> 3), uint8(v >> 5), 0xff}
}

func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, synth{w, h, color.RGBAModel}, &jpeg.Options{Quality: 50}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// interlacedRGBA16 is an Adam7-interlaced 16-bit RGBA PNG, the PNG that
// takes the most memory to decode (image/png cannot write one): opaque
// grey rows.
func interlacedRGBA16(w, h int) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	passes := [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
	for _, p := range passes {
		pw, ph := (w-p[0]+p[2]-1)/p[2], (h-p[1]+p[3]-1)/p[3]
		if pw <= 0 || ph <= 0 {
			continue
		}
		row := append([]byte{0}, bytes.Repeat([]byte{0x80, 0, 0x80, 0, 0x80, 0, 0xff, 0xff}, pw)...)
		for range ph {
			zw.Write(row)
		}
	}
	zw.Close()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, body []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(body)))
		c := append([]byte(typ), body...)
		b.Write(c)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9], ihdr[12] = 16, 6, 1 // 16-bit RGBA, Adam7
	chunk("IHDR", ihdr)
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}
