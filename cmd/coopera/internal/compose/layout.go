package compose

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Layout is the filled letterhead template: page geometry, logos, lines,
// footer and signature placement. Lengths in millimetres, sizes in points.
type Layout struct {
	Page struct {
		Top    float64 `yaml:"margine_alto"`
		Bottom float64 `yaml:"margine_basso"`
		Left   float64 `yaml:"margine_sinistro"`
		Right  float64 `yaml:"margine_destro"`
	} `yaml:"pagina"`
	Text struct {
		Size    float64 `yaml:"corpo"`
		Leading float64 `yaml:"interlinea"`
	} `yaml:"testo"`
	Head struct {
		LogoHeight float64 `yaml:"altezza_loghi"`
		Logos      []struct {
			Emblem  string `yaml:"emblema"`
			Image   string `yaml:"immagine"`
			Caption string `yaml:"didascalia"`
		} `yaml:"loghi"`
		Lines struct {
			Size  float64  `yaml:"corpo"`
			Texts []string `yaml:"testi"`
		} `yaml:"righe"`
		Title struct {
			Size float64 `yaml:"corpo"`
			Text string  `yaml:"testo"`
		} `yaml:"titolo"`
	} `yaml:"testata"`
	Foot struct {
		Size  float64  `yaml:"corpo"`
		Lines []string `yaml:"righe"`
	} `yaml:"piede"`
	Signature struct {
		Align  string  `yaml:"allineamento"`
		Image  string  `yaml:"immagine"`
		Height float64 `yaml:"altezza"`
	} `yaml:"firma"`
	Following struct {
		Header string `yaml:"intestazione"`
	} `yaml:"pagine_seguenti"`
}

func letterhead(fsys fs.FS, p *model.Profile, protocol string) (Layout, error) {
	type logo struct{ Emblema, Immagine, Didascalia string }
	data := map[string]any{
		"Righe": p.Letterhead.Lines, "Titolo": p.Letterhead.Title, "Piede": p.Letterhead.Footer,
		"Firma": p.Signatory.Signature, "Protocollo": protocol, "TitoloProgetto": p.Project.Title,
	}
	var logos []logo
	for _, l := range p.Letterhead.Logos {
		logos = append(logos, logo{l.Emblem, l.Image, l.Caption})
	}
	data["Loghi"] = logos
	out, err := execute(fsys, LetterheadTemplate, data)
	if err != nil {
		return Layout{}, err
	}
	var lay Layout
	dec := yaml.NewDecoder(bytes.NewReader([]byte(out)))
	dec.KnownFields(true)
	if err := dec.Decode(&lay); err != nil {
		return Layout{}, fmt.Errorf("modello %s: il risultato non è una testata valida: %v", LetterheadTemplate, err)
	}
	if err := lay.check(); err != nil {
		return Layout{}, fmt.Errorf("modello %s: %v", LetterheadTemplate, err)
	}
	if f, ok := fsys.(Folder); ok && !f.AllowOutside {
		for i, l := range lay.Head.Logos {
			if err := confined(f, p.Dir, fmt.Sprintf("testata.loghi[%d].immagine", i+1), l.Image); err != nil {
				return Layout{}, err
			}
		}
		if err := confined(f, p.Dir, "firma.immagine", lay.Signature.Image); err != nil {
			return Layout{}, err
		}
	}
	return lay, nil
}

// confined refuses an image path a user's letterhead template produced
// unless it stays, symbolic links resolved, inside the templates folder or
// the data folder: a template must not make coopera read (and embed in a
// PDF) what it was not given. Relative paths are read from the current
// folder, as the profile's are.
func confined(f Folder, dataDir, key, path string) error {
	if path == "" {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	inside := func(real bool) bool {
		target := abs
		if real {
			t, err := filepath.EvalSymlinks(abs)
			if err != nil {
				return true // a missing file: the typesetter says so
			}
			target = t
		}
		for _, dir := range []string{f.Dir, dataDir} {
			d, err := filepath.Abs(dir)
			if err != nil || dir == "" {
				continue
			}
			if real {
				if d, err = filepath.EvalSymlinks(d); err != nil {
					continue
				}
			}
			if r, err := filepath.Rel(d, target); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
				return true
			}
		}
		return false
	}
	if inside(false) && inside(true) {
		return nil
	}
	return &model.Problem{File: displayName(f, LetterheadTemplate), Key: key,
		Message: fmt.Sprintf("il percorso %q esce dalla cartella dei modelli e da quella dei dati", path),
		Hint:    "metti l'immagine nella cartella dei modelli o in quella dei dati (oppure usa --fuori-cartella)"}
}

func (l *Layout) check() error {
	pg := l.Page
	for _, v := range []struct {
		name     string
		val      float64
		min, max float64
	}{
		{"pagina.margine_alto", pg.Top, 5, 80}, {"pagina.margine_basso", pg.Bottom, 5, 80},
		{"pagina.margine_sinistro", pg.Left, 5, 60}, {"pagina.margine_destro", pg.Right, 5, 60},
		{"testo.corpo", l.Text.Size, 6, 20}, {"testo.interlinea", l.Text.Leading, l.Text.Size, 3 * l.Text.Size},
		{"testata.altezza_loghi", l.Head.LogoHeight, 0, 60}, {"piede.corpo", l.Foot.Size, 5, 14},
	} {
		if v.val < v.min || v.val > v.max {
			return fmt.Errorf("%s = %g fuori dall'intervallo %g-%g", v.name, v.val, v.min, v.max)
		}
	}
	if l.Head.Lines.Size == 0 {
		l.Head.Lines.Size = 7.5
	}
	if l.Head.Title.Size == 0 {
		l.Head.Title.Size = 10
	}
	return nil
}

// Slug turns validated text into a file-name part: lower-case ASCII letters,
// digits and hyphens only, at most max bytes, never empty.
func Slug(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() > max {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > max {
		cut := out[:max]
		if i := strings.LastIndexByte(cut, '-'); i > max/2 {
			cut = cut[:i] // end on a whole word
		}
		out = strings.TrimRight(cut, "-")
	}
	if out == "" {
		return "documento"
	}
	return out
}
