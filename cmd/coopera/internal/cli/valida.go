package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/compose"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/record"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/safefile"
	"github.com/spf13/cobra"
)

func newValida(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "valida [FILE|CARTELLA]...",
		Short: "Controlla i file di dati e segnala ogni problema, senza scrivere nulla",
		Long: `Controlla i file indicati (una cartella: tutti i file .yaml che contiene, nelle
sottocartelle comprese) e stampa ogni problema come FILE:RIGA:COLONNA: chiave:
problema, con un suggerimento. Senza argomenti controlla la cartella data.
Una cartella è controllata anche nel suo insieme: due Tavoli con lo stesso
numero, due lettere con lo stesso protocollo (errori), due incontri che si
sovrappongono lo stesso giorno (avviso), un comunicato che contraddice il suo
incontro o ne nomina uno che non c'è (errori); ogni problema nomina i due file.
I valori da completare («DA DEFINIRE», «…») sono avvisi.
Non scrive alcun file. Esce con 1 se c'è almeno un errore (gli avvisi no).`,
		Example: `  coopera valida
  coopera valida data/tavoli/2022-03-02-tavolo-3.yaml
  coopera valida --json data | jq '.problemi[] | .file'`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{defaultDataDir()}
			}
			env, err := g.env(false)
			if err != nil {
				return err
			}
			files, skipped, err := dataFiles(args)
			if err != nil {
				return err
			}
			probs := skipped
			for _, f := range files {
				probs = append(probs, validate(env, f)...)
			}
			// A folder is also checked as a whole (issue 11, point 5).
			for _, a := range args {
				if st, err := os.Stat(a); err == nil && st.IsDir() {
					probs = append(probs, env.CheckFolder(a)...)
				}
			}
			probs = probs.Unique()
			errs := probs.Errors()
			if g.json {
				out := struct {
					File     int            `json:"file"`
					Errori   int            `json:"errori"`
					Avvisi   int            `json:"avvisi"`
					Problemi model.Problems `json:"problemi"`
				}{len(files), len(errs), len(probs) - len(errs), probs}
				if out.Problemi == nil {
					out.Problemi = model.Problems{}
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(out); err != nil {
					return err
				}
				if len(errs) > 0 {
					return silentError{}
				}
				return nil
			}
			for _, p := range probs.Warnings() {
				fmt.Fprintf(cmd.ErrOrStderr(), "coopera: %s\n", p)
			}
			if len(errs) > 0 {
				return errs
			}
			if !g.quiet {
				fmt.Fprintf(cmd.OutOrStdout(), "%d file controllati: nessun errore\n", len(files))
			}
			return nil
		},
	}
}

// silentError exits 1 after the command already printed its result.
type silentError struct{}

func (silentError) Error() string { return "" }

// validate checks one file as the kind its place says it is.
func validate(env *pipeline.Env, file string) model.Problems {
	if filepath.Base(file) == model.ProfileName {
		prof, probs := model.LoadProfile(file, model.Options{Coverage: coverage(), AllowOutside: env.AllowOutside})
		if prof != nil {
			probs = append(probs, prof.SingularWarnings()...)
		}
		return probs
	}
	prof, probs := env.ProfileFor(file)
	if probs.Err() != nil {
		return probs.Errors()
	}
	opt := model.Options{Coverage: coverage(), AllowOutside: env.AllowOutside}
	if pipeline.Kind(file) == compose.Release {
		_, p := model.LoadRelease(file, prof, opt)
		return p
	}
	m, p := model.LoadMeeting(file, prof, opt)
	if p.Err() == nil && m != nil && m.Protocol != nil && len(m.MissingForLetter()) == 0 {
		p = append(p, issuedState(env, m, prof)...)
	}
	return p
}

// issuedState is what the register says of a numbered meeting, as the
// commands that write letters would (record.Gate): a number not issued yet
// is a warning (the next step is protocollo registra); data changed since
// the issue, an annulled number or one of another file are errors.
func issuedState(env *pipeline.Env, m *model.Meeting, prof *model.Profile) model.Problems {
	render := func() (string, []byte, error) {
		o, err := env.LetterOf(m, prof, nil)
		if err != nil {
			return "", nil, err
		}
		return o.Name, o.PDF, nil
	}
	_, err := env.Records.Gate(m, prof, render)
	if err == nil {
		return nil
	}
	var ref *record.Refusal
	if !errors.As(err, &ref) {
		return model.Problems{{File: m.Path, Message: err.Error()}}
	}
	p := *ref.Problem
	p.Warning = ref.Code == record.CodeNotIssued || ref.Code == record.CodePending
	return model.Problems{p}
}

// dataFiles expands folders into their .yaml files, sorted, so that the
// report reads the same on every machine. A .yaml entry of a folder that is
// not a regular file (a pipe, a device) is skipped with a warning.
func dataFiles(args []string) ([]string, model.Problems, error) {
	var skipped model.Problems
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, nil, fmt.Errorf("%s: il file o la cartella non esiste", a)
			}
			return nil, nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != a && (strings.HasPrefix(d.Name(), ".") || d.Name() == "schemas") {
				return filepath.SkipDir
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				if e, ok := safefile.As(safefile.Entry(p, d)); ok {
					skipped = append(skipped, skippedEntry(e))
					return nil
				}
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	slices.Sort(files)
	return slices.Compact(files), skipped, nil
}

// skippedEntry is the warning for an entry a folder walk does not read.
func skippedEntry(e *safefile.Error) model.Problem {
	return model.Problem{File: e.Path, Warning: true, Message: e.Reason() + ": saltato",
		Hint: "togli il file dalla cartella o sostituiscilo con un file ordinario"}
}
