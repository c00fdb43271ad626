package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/watch"
	"github.com/spf13/cobra"
)

// addOsservaFlag gives convoca its --osserva flag.
func addOsservaFlag(cmd *cobra.Command) {
	cmd.Flags().Bool("osserva", false, "resta in ascolto e ricompone a ogni modifica del file, del profilo o dei modelli (Ctrl+C per uscire)")
}

// tickKey carries, in a command's context, the tick channel that paces
// --osserva, so that tests step it instead of waiting on a clock.
type tickKey struct{}

// osserva runs render once, or, with --osserva, again at every change of
// the data files, their profile, the templates folder and the recipients
// file, reporting problems without exiting, until SIGINT or SIGTERM (exit 0).
func osserva(cmd *cobra.Command, g *globals, files []string, render func() error) error {
	if on, _ := cmd.Flags().GetBool("osserva"); !on {
		return render()
	}
	if g.json {
		return usageError{fmt.Errorf("--osserva e --json non si usano insieme: --osserva scrive messaggi per chi guarda il terminale")}
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tick, _ := cmd.Context().Value(tickKey{}).(<-chan time.Time)

	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	paths := watchedPaths(g, files, mergeFile(cmd))
	if !g.quiet {
		fmt.Fprintf(stderr, "coopera: osservo %d file; ricompongo a ogni modifica (Ctrl+C per uscire)\n", len(paths))
	}
	once := func() {
		// Each pass writes the paths through a writer that marks them as
		// updated, and its problems as they are now.
		pw := &prefixWriter{w: stdout, prefix: "aggiornato: "}
		cmd.SetOut(pw)
		err := render()
		cmd.SetOut(stdout)
		if err != nil {
			printError(stderr, err, false, stdout)
		}
	}
	once()
	err := watch.Run(ctx, watch.Options{Paths: paths, Tick: tick}, func(changed []string) {
		if !g.quiet {
			fmt.Fprintf(stderr, "coopera: modificato %s: ricompongo\n", changed[0])
		}
		once()
	})
	if err == nil && !g.quiet {
		fmt.Fprintln(stderr, "coopera: fine dell'osservazione")
	}
	return err
}

// watchedPaths is everything a letter depends on that a person edits.
func watchedPaths(g *globals, files []string, merge string) []string {
	paths := slices.Clone(files)
	if g.progetto != "" {
		paths = append(paths, g.progetto)
	} else {
		for _, f := range files {
			if p, err := model.FindProfile(f); err == nil {
				paths = append(paths, p)
			}
		}
	}
	if g.modelli != "" {
		paths = append(paths, g.modelli)
	}
	if merge != "" {
		paths = append(paths, merge)
	}
	for i, p := range paths {
		paths[i] = filepath.Clean(p)
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

// prefixWriter puts prefix before every line.
type prefixWriter struct {
	w      io.Writer
	prefix string
	mid    bool // inside a line
	mu     sync.Mutex
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(b)
	var out bytes.Buffer
	for len(b) > 0 {
		if !p.mid {
			out.WriteString(p.prefix)
			p.mid = true
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out.Write(b)
			break
		}
		out.Write(b[:i+1])
		b = b[i+1:]
		p.mid = false
	}
	if _, err := p.w.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return n, nil
}
