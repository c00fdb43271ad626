package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/scaffold"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newNuovo) }

// stdinIsTerminal decides whether coopera may ask questions; tests replace
// it, since a test's stdin is never a terminal.
var stdinIsTerminal = func(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	// /dev/null is a character device too, and the usual stdin of scripts.
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(st, null) {
		return false
	}
	return true
}

type nuovoOptions struct {
	dati         string
	data         string
	ora          string
	titolo       string
	modalita     string
	sede         string
	indirizzo    string
	citta        string
	collegamento string
	numero       string
	evento       bool
	tavolo       string
}

func newNuovo(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "nuovo",
		Short: "Crea un nuovo file di dati commentato: un Tavolo o un comunicato",
		Long: `Crea un nuovo file di dati, commentato chiave per chiave, che passa subito
la validazione: «nuovo tavolo» in data/tavoli/, «nuovo comunicato» in
data/comunicati/. Non sovrascrive mai un file esistente.

Le date non vengono mai prese dall'orologio: si indicano con --data, oppure
coopera le chiede quando è avviato da un terminale.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newNuovoTavolo(g), newNuovoComunicato(g))
	for _, c := range append(cmd.Commands(), cmd) {
		c.InitDefaultHelpFlag()
		c.Flags().Lookup("help").Usage = "mostra questo aiuto"
	}
	return cmd
}

func newNuovoTavolo(g *globals) *cobra.Command {
	o := &nuovoOptions{}
	cmd := &cobra.Command{
		Use:   "tavolo",
		Short: "Crea il file di un nuovo Tavolo tecnico (o di un altro evento)",
		Long: `Scrive in DATI/tavoli/ il file AAAA-MM-GG-tavolo-N.yaml di un nuovo Tavolo
tecnico, con il numero successivo al più alto già usato, la data, l'orario e
la modalità indicati, e in commento le altre chiavi con i valori predefiniti
del profilo. Stampa il percorso del file.

--data e --ora sono obbligatorie; su un terminale, se mancano, coopera le
chiede (con titolo e modalità; per presenza e mista anche sede, indirizzo e
città, per videoconferenza e mista il link). Senza titolo, o senza --sede
per presenza e mista, il file dice «DA DEFINIRE»: coopera valida lo segnala
come avviso, la bozza si compone, ma nessuna lettera definitiva si emette
finché resta. Un --numero già usato è rifiutato; un altro incontro lo stesso
giorno è segnalato.`,
		Example: `  coopera nuovo tavolo --data 2026-12-10 --ora 15:00-17:00
  coopera nuovo tavolo --data 2026-12-10 --ora 15:00-17:00 --titolo "Accoglienza e salute" --modalita presenza --sede "Sala Martorana"
  coopera nuovo tavolo --evento --titolo "Webinar sul bando" --data 2027-01-15 --ora 09:30-11:00`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runNuovoTavolo(cmd, g, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.dati, "dati", "data", "la cartella dei dati (con progetto.yaml e tavoli/)")
	f.StringVar(&o.data, "data", "", "il giorno dell'incontro, AAAA-MM-GG")
	f.StringVar(&o.ora, "ora", "", "inizio e fine, HH:MM-HH:MM")
	f.StringVar(&o.titolo, "titolo", "", "il tema dell'incontro")
	f.StringVar(&o.modalita, "modalita", "", "videoconferenza (predefinita), presenza o mista")
	f.StringVar(&o.sede, "sede", "", "il nome della sede (per presenza e mista)")
	f.StringVar(&o.indirizzo, "indirizzo", "", "l'indirizzo della sede")
	f.StringVar(&o.citta, "citta", "", "la città della sede (predefinita: quella dell'ente nel profilo)")
	f.StringVar(&o.collegamento, "collegamento", "", "il link della videoconferenza")
	f.StringVar(&o.numero, "numero", "", "il numero del Tavolo (predefinito: il successivo al più alto esistente)")
	f.BoolVar(&o.evento, "evento", false, "un evento che non è un Tavolo numerato (serve --titolo)")
	_ = cmd.RegisterFlagCompletionFunc("modalita", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"videoconferenza", "presenza", "mista"}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("dati", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	return cmd
}

func newNuovoComunicato(g *globals) *cobra.Command {
	o := &nuovoOptions{}
	cmd := &cobra.Command{
		Use:   "comunicato",
		Short: "Crea il file di un comunicato stampa a partire da un incontro",
		Long: `Scrive in DATI/comunicati/ il file AAAA-MM-GG-tavolo-N.yaml (la data è quella
del comunicato) di un comunicato stampa che annuncia l'incontro indicato con
--tavolo: il testo già cita data, orario, numero del Tavolo, relatori e
iscrizione come nel file dell'incontro, con cui coopera lo confronta.

--tavolo e --data sono obbligatorie; su un terminale, se mancano, coopera le
chiede. Senza --dati la cartella è quella del profilo dell'incontro.`,
		Example: `  coopera nuovo comunicato --tavolo data/tavoli/2026-12-10-tavolo-7.yaml --data 2026-12-03`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, args []string) error { return runNuovoComunicato(cmd, g, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.dati, "dati", "data", "la cartella dei dati (con progetto.yaml e comunicati/)")
	f.StringVar(&o.tavolo, "tavolo", "", "il file dell'incontro da annunciare")
	f.StringVar(&o.data, "data", "", "la data del comunicato, AAAA-MM-GG")
	_ = cmd.RegisterFlagCompletionFunc("tavolo", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	})
	return cmd
}

