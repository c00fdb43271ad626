// Package harness holds what the whole-process benchmarks (peers,
// archivio) share: where the checkout is, how the binary is built, and the
// median of a series.
package harness

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Median of xs; 0 for none.
func Median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	switch {
	case len(s) == 0:
		return 0
	case len(s)%2 == 1:
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// RepoRoot is the folder of the module being benchmarked.
func RepoRoot() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m: %v", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Build compiles coopera into bin as `make build` does: static
// (CGO_ENABLED=0) and without symbol tables. cgo would come in only through
// the net package's resolver, which coopera never uses, and a dynamically
// linked binary spends about 4 ms of every run in the loader and libc.
func Build(root, bin string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "./cmd/coopera")
	cmd.Dir, cmd.Stderr = root, os.Stderr
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %v", err)
	}
	return nil
}

// Run runs cmd with its output captured and returns how long it took and
// its peak resident memory in kilobytes, as the kernel counted it; when cmd
// fails, the error carries what it printed.
func Run(cmd *exec.Cmd) (elapsed time.Duration, maxRSSKB int64, err error) {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	elapsed = time.Since(start)
	if err != nil {
		return elapsed, 0, fmt.Errorf("%v\n%s", err, out.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSSKB = ru.Maxrss
	}
	return elapsed, maxRSSKB, nil
}
