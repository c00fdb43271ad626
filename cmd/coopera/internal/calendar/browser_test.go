package calendar

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromium runs Debian's headless Chromium on a local file with the flags
// a closed network needs, and returns what it printed; it skips the test
// when the machine has no Chromium (.ci/run installs it).
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("Chromium non disponibile: prova nel browser saltata")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
	out, err := exec.CommandContext(ctx, bin, append(base, args...)...).Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return out
}

// TestHTMLInChromium opens the calendar page in a real browser: the DOM it
// builds holds every meeting, and a screenshot shows the page's own
// colours (background, white cards, the accent of headings and borders)
// where the style puts them, not a blank or unstyled page.
func TestHTMLInChromium(t *testing.T) {
	page, err := collect(t, repoData).HTML()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "calendario.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + file

	// The page ties words with non-breaking spaces, which Chromium writes
	// back as &nbsp;.
	dom := strings.NewReplacer("&nbsp;", " ", "\u00a0", " ").Replace(string(chromium(t, "--dump-dom", url)))
	for _, want := range []string{"Calendario dei Tavoli tecnici", "3º Tavolo tecnico", "mercoledì 2 marzo 2022", "Lettera di convocazione (PDF)"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the browser's DOM lacks %q", want)
		}
	}
	if n := strings.Count(dom, "<li id="); n != 7 {
		t.Errorf("the browser's DOM has %d meetings, want 7", n)
	}

	shot := filepath.Join(dir, "calendario.png")
	chromium(t, "--window-size=1000,1400", "--screenshot="+shot, url)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1000 || b.Dy() != 1400 {
		t.Fatalf("screenshot is %v, want 1000×1400", b.Size())
	}
	near := func(c color.Color, r, g, bl uint8) bool {
		cr, cg, cb, _ := c.RGBA()
		d := func(a uint32, b uint8) int { return max(int(a>>8)-int(b), int(b)-int(a>>8)) }
		return d(cr, r) <= 6 && d(cg, g) <= 6 && d(cb, bl) <= 6
	}
	// The page background (#f4f6f8) at the corners, outside the column.
	for _, p := range []image.Point{{2, 2}, {b.Dx() - 3, 2}, {2, b.Dy() - 3}} {
		if c := img.At(p.X, p.Y); !near(c, 0xf4, 0xf6, 0xf8) {
			t.Errorf("background at %v is %v, want #f4f6f8", p, c)
		}
	}
	var accent, white int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			switch c := img.At(x, y); {
			case near(c, 0x1f, 0x4e, 0x79):
				accent++
			case near(c, 0xff, 0xff, 0xff):
				white++
			}
		}
	}
	// The cards' left borders alone are some 6 px × 1,000 px of accent;
	// the cards' white fills most of the 46rem column.
	if accent < 5000 {
		t.Errorf("%d pixels of the accent colour: headings and card borders missing?", accent)
	}
	if white < b.Dx()*b.Dy()/4 {
		t.Errorf("%d white pixels: the meeting cards are missing?", white)
	}
	if testing.Verbose() {
		t.Logf("screenshot %s: %d accent, %d white pixels", shot, accent, white)
	}
}
