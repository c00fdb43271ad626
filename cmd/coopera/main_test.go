package main

// End-to-end tests: the scripts in testdata/script run the real coopera
// command (this test binary, re-executed as "coopera") on a copy of the
// repository's data folder, so they exercise exactly what a user runs.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/cli"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"coopera": func() {
			// A script may shorten the templates' time limit, so that
			// testing it does not wait the real five seconds.
			if d, err := time.ParseDuration(os.Getenv("COOPERA_TEST_TEMPO_MODELLI")); err == nil {
				compose.ExecTimeout = d
			}
			os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:   filepath.Join("testdata", "script"),
		Setup: setup,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status":  cmdStatus,
			"empty":   cmdEmpty,
			"mkimage": cmdMkimage,
			"mkbig":   cmdMkbig,
			"pdftext": cmdPdftext,
			"nobytes": cmdNobytes,
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("condizione sconosciuta %q", cond)
		},
	})
}

// setup gives every script the repository's data folder in $WORK/data,
// the embedded templates in $WORK/modelli-incorporati and the image
// fixtures in $WORK/fixtures. Files the script's archive already holds
// win: a script overrides a data file by carrying its own.
func setup(env *testscript.Env) error {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return err
	}
	copies := []struct{ from, to, suffix string }{
		{filepath.Join(root, "data"), "data", ""},
		{filepath.Join(root, "templates"), "modelli-incorporati", ".tmpl"},
		{filepath.Join("testdata", "fixtures"), "fixtures", ""},
	}
	for _, c := range copies {
		if err := copyTree(c.from, filepath.Join(env.WorkDir, c.to), c.suffix); err != nil {
			return err
		}
	}
	return nil
}

func copyTree(from, to, suffix string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !strings.HasSuffix(p, suffix) {
			return nil
		}
		if _, err := os.Stat(dst); err == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

// cmdStatus runs a command and checks its exit code:
//
//	status CODE coopera ARGS...
//
// stdout and stderr are then available to the stdout/stderr commands.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("status: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

// cmdEmpty checks that a folder holds no file at all (not even a
// temporary one left behind by an interrupted write).
func cmdEmpty(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: empty DIR")
	}
	entries, err := os.ReadDir(ts.MkAbs(args[0]))
	ts.Check(err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	switch {
	case !neg && len(names) > 0:
		ts.Fatalf("%s is not empty: %s", args[0], strings.Join(names, ", "))
	case neg && len(names) == 0:
		ts.Fatalf("%s is empty", args[0])
	}
}

// cmdMkimage writes an image of the given kind:
//
//	mkimage KIND FILE
//
// Kinds that must work: png8, png16, gray, palette (with transparency),
// gif. Kinds that must be refused: empty, text, truncated, huge (only the
// header of a 20000×20000 PNG: decoders read the size from it).
func cmdMkimage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkimage KIND FILE")
	}
	data, err := makeImage(args[0])
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}

func makeImage(kind string) ([]byte, error) {
	const w, h = 40, 20
	var buf bytes.Buffer
	switch kind {
	case "png8":
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		fill(img, func(x, y int) color.Color { return color.RGBA{uint8(x * 6), 80, uint8(y * 12), 255} })
		err := png.Encode(&buf, img)
		return buf.Bytes(), err
	case "png16":
		img := image.NewRGBA64(image.Rect(0, 0, w, h))
		fill(img, func(x, y int) color.Color { return color.RGBA64{uint16(x * 1500), 20000, uint16(y * 3000), 0xffff} })
		err := png.Encode(&buf, img)
		return buf.Bytes(), err
	case "gray":
		img := image.NewGray16(image.Rect(0, 0, w, h))
		fill(img, func(x, y int) color.Color { return color.Gray16{uint16(x * 1500)} })
		err := png.Encode(&buf, img)
		return buf.Bytes(), err
	case "palette":
		pal := color.Palette{color.RGBA{0, 0, 0, 0}, color.RGBA{0, 51, 153, 255}, color.RGBA{255, 204, 0, 255}}
		img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		fill(img, func(x, y int) color.Color { return pal[(x/8+y/5)%3] })
		err := png.Encode(&buf, img)
		return buf.Bytes(), err
	case "gif":
		img := image.NewPaletted(image.Rect(0, 0, w, h), palette.Plan9)
		fill(img, func(x, y int) color.Color { return color.RGBA{uint8(x * 6), 0, 200, 255} })
		err := gif.Encode(&buf, img, nil)
		return buf.Bytes(), err
	case "truncated":
		good, err := makeImage("png8")
		return good[:len(good)/2], err
	case "empty":
		return nil, nil
	case "text":
		return []byte("questa non è un'immagine\n"), nil
	case "huge":
		return pngHeader(20000, 20000), nil
	}
	return nil, fmt.Errorf("mkimage: unknown kind %q", kind)
}

