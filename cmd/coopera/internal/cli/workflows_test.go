package cli

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The sample CI workflows in docs/ci are checked here: their shape, the
// shell syntax of every step, the make targets and coopera commands they
// call. With COOPERA_CI_RUN=all|github|gitlab (see .ci/workflows-local.sh)
// their steps also run, in order, in a copy of the working tree.

var repoRoot = filepath.Join("..", "..", "..", "..")

// ciStep is one shell step of a workflow; uses names an action instead.
type ciStep struct {
	job, name, run, uses string
}

func githubSteps(t *testing.T) ([]ciStep, map[string]any) {
	t.Helper()
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Name string         `yaml:"name"`
				Uses string         `yaml:"uses"`
				Run  string         `yaml:"run"`
				With map[string]any `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	readYAML(t, "github-actions.yml", &wf)
	var steps []ciStep
	with := map[string]any{}
	jobs := slices.Sorted(func(yield func(string) bool) {
		for k := range wf.Jobs {
			if !yield(k) {
				return
			}
		}
	})
	for _, j := range jobs {
		for _, s := range wf.Jobs[j].Steps {
			steps = append(steps, ciStep{job: j, name: s.Name, run: s.Run, uses: s.Uses})
			if s.Uses != "" {
				with[strings.Split(s.Uses, "@")[0]] = s.With
			}
		}
	}
	return steps, with
}

func gitlabSteps(t *testing.T) ([]ciStep, map[string]any) {
	t.Helper()
	var wf map[string]any
	readYAML(t, "gitlab-ci.yml", &wf)
	stages, _ := wf["stages"].([]any)
	defaults, _ := wf["default"].(map[string]any)
	var steps []ciStep
	artifacts := map[string]any{}
	for _, st := range stages {
		var jobs []string
		for name, v := range wf {
			if job, ok := v.(map[string]any); ok && job["stage"] == st {
				jobs = append(jobs, name)
			}
		}
		slices.Sort(jobs)
		for _, name := range jobs {
			job := wf[name].(map[string]any)
			before := job["before_script"]
			if before == nil {
				before = defaults["before_script"]
			}
			for _, key := range []any{before, job["script"]} {
				list, _ := key.([]any)
				for _, l := range list {
					steps = append(steps, ciStep{job: name, run: l.(string)})
				}
			}
			if a, ok := job["artifacts"]; ok {
				artifacts[name] = a
			}
		}
	}
	return steps, artifacts
}

func readYAML(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", "ci", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

var (
	makeCall    = regexp.MustCompile(`\bmake ([a-z][a-z-]*)`)
	cooperaCall = regexp.MustCompile(`\./coopera ([a-z]+)`)
)

func TestCIWorkflows(t *testing.T) {
	gh, with := githubSteps(t)
	gl, artifacts := gitlabSteps(t)

	var uses []string
	for _, s := range gh {
		if s.uses != "" {
			uses = append(uses, strings.Split(s.uses, "@")[0])
		}
	}
	for _, want := range []string{"actions/checkout", "actions/setup-go", "actions/upload-artifact"} {
		if !slices.Contains(uses, want) {
			t.Errorf("github-actions.yml does not use %s", want)
		}
	}
	if up, _ := with["actions/upload-artifact"].(map[string]any); up == nil || !strings.Contains(up["path"].(string), "archivio/") {
		t.Errorf("github-actions.yml does not upload the archive: %v", with["actions/upload-artifact"])
	}
	if a, _ := artifacts["archivio"].(map[string]any); a == nil || !slices.Contains(a["paths"].([]any), any("archivio/")) || a["expire_in"] != "never" {
		t.Errorf("gitlab-ci.yml does not keep the archive: %v", artifacts)
	}

	makefile, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	bash, _ := exec.LookPath("bash")
	for file, steps := range map[string][]ciStep{"github-actions.yml": gh, "gitlab-ci.yml": gl} {
		var all string
		for _, s := range steps {
			all += s.run + "\n"
			if s.run == "" || bash == "" {
				continue
			}
			if out, err := exec.Command(bash, "-n", "-c", s.run).CombinedOutput(); err != nil {
				t.Errorf("%s, job %s: shell syntax: %v: %s", file, s.job, err, out)
			}
		}
		for _, want := range []string{"make test", "make archivio", "coopera valida --json"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s never runs %q", file, want)
			}
		}
		for _, m := range makeCall.FindAllStringSubmatch(all, -1) {
			if !regexp.MustCompile(`(?m)^` + m[1] + `:`).Match(makefile) {
				t.Errorf("%s calls make %s, which the Makefile lacks", file, m[1])
			}
		}
		for _, m := range cooperaCall.FindAllStringSubmatch(all, -1) {
			if code, _, errs := coopera(m[1], "--help"); code != 0 {
				t.Errorf("%s calls coopera %s: %s", file, m[1], errs)
			}
		}
	}

	which := os.Getenv("COOPERA_CI_RUN")
	if which == "" {
		return
	}
	if bash == "" {
		t.Fatal("bash is needed to run the steps")
	}
	for name, steps := range map[string][]ciStep{"github": gh, "gitlab": gl} {
		if which != "all" && which != name {
			continue
		}
		t.Run(name, func(t *testing.T) { runSteps(t, bash, steps) })
	}
}

// runSteps runs the shell steps in a fresh copy of the working tree, the
// way a CI runner would after checking out.
func runSteps(t *testing.T, bash string, steps []ciStep) {
	dir := filepath.Join(t.TempDir(), "coopera")
	copyTree(t, repoRoot, dir)
	env := slices.DeleteFunc(os.Environ(), func(e string) bool { return strings.HasPrefix(e, "COOPERA_CI_RUN=") })
	// COOPERA_CI_SKIP lists, one per line, steps the caller has already run
	// (.ci/run has just run "make test").
	done := strings.Split(os.Getenv("COOPERA_CI_SKIP"), "\n")
	for i, s := range steps {
		if s.uses != "" {
			t.Logf("passo %d (%s): %s saltato, è un'azione del servizio di CI", i+1, s.job, s.uses)
			continue
		}
		if slices.Contains(done, strings.TrimSpace(s.run)) {
			t.Logf("passo %d (%s): %s saltato, già eseguito", i+1, s.job, strings.TrimSpace(s.run))
			continue
		}
		t.Logf("passo %d (%s): %s", i+1, s.job, strings.TrimSpace(s.run))
		cmd := exec.Command(bash, "-eo", "pipefail", "-c", s.run)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("passo %d (%s) fallito: %v\n%s", i+1, s.job, err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "archivio", "manifest.json")); err != nil {
		t.Errorf("the steps did not produce the archive: %v", err)
	}
}

// copyTree copies the working tree without what a checkout would not have.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	skip := map[string]bool{".git": true, "out": true, "archivio": true, "coopera": true, "dist": true}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel != "." && !strings.Contains(rel, string(filepath.Separator)) && skip[rel] {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
