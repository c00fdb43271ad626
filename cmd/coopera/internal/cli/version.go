package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Mostra la versione di coopera, il commit e la versione di Go",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			commit := "sconosciuto"
			if bi, ok := debug.ReadBuildInfo(); ok {
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" && len(s.Value) >= 12 {
						commit = s.Value[:12]
					}
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "coopera %s (commit %s, %s %s/%s)\n", version(), commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		},
	}
}