func fill(img interface{ Set(x, y int, c color.Color) }, f func(x, y int) color.Color) {
	for y := 0; y < 20; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, f(x, y))
		}
	}
}

// pngHeader is a PNG signature and IHDR chunk for an 8-bit RGB image of the
// given size, with no pixel data: enough for image.DecodeConfig.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit depth, RGB
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// cmdMkbig writes a YAML-looking file of the given size in megabytes, so
// that no large file is committed.
func cmdMkbig(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkbig FILE MEGABYTES")
	}
	mb, err := strconv.Atoi(args[1])
	ts.Check(err)
	line := []byte("titolo: una riga che si ripete per riempire il file fino alla misura voluta\n")
	var b bytes.Buffer
	b.Grow(mb << 20)
	b.WriteString("testo: |\n")
	for b.Len() < mb<<20 {
		b.WriteString("  ")
		b.Write(line)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b.Bytes(), 0o644))
}

var (
	hyphenBreak = regexp.MustCompile(`(\p{L})-\n\s*(\p{Ll})`)
	spaces      = regexp.MustCompile(`\s+`)
)

// NormalizeText joins what pdftotext splits: words hyphenated at a line
// end and every run of white space become one line of text.
func NormalizeText(s string) string {
	s = hyphenBreak.ReplaceAllString(s, "$1$2")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// cmdPdftext extracts a PDF's text with pdftotext and writes it
// normalised (one line, hyphenation at line ends undone):
//
//	pdftext FILE.pdf OUT.txt
func cmdPdftext(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pdftext FILE.pdf OUT.txt")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", ts.MkAbs(args[0]), "-").Output()
	if err != nil {
		ts.Fatalf("pdftotext %s: %v", args[0], err)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(NormalizeText(string(out))+"\n"), 0o644))
}

// cmdNobytes checks that no file in a folder contains any of the strings,
// byte for byte (case-insensitive):
//
//	nobytes DIR STRING...
func cmdNobytes(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: nobytes DIR STRING...")
	}
	dir := ts.MkAbs(args[0])
	entries, err := os.ReadDir(dir)
	ts.Check(err)
	if len(entries) == 0 {
		ts.Fatalf("%s is empty: nothing to search", args[0])
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		ts.Check(err)
		lower := bytes.ToLower(data)
		for _, s := range args[1:] {
			if bytes.Contains(lower, bytes.ToLower([]byte(s))) {
				ts.Fatalf("%s contains %q", e.Name(), s)
			}
		}
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Coordina-\nmento dei", "Coordinamento dei"},
		{"15:00-\n17:00", "15:00- 17:00"},
		{"Prot. n.  0153/23/02/22\n\nOggetto", "Prot. n. 0153/23/02/22 Oggetto"},
		{"ANCI -\nSicilia", "ANCI - Sicilia"},
		{"e-mail", "e-mail"},
	}
	for _, tt := range tests {
		if got := NormalizeText(tt.in); got != tt.want {
			t.Errorf("NormalizeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMakeImage(t *testing.T) {
	for _, kind := range []string{"png8", "png16", "gray", "palette", "gif"} {
		data, err := makeImage(kind)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("%s does not decode: %v", kind, err)
		}
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(pngHeader(20000, 20000)))
	if err != nil || cfg.Width != 20000 || cfg.Height != 20000 {
		t.Errorf("huge header: %v %v", cfg, err)
	}
}
