package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompleteValues(t *testing.T) {
	tests := []struct {
		args []string
		want string // the candidates and the directive, as cobra prints them
	}{
		{[]string{"__complete", "convoca", ""}, "yaml\nyml\n:8\n"},
		{[]string{"__complete", "comunicato", ""}, "yaml\nyml\n:8\n"},
		{[]string{"__complete", "valida", ""}, "yaml\nyml\n:8\n"},
		{[]string{"__complete", "convoca", "--destinatari", ""}, "yaml\nyml\ncsv\n:8\n"},
		{[]string{"__complete", "completion", ""}, "bash\tGenera lo script di completamento per bash\nfish\tGenera lo script di completamento per fish\npowershell\tGenera lo script di completamento per powershell\nzsh\tGenera lo script di completamento per zsh\n:4\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := coopera(tt.args...)
			if code != 0 || out != tt.want {
				t.Errorf("exit %d, out %q, want %q (stderr %q)", code, out, tt.want, errs)
			}
		})
	}
	// nuovo is another file's command: its enum values complete when it
	// registers them.
	if code, out, _ := coopera("__complete", "nuovo", "tavolo", "--modalita", ""); code != 0 ||
		(!strings.HasPrefix(out, "videoconferenza\npresenza\nmista\n") && !strings.HasPrefix(out, ":")) {
		t.Errorf("nuovo tavolo --modalita: exit %d, %q", code, out)
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(sh, func(t *testing.T) {
			code, out, errs := coopera("completion", sh)
			if code != 0 || !strings.Contains(out, "__complete") {
				t.Fatalf("exit %d, %d bytes, stderr %q", code, len(out), errs)
			}
			code, help, _ := coopera("completion", sh, "--help")
			if code != 0 || !strings.Contains(strings.ToLower(help), "genera lo script di completamento per "+sh) || strings.Contains(help, "Generate") {
				t.Errorf("help is not Italian: %q", help)
			}
		})
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash missing")
	}
	_, script, _ := coopera("completion", "bash")
	path := filepath.Join(t.TempDir(), "coopera.bash")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bash, "-c", "source "+path+" && complete -p coopera").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "-F __start_coopera coopera") {
		t.Errorf("bash does not load the script: %v: %s", err, out)
	}
}

func TestMan(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man")
	code, out, errs := coopera("man", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range []string{"coopera.1", "coopera-convoca.1", "coopera-valida.1", "coopera-completion-bash.1"} {
		path := filepath.Join(dir, name)
		if !strings.Contains(out, path+"\n") {
			t.Errorf("stdout does not list %s", path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		for _, want := range []string{".TH \"" + strings.ToUpper(strings.TrimSuffix(name, ".1")) + "\" \"1\"", ".SH \"NOME\"", ".SH \"SINTESI\"", ".SH \"STATO DI USCITA\"", "NO_COLOR"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		for i, r := range page {
			if r > 0x7e || (r < 0x20 && r != '\n') {
				t.Fatalf("%s: byte %d is %q: pages must be plain ASCII roff", name, i, r)
			}
		}
	}
	convoca, _ := os.ReadFile(filepath.Join(dir, "coopera-convoca.1"))
	for _, want := range []string{`\fB\-\-destinatari\fR \fIVALORE\fR`, `\fB\-o\fR, \fB\-\-output\fR`, `(predefinito: .)`, ".SH \"OPZIONI GLOBALI\""} {
		if !strings.Contains(string(convoca), want) {
			t.Errorf("coopera-convoca.1 lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "coopera-man.1")); err == nil {
		t.Error("the hidden man command has a page")
	}
	// Same input, same pages.
	dir2 := filepath.Join(t.TempDir(), "man")
	coopera("man", "-q", dir2)
	again, _ := os.ReadFile(filepath.Join(dir2, "coopera-convoca.1"))
	if string(again) != string(convoca) {
		t.Error("two runs write different pages")
	}

	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff missing: pages not checked with a formatter")
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for _, p := range pages {
		out, err := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z", p).CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("groff on %s: %v: %s", filepath.Base(p), err, out)
		}
	}
}

func TestManJSON(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := coopera("man", "--json", dir)
	if code != 0 || !strings.HasPrefix(out, "[\n  {\n    \"file\": ") {
		t.Errorf("exit %d, out %.80q", code, out)
	}
}
