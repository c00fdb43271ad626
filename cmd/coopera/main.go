// Command coopera renders the COOPERA project's convocation letters and
// press releases as PDF/A from YAML files.
package main

import (
	"os"
	"runtime/debug"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/cli"
)

func main() {
	// coopera's live heap is a few megabytes (fonts, patterns, templates)
	// plus the documents in hand and, in an archive, a small record of
	// each. Collecting when the heap has grown fivefold rather than
	// twofold spends a third less CPU on an archive of 1,000 letters; the
	// soft limit keeps the peak under 100 MB even for 10,000, where the
	// collector then runs more often (README, "Performance"). GOGC and
	// GOMEMLIMIT set by the user win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
