// Package harness holds what the whole-process benchmarks (peers,
// archivio) share: where the checkout is, and the median of a series.
package harness

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
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