// missingFlags is a usage error naming every required flag left out.
func missingFlags(names []string) error {
	for i, n := range names {
		names[i] = "--" + n
	}
	what := "manca l'opzione obbligatoria " + names[0]
	if len(names) > 1 {
		what = "mancano le opzioni obbligatorie " + strings.Join(names[:len(names)-1], ", ") + " e " + names[len(names)-1]
	}
	return usageError{fmt.Errorf("%s (coopera le chiede solo quando è avviato da un terminale)", what)}
}

func checkDataDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("la cartella dei dati %s non esiste\nsuggerimento: avvia coopera dalla cartella del progetto oppure indica la cartella con --dati", dir)
	}
	return nil
}

func runNuovoTavolo(cmd *cobra.Command, g *globals, o *nuovoOptions) error {
	if err := checkDataDir(o.dati); err != nil {
		return err
	}
	env, err := g.env(false)
	if err != nil {
		return err
	}
	dir := filepath.Join(o.dati, "tavoli")
	prof, probs := env.ProfileFor(filepath.Join(dir, "nuovo.yaml"))
	if err := probs.Err(); err != nil {
		return err
	}
	if o.evento && cmd.Flags().Changed("numero") {
		return usageError{errors.New("--evento e --numero non vanno insieme: un evento non ha numero")}
	}
	number := 0
	if cmd.Flags().Changed("numero") && !o.evento {
		if number, err = scaffold.ParseNumber(o.numero); err != nil {
			return usageError{fmt.Errorf("--numero %s: %v", o.numero, err)}
		}
		if number < 1 {
			return usageError{fmt.Errorf("--numero %s: il numero del Tavolo parte da 1\nsuggerimento: scrivi un numero da 1 in su, oppure togli --numero per avere il successivo", o.numero)}
		}
	}

	interactive := stdinIsTerminal(cmd.InOrStdin())
	var missing []string
	if o.data == "" {
		missing = append(missing, "data")
	}
	if o.ora == "" {
		missing = append(missing, "ora")
	}
	if o.evento && o.titolo == "" {
		missing = append(missing, "titolo")
	}
	if len(missing) > 0 && !interactive {
		return missingFlags(missing)
	}

	var m scaffold.Meeting
	ask := scaffold.NewPrompter(cmd.InOrStdin(), cmd.ErrOrStderr())
	// value takes a flag's value, or asks when the flag is missing and a
	// terminal is there; a bad flag value is a usage error (exit 2).
	value := func(flag, current, question, def string, check func(string) error) (string, error) {
		if current != "" || cmd.Flags().Changed(flag) {
			if check != nil {
				if err := check(current); err != nil {
					return "", usageError{fmt.Errorf("--%s: %v", flag, err)}
				}
			}
			return current, nil
		}
		if !interactive {
			return def, nil
		}
		return ask.Ask(question, def, check)
	}
	s, err := value("data", o.data, "Data dell'incontro (AAAA-MM-GG)", "", func(s string) error { _, err := scaffold.ParseDate(s); return err })
	if err != nil {
		return err
	}
	m.Date, _ = scaffold.ParseDate(s)
	s, err = value("ora", o.ora, "Orario (HH:MM-HH:MM)", "", func(s string) error { _, _, err := scaffold.ParseClock(s); return err })
	if err != nil {
		return err
	}
	m.Start, m.End, _ = scaffold.ParseClock(s)
	titleCheck := func(s string) error {
		if strings.ContainsAny(s, "\n\r\t") {
			return errors.New("il titolo va su una riga")
		}
		if o.evento && strings.TrimSpace(s) == "" {
			return errors.New("un evento senza numero ha bisogno del titolo")
		}
		return nil
	}
	if m.Title, err = value("titolo", o.titolo, "Titolo (invio per lasciarlo da definire)", "", titleCheck); err != nil {
		return err
	}
	m.Title = strings.TrimSpace(m.Title)
	s, err = value("modalita", o.modalita, "Modalità (videoconferenza, presenza, mista)", string(model.Video), func(s string) error { _, err := scaffold.ParseMode(s); return err })
	if err != nil {
		return err
	}
	m.Mode, _ = scaffold.ParseMode(s)
	if m.Mode == model.InPerson || m.Mode == model.Mixed {
		v := &model.Venue{Address: strings.TrimSpace(o.indirizzo), City: strings.TrimSpace(o.citta)}
		// On a terminal the venue is asked until given: a letter for people
		// who come in person must say where. With options only, a missing
		// venue becomes the placeholder, which valida warns about.
		venueCheck := func(s string) error {
			if interactive && strings.TrimSpace(s) == "" {
				return errors.New("la sede serve per un incontro in presenza o misto: scrivi il nome del luogo, per esempio Sala Martorana")
			}
			if model.IsPlaceholder(s, false) && interactive {
				return errors.New("scrivi il nome vero della sede")
			}
			return nil
		}
		if v.Name, err = value("sede", o.sede, "Nome della sede", "", venueCheck); err != nil {
			return err
		}
		v.Name = strings.TrimSpace(v.Name)
		if interactive && o.indirizzo == "" {
			if v.Address, err = ask.Ask("Indirizzo della sede", "", nil); err != nil {
				return err
			}
		}
		if interactive && o.citta == "" {
			if v.City, err = ask.Ask("Città della sede", prof.Body.City, func(s string) error {
				if strings.TrimSpace(s) == "" {
					return errors.New("scrivi la città della sede")
				}
				return nil
			}); err != nil {
				return err
			}
		}
		m.Venue = v
	} else if o.sede != "" {
		return usageError{fmt.Errorf("--sede vale solo con --modalita presenza o mista")}
	}
	if m.Mode != model.InPerson {
		if interactive && o.collegamento == "" {
			if o.collegamento, err = ask.Ask("Link della videoconferenza (invio: sarà inviato prima dell'incontro)", "", func(s string) error {
				if s != "" && !model.IsURL(s) && strings.Contains(s, "://") {
					return errors.New("scrivi l'indirizzo completo, per esempio https://meet.example.it/tavolo")
				}
				return nil
			}); err != nil {
				return err
			}
		}
		m.Link = strings.TrimSpace(o.collegamento)
		if m.Link != "" && !model.IsURL(m.Link) && strings.Contains(m.Link, "://") {
			return usageError{fmt.Errorf("--collegamento %q: scrivi l'indirizzo completo, per esempio https://meet.example.it/tavolo", m.Link)}
		}
	}
	switch {
	case o.evento:
	case number > 0:
		m.Number = number
	default:
		if m.Number, err = scaffold.NextNumber(dir); err != nil {
			return err
		}
	}
	existing, err := scaffold.ExistingMeetings(dir)
	if err != nil {
		return err
	}
	for _, e := range existing {
		if m.Number > 0 && e.Number == m.Number {
			next, _ := scaffold.NextNumber(dir)
			return fmt.Errorf("--numero %d: il %dº Tavolo esiste già: %s:%d:%d\nsuggerimento: ometti --numero e coopera sceglie il successivo libero (%d), oppure completa il file esistente",
				m.Number, m.Number, e.Path, e.NumberAt.Line, e.NumberAt.Column, next)
		}
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("impossibile creare la cartella %s: %v", dir, err)
	}
	path := filepath.Join(dir, scaffold.MeetingFileName(m))
	data := scaffold.MeetingYAML(m, prof, scaffold.SchemaLine(dir, scaffold.MeetingSchema))
	if err := createData(path, data); err != nil {
		return err
	}
	_, mprobs := model.LoadMeeting(path, prof, model.Options{Coverage: coverage(), AllowOutside: env.AllowOutside})
	if mprobs.Err() != nil {
		// A file the loader refuses is not left behind: createData made
		// it just now, so removing it loses nothing of the user's.
		os.Remove(path)
	}
	if err := reportNew(cmd, g, path, "tavolo", mprobs); err != nil {
		return err
	}
	for _, e := range existing {
		if e.Date.Equal(m.Date) && !g.json {
			what := "lo stesso giorno"
			if e.End > 0 && e.Start < m.End && m.Start < e.End {
				what = fmt.Sprintf("lo stesso giorno e alla stessa ora (%s-%s)", e.Start, e.End)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "coopera: %s: avviso: data: c'è già un incontro %s: %s:%d:%d\n  suggerimento: se è lo stesso incontro, rimuovi il file nuovo e completa quello esistente; altrimenti controlla data e orario\n",
				path, what, e.Path, e.DateAt.Line, e.DateAt.Column)
		}
	}
	return nil
}

