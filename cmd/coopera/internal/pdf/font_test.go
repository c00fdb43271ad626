package pdf

import (
	"bytes"
	"testing"
)

// The ToUnicode map gives every code its character back, surrogate pairs
// included, in ranges that never cross a 256-code boundary.
func TestToUnicode(t *testing.T) {
	s := &Fonts{}
	for i := range 300 {
		s.Runes = append(s.Runes, rune('a'+i%26)+rune(i/26)*0x100)
	}
	s.Runes = append(s.Runes, 0x1D538)
	cmap := s.toUnicode()
	for _, want := range []string{"2 beginbfrange\n", "<0001> <00FF> [<0061><0062>", "<0100> <012D> [", "<D835DD38>]"} {
		if !bytes.Contains(cmap, []byte(want)) {
			t.Errorf("ToUnicode lacks %q:\n%s", want, cmap)
		}
	}
}

// The /W array has one entry per run of codes the font draws.
func TestWidthArray(t *testing.T) {
	f := Font{Widths: []int{-1, 500, 600, -1, -1, 700}}
	var b writer
	b.value(f.widthArray())
	if got, want := b.String(), "[1 [500 600] 5 [700]]"; got != want {
		t.Errorf("/W %s, want %s", got, want)
	}
}
