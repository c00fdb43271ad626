package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/atomicfile"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/build"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/ical"
	"github.com/spf13/cobra"
)

// addICSFlag gives convoca its --ics flag; writeICS reads it back, so that
// convoca.go needs only the two calls.
func addICSFlag(cmd *cobra.Command) {
	cmd.Flags().Bool("ics", false, "scrive accanto a ogni lettera l'invito per il calendario (.ics, RFC 5545)")
}

// icsName is the invitation's name: the letter's, with .ics.
func icsName(pdfName string) string {
	return strings.TrimSuffix(pdfName, filepath.Ext(pdfName)) + ".ics"
}

// writeICS writes, when --ics is set, the calendar invitation of each
// letter's meeting beside the letter. Every invitation is made before any
// is written, so a failure writes none.
func writeICS(cmd *cobra.Command, env *build.Env, g *globals, outs []*build.Output, dir string) error {
	if on, _ := cmd.Flags().GetBool("ics"); !on {
		return nil
	}
	type invite struct {
		path string
		data []byte
	}
	var invites []invite
	for _, o := range outs {
		if o.Meeting == nil {
			continue
		}
		prof, probs := env.ProfileFor(o.Source)
		if err := probs.Err(); err != nil {
			return err
		}
		data, err := ical.Invitation(o.Meeting, prof)
		if err != nil {
			return err
		}
		invites = append(invites, invite{filepath.Join(dir, icsName(o.Name)), data})
	}
	for _, in := range invites {
		if err := atomicfile.Write(in.path, in.data); err != nil {
			return writeError(in.path, err)
		}
		// With --json the list printed by convoca names the letters; each
		// invitation has the same name with .ics.
		if !g.quiet && !g.json {
			fmt.Fprintln(cmd.OutOrStdout(), in.path)
		}
	}
	return nil
}
