package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// tempName is the name os.CreateTemp gives for the pattern ".NAME.tmp-*".
var tempName = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)

// IsTemp says whether name is a temporary file's name as Stage makes them.
func IsTemp(name string) bool { return tempName.MatchString(name) }

// minAge is how old an empty, unlocked temporary file must be before it is
// taken for a leftover: a writer creates the file, then locks it, and a
// file caught between the two is empty and new.
const minAge = 30 * time.Second

// Leftovers lists, sorted, the temporary files in dir that no live writer
// holds: what a run killed half way left behind. Links and other odd
// entries with a temporary name are listed too, and never followed.
func Leftovers(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() || !IsTemp(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if e.Type().IsRegular() && (live(p) || fresh(p)) {
			continue
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// fresh says whether an empty file was created too recently to be judged.
func fresh(path string) bool {
	st, err := os.Lstat(path)
	return err == nil && st.Size() == 0 && time.Since(st.ModTime()) < minAge
}

// Clean removes the Leftovers of dir and returns them. A run that writes
// into a folder calls it first, so that a killed run's temporary files do
// not stay for ever. Removal failures are left for the next run.
func Clean(dir string) []string {
	var removed []string
	for _, p := range Leftovers(dir) {
		if err := os.Remove(p); err == nil || errors.Is(err, fs.ErrNotExist) {
			removed = append(removed, p)
		}
	}
	if len(removed) > 0 {
		_ = SyncDir(dir)
	}
	return removed
}
