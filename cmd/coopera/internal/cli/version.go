package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersion(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Mostra la versione di coopera, il commit e la versione di Go",
		Example: `  coopera version
  coopera version --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			commit := "sconosciuto"
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" && len(s.Value) >= 12 {
						commit = s.Value[:12]
					}
				}
			}
			if g.json {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					Versione string `json:"versione"`
					PDF      string `json:"produttore_pdf"`
					Commit   string `json:"commit"`
					Go       string `json:"go"`
					Sistema  string `json:"sistema"`
				}{version(), producerName(), commit, runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "coopera %s (commit %s, %s %s/%s)\n", version(), commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
