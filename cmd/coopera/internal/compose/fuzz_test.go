package compose_test

// FuzzParseMarkdown feeds random Markdown to the parser that turns the
// templates' output (which carries the data files' text) into blocks. It
// must never panic, must either refuse the input or return blocks with
// known roles, and its output must stay proportional to its input.
//
//	go test ./cmd/coopera/internal/compose -run '^$' -fuzz FuzzParseMarkdown -fuzztime 90s

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
)

func FuzzParseMarkdown(f *testing.F) {
	// The golden Markdown of every document of data/ is the seed corpus.
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.md.golden"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	for _, s := range []string{
		"", "**a", "*a **b** c*", "[a](b) <http://x.it> <a@b.it>", "- a\n  - b\n    - c",
		strings.Repeat("> ", 20) + "x", strings.Repeat("- ", 20) + "x", "<!-- coopera:firma -->\nA  \nB",
		"<!-- coopera:sconosciuto -->\nx", "```\ncodice\n```", "# T\n\n## U", "a<br>b", "![img](x.png)",
		"\u0000\ufffd", "a\\\nb", "1. a\n2. b", "***", "[a]: http://x.it\n\n[a]", "`a``b`",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 16<<10 {
			t.Skip() // longer than any document's Markdown, and slow to fuzz
		}
		blocks, err := compose.Parse(src)
		if err != nil {
			if blocks != nil {
				t.Errorf("blocks and an error: %v", err)
			}
			return
		}
		total := 0
		for _, b := range blocks {
			if !compose.KnownRoles[b.Role] {
				t.Errorf("unknown role %q", b.Role)
			}
			if b.Level < 0 || b.Level > compose.MaxDepth+1 {
				t.Errorf("level %d beyond the nesting limit", b.Level)
			}
			for _, r := range b.Runs {
				total += len(r.Text) + len(r.Link)
				if utf8.ValidString(src) && !utf8.ValidString(r.Text) {
					t.Errorf("valid UTF-8 in, invalid out: %q", r.Text)
				}
			}
		}
		// NFC may grow text a little and e-mail links gain "mailto:"; more
		// than that would be an amplification.
		if limit := 4*len(src) + 64; total > limit || len(blocks) > len(src)+1 {
			t.Errorf("%d bytes in, %d bytes and %d blocks out", len(src), total, len(blocks))
		}
	})
}
