package protocol

import (
	"testing"
	"time"
)

func TestRender(t *testing.T) {
	d := time.Date(2022, 2, 23, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		format string
		n      int
		want   string
		max    int
	}{
		{HouseFormat, 153, "0153/23/02/22", 9999},
		{HouseFormat, 9999, "9999/23/02/22", 9999},
		{DPR445Format, 153, "0000153", 9999999},
		{"{aaaa}-{numero}", 12, "2022-12", 0},
		{"n. {numero:3} del {gg}.{mm}.{aaaa}", 7, "n. 007 del 23.02.2022", 999},
	}
	for _, tt := range tests {
		f, err := Parse(tt.format)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.format, err)
		}
		if got := f.Render(tt.n, d); got != tt.want {
			t.Errorf("Render(%q, %d) = %q, want %q", tt.format, tt.n, got, tt.want)
		}
		if got := f.MaxNumber(); got != tt.max {
			t.Errorf("MaxNumber(%q) = %d, want %d", tt.format, got, tt.max)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"", "{gg}/{mm}", "{numero", "{numero:0}", "{numero:x}", "{giorno}{numero}", "{numero}{numero}"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", s)
		}
	}
}
