package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
)

// ManifestName is the manifest's file name inside the archive folder.
const ManifestName = "manifest.json"

// FormatVersion is the manifest's format number, raised on any change that
// an older coopera could misread.
const FormatVersion = 1

// Manifest describes an archive folder. Its bytes depend only on what the
// archive holds: sorted lists, no clock, no machine, no absolute path.
type Manifest struct {
	Format int `json:"formato"`
	// Documents are the PDFs this archive made and vouches for.
	Documents []Entry `json:"documenti"`
	// Orphans are PDFs this archive made whose source no longer produces
	// them; they stay (and stay listed, so a later --pulisci knows they are
	// ours) until removed.
	Orphans []Entry `json:"orfani"`
	// Pending are files a run was about to put in place when it died (a
	// crash, a power cut, kill -9): the archive's own, vouched for by
	// nothing, until a later run produces them again or finds them orphans.
	// A run that finishes leaves none.
	Pending []Entry `json:"in_scrittura,omitempty"`
	// Excluded are data files that give no archived document.
	Excluded []Excluded `json:"esclusi"`
}

// Entry is one archived PDF.
type Entry struct {
	File         string `json:"file"`           // archive-relative, slash-separated: 2022/convocazione_….pdf
	Source       string `json:"origine"`        // data-folder-relative, slash-separated
	SourceSHA256 string `json:"origine_sha256"` // of the source file's bytes when archived
	Kind         string `json:"tipo"`           // convocazione or comunicato
	Protocol     string `json:"protocollo,omitempty"`
	Date         string `json:"data"`    // the document's date, AAAA-MM-GG
	Subject      string `json:"oggetto"` // the PDF's title
	SHA256       string `json:"sha256"`
	Size         int64  `json:"byte"`
	Pages        int    `json:"pagine"`
}

// Issued reports whether the entry is a letter sent under a protocol
// number: a record, never to be overwritten with other bytes or removed.
func (e Entry) Issued() bool { return e.Kind == "convocazione" && e.Protocol != "" }

// Excluded is a data file that gives no archived document, and why.
type Excluded struct {
	Source string `json:"origine"`
	Reason string `json:"motivo"`
}

// Marshal returns the manifest's canonical bytes: lists sorted, two-space
// indentation, a final newline, never null for an empty list.
func (m *Manifest) Marshal() []byte {
	c := Manifest{Format: FormatVersion,
		Documents: sortedEntries(m.Documents), Orphans: sortedEntries(m.Orphans),
		Pending:  sortedEntries(m.Pending),
		Excluded: slices.Clone(m.Excluded)}
	if c.Excluded == nil {
		c.Excluded = []Excluded{}
	}
	slices.SortFunc(c.Excluded, func(a, b Excluded) int { return strings.Compare(a.Source, b.Source) })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		panic(err) // plain strings and numbers cannot fail to encode
	}
	return buf.Bytes()
}

func sortedEntries(es []Entry) []Entry {
	c := slices.Clone(es)
	if c == nil {
		c = []Entry{}
	}
	slices.SortFunc(c, func(a, b Entry) int { return strings.Compare(a.File, b.File) })
	return c
}

// ReadManifest reads dir's manifest; a missing one is an empty manifest
// and ok is false.
func ReadManifest(dir string) (m *Manifest, ok bool, err error) {
	path := filepath.Join(dir, ManifestName)
	raw, err := safefile.Read(path, -1)
	if errors.Is(err, fs.ErrNotExist) {
		return &Manifest{Format: FormatVersion}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("lettura di %s: %w", path, err)
	}
	m = &Manifest{}
	if err := json.Unmarshal(raw, m); err != nil {
		return nil, false, fmt.Errorf("%s è illeggibile (%v)\nsuggerimento: ripristinalo dalla copia versionata; senza manifest l'archivio non sa quali file ha prodotto", path, err)
	}
	if m.Format != FormatVersion {
		return nil, false, fmt.Errorf("%s ha il formato %d, questa versione di coopera conosce il formato %d", path, m.Format, FormatVersion)
	}
	for _, e := range slices.Concat(m.Documents, m.Orphans, m.Pending) {
		if !localPath(e.File) {
			return nil, false, fmt.Errorf("%s: il percorso %q esce dall'archivio", path, e.File)
		}
	}
	return m, true, nil
}

// localPath refuses manifest paths that would lead a clean-up or a
// comparison outside the archive folder.
func localPath(p string) bool {
	return p != "" && filepath.IsLocal(filepath.FromSlash(p)) && !strings.Contains(p, "\\")
}