func runNuovoComunicato(cmd *cobra.Command, g *globals, o *nuovoOptions) error {
	interactive := stdinIsTerminal(cmd.InOrStdin())
	var missing []string
	if o.tavolo == "" {
		missing = append(missing, "tavolo")
	}
	if o.data == "" {
		missing = append(missing, "data")
	}
	if len(missing) > 0 && !interactive {
		return missingFlags(missing)
	}
	ask := scaffold.NewPrompter(cmd.InOrStdin(), cmd.ErrOrStderr())
	var err error
	if o.tavolo == "" {
		if o.tavolo, err = ask.Ask("File dell'incontro (data/tavoli/…)", "", func(s string) error {
			if st, err := os.Stat(s); err != nil || st.IsDir() {
				return fmt.Errorf("il file %s non esiste", s)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if o.data == "" {
		if o.data, err = ask.Ask("Data del comunicato (AAAA-MM-GG)", "", func(s string) error { _, err := scaffold.ParseDate(s); return err }); err != nil {
			return err
		}
	}
	date, err := scaffold.ParseDate(o.data)
	if err != nil {
		return usageError{fmt.Errorf("--data: %v", err)}
	}
	if st, err := os.Stat(o.tavolo); err != nil || st.IsDir() {
		return fmt.Errorf("--tavolo %s: il file dell'incontro non esiste", o.tavolo)
	}
	env, err := g.env(false)
	if err != nil {
		return err
	}
	prof, probs := env.ProfileFor(o.tavolo)
	if err := probs.Err(); err != nil {
		return err
	}
	opt := model.Options{Coverage: coverage(), AllowOutside: env.AllowOutside}
	m, mprobs := model.LoadMeeting(o.tavolo, prof, opt)
	if err := mprobs.Err(); err != nil {
		return err
	}
	if m.End == 0 {
		return fmt.Errorf("%s: l'incontro non ha orario (chiave ora): il comunicato non può annunciarlo\nsuggerimento: aggiungi «ora: \"15:00-17:00\"» al file dell'incontro", o.tavolo)
	}
	dati := o.dati
	if !cmd.Flags().Changed("dati") {
		dati = shortPath(prof.Dir)
	}
	if err := checkDataDir(dati); err != nil {
		return err
	}
	dir := filepath.Join(dati, "comunicati")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("impossibile creare la cartella %s: %v", dir, err)
	}
	absDir, _ := filepath.Abs(dir)
	absMeeting, _ := filepath.Abs(o.tavolo)
	rel, err := filepath.Rel(absDir, absMeeting)
	if err != nil {
		return fmt.Errorf("--tavolo %s: %v", o.tavolo, err)
	}
	r := scaffold.Release{Date: date, MeetingPath: filepath.ToSlash(rel), Meeting: m}
	path := filepath.Join(dir, scaffold.ReleaseFileName(r))
	data := scaffold.ReleaseYAML(r, prof, scaffold.SchemaLine(dir, scaffold.ReleaseSchema), scaffold.ReleaseText(m, prof))
	if err := createData(path, data); err != nil {
		return err
	}
	_, rprobs := model.LoadRelease(path, prof, opt)
	if rprobs.Err() != nil {
		os.Remove(path) // made just now: a refused file is not left behind
	}
	return reportNew(cmd, g, path, "comunicato", rprobs)
}

func createData(path string, data []byte) error {
	err := scaffold.Create(path, data)
	if errors.Is(err, scaffold.ErrExists) {
		return fmt.Errorf("%s esiste già: coopera non sovrascrive i file\nsuggerimento: modifica il file esistente, oppure spostalo o rinominalo e riprova", path)
	}
	return err
}

// reportNew prints the new file's path (or JSON) and any problem the
// loader found in it; an error there is a bug in the scaffold, but the
// user still learns where.
func reportNew(cmd *cobra.Command, g *globals, path, kind string, probs model.Problems) error {
	for _, w := range probs.Warnings() {
		fmt.Fprintf(cmd.ErrOrStderr(), "coopera: %s\n", w)
	}
	if err := probs.Err(); err != nil {
		return err
	}
	switch {
	case g.json:
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode([]map[string]string{{"file": path, "tipo": kind}})
	case !g.quiet:
		fmt.Fprintln(cmd.OutOrStdout(), path)
	}
	return nil
}

// shortPath shortens an absolute folder to one relative to the working
// folder, for messages and printed paths.
func shortPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && len(r) < len(p) {
			return r
		}
	}
	return p
}
