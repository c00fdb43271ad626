package main

// TestGuide runs the secretariat's guide (docs/guida.md) as a script, so
// that the guide never drifts from the program. The guide's blocks are
// read in order:
//
//	```sh              commands, run with bash -e; they must exit 0
//	```sh esito=N      commands that must exit with code N
//	```text uscita     what the sh block before it prints: every line
//	                   must be found in one line of its output (stdout
//	                   and stderr together); "…" stands for any text
//	```LANG file=P     writes the block's text to the file P
//	```LANG aggiungi=P appends the block's text to the file P
//	```LANG modifica=P replaces lines of P: each "key:" line of the block
//	                   replaces the first line of P after the previous
//	                   match that begins with the same indentation and key
//
// Any other block (```text, ```yaml …) is shown to the reader and not run.
// The commands run in a scratch copy of the repository's data folder, made
// a git repository (the guide tells the secretariat to keep the data in
// git), with this test binary on PATH as "coopera" (see TestMain).

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

type guideBlock struct {
	line int    // line of the opening fence in the guide
	info string // the fence's info string ("sh esito=1")
	text string
}

func readGuide(path string) ([]guideBlock, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var blocks []guideBlock
	var cur *guideBlock
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &guideBlock{line: n, info: strings.TrimSpace(strings.TrimPrefix(line, "```"))}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: blocco non chiuso", path, cur.line)
	}
	return blocks, sc.Err()
}

// attr returns the value of key=value in a block's info string.
func (b guideBlock) attr(key string) (string, bool) {
	for _, f := range strings.Fields(b.info) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v, true
		}
	}
	return "", false
}

func (b guideBlock) lang() string {
	if f := strings.Fields(b.info); len(f) > 0 {
		return f[0]
	}
	return ""
}

// matchLine reports whether want (with "…" for any text) is found in one
// line of out.
func matchLine(out, want string) bool {
	parts := strings.Split(strings.TrimSpace(want), "…")
	for _, line := range strings.Split(out, "\n") {
		rest, ok := line, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

// modify replaces in text the lines named by the "key:" lines of repl.
func modify(text, repl string) (string, error) {
	lines := strings.Split(text, "\n")
	from := 0
	for _, r := range strings.Split(strings.TrimRight(repl, "\n"), "\n") {
		key, _, ok := strings.Cut(r, ":")
		if !ok {
			return "", fmt.Errorf("riga senza chiave: %q", r)
		}
		found := false
		for i := from; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], key+":") {
				lines[i], from, found = r, i+1, true
				break
			}
		}
		if !found {
			return "", fmt.Errorf("chiave %q non trovata", key)
		}
	}
	return strings.Join(lines, "\n"), nil
}

func TestGuide(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"bash", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("manca %s: la guida non si può provare", tool)
		}
	}
	guide := filepath.Join("..", "..", "docs", "guida.md")
	blocks, err := readGuide(guide)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	if err := copyTree(filepath.Join("..", "..", "data"), filepath.Join(work, "data"), ""); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"GIT_AUTHOR_NAME=Segreteria", "GIT_AUTHOR_EMAIL=segreteria@example.it",
		"GIT_COMMITTER_NAME=Segreteria", "GIT_COMMITTER_EMAIL=segreteria@example.it",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "TZ=Europe/Rome",
	)
	run := func(script string) (string, int, error) {
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Dir, cmd.Env = work, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &out, nil
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return out.String(), ee.ExitCode(), nil
		}
		return out.String(), 0, err
	}
	if out, code, err := run("git init -q . && git add data && git commit -q -m clone"); err != nil || code != 0 {
		t.Fatalf("git: %v %d\n%s", err, code, out)
	}

	var last string // output of the last sh block
	lastLine := 0
	commands, checked := 0, 0
	for _, b := range blocks {
		where := fmt.Sprintf("%s:%d", guide, b.line)
		if p, ok := b.attr("file"); ok {
			if err := os.WriteFile(filepath.Join(work, p), []byte(b.text), 0o644); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			continue
		}
		if p, ok := b.attr("aggiungi"); ok {
			f, err := os.OpenFile(filepath.Join(work, p), os.O_APPEND|os.O_WRONLY, 0)
			if err == nil {
				_, err = f.WriteString(b.text)
				err = errors.Join(err, f.Close())
			}
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			continue
		}
		if p, ok := b.attr("modifica"); ok {
			data, err := os.ReadFile(filepath.Join(work, p))
			if err == nil {
				var text string
				if text, err = modify(string(data), b.text); err == nil {
					err = os.WriteFile(filepath.Join(work, p), []byte(text), 0o644)
				}
			}
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			continue
		}
		switch {
		case b.lang() == "sh":
			want := 0
			if v, ok := b.attr("esito"); ok {
				fmt.Sscan(v, &want)
			}
			out, code, err := run(b.text)
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if code != want {
				t.Fatalf("%s: i comandi\n%s escono con %d, la guida dice %d; hanno scritto:\n%s", where, b.text, code, want, out)
			}
			last, lastLine = out, b.line
			commands++
		case b.info == "text uscita":
			if lastLine == 0 {
				t.Fatalf("%s: un'uscita senza comandi prima", where)
			}
			for _, w := range strings.Split(b.text, "\n") {
				if strings.TrimSpace(w) == "" {
					continue
				}
				if !matchLine(last, w) {
					t.Errorf("%s: i comandi della riga %d non scrivono più\n\t%s\nhanno scritto:\n%s", where, lastLine, w, last)
				}
				checked++
			}
		}
	}
	t.Logf("%d blocchi di comandi, %d righe d'uscita controllate", commands, checked)
	if commands < 10 || checked < 10 {
		t.Fatalf("la guida ha %d blocchi di comandi e %d righe d'uscita controllate: troppo pochi, i blocchi sono marcati come dice guide_test.go?", commands, checked)
	}
}
