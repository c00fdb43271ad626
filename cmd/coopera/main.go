// Command coopera renders the COOPERA project's convocation letters and
// press releases as PDF/A from YAML files.
package main

import (
	"os"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
