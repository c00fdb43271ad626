package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/issue"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/recipients"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/register"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newProtocollo) }

// today is the only clock coopera reads: the registration date of a number
// given by protocollo assegna (and of an annulment) when --data is absent.
// Rendering never reads it, so documents stay reproducible.
var today = func() time.Time { return time.Now() }

func newProtocollo(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "protocollo",
		Short: "Tiene il registro di protocollo: assegna, registra, elenca, verifica, annulla",
		Long: `Il registro di protocollo (di norma data/registro-protocollo.txt, un file di
testo da tenere in git con i dati) elenca ogni numero dato a una lettera:
registrato, emesso (con l'impronta SHA-256 del PDF, DPR 445/2000 art. 53) o
annullato. Le righe non si cambiano né si cancellano.

Il profilo (progetto.yaml, protocollo.gestione) sceglie chi dà i numeri:
  interna  coopera: «coopera protocollo assegna FILE» dà il numero successivo
           dell'anno, lo scrive nel file ed emette la lettera;
  esterna  il protocollo generale dell'ente: il numero e la data ricevuti si
           scrivono nel file, poi «coopera protocollo registra FILE» emette la
           lettera e la annota nel registro (il giornale delle lettere emesse).`,
		Example: `  coopera protocollo assegna data/tavoli/2022-06-20-tavolo-7.yaml -o out
  coopera protocollo registra data/tavoli/2022-03-02-tavolo-3.yaml -o out
  coopera protocollo elenco --anno 2022
  coopera protocollo verifica
  coopera protocollo annulla 12 --anno 2022 --motivo "lettera inviata per errore"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newAssegna(g), newRegistra(g), newElenco(g), newVerificaProtocollo(g), newAnnulla(g))
	return cmd
}

type issueOptions struct {
	output      string
	data        string
	destinatari string
}

// parseDay reads --flag with the data files' date rules (model.ReadDate),
// so that a date the register takes is one a meeting file could hold.
func parseDay(flag, s string) (time.Time, error) {
	d, err := model.ReadDate(s)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--%s %s: %v", flag, s, err)}
	}
	return d, nil
}

func newAssegna(g *globals) *cobra.Command {
	o := &issueOptions{}
	cmd := &cobra.Command{
		Use:   "assegna FILE",
		Short: "Dà all'incontro il numero di protocollo successivo ed emette la lettera",
		Long: `Dà all'incontro il numero di protocollo successivo dell'anno (la numerazione
ricomincia ogni anno) con la data di registrazione di oggi, o quella di --data;
scrive «protocollo:» nel file lasciando com'è tutto il resto (commenti, ordine,
formato), compone la lettera in PDF/A nella cartella -o e annota nel registro
la lettera emessa con l'impronta SHA-256 del PDF. La lettera emessa e il file
dell'incontro com'era restano, byte per byte, in data/emessi/: da lì la
riprendono coopera convoca e coopera archivio.
Con --destinatari ELENCO emette anche le lettere personali, ognuna annotata.

Solo con «gestione: interna» nel profilo; con «gestione: esterna» il numero lo
dà il protocollo dell'ente: si usa coopera protocollo registra.

Un incontro con errori non consuma un numero: il file viene controllato e
composto per intero prima di prendere il numero. Se il comando si interrompe
(errore, corrente, kill), coopera protocollo verifica dice a che punto è, e lo
stesso comando sullo stesso file completa il lavoro con lo stesso numero.
Assegnare di nuovo a un incontro che ha già il suo numero è un errore.`,
		Example: `  coopera protocollo assegna data/tavoli/2022-06-20-tavolo-7.yaml
  coopera protocollo assegna --data 2022-06-10 -o out data/tavoli/2022-06-20-tavolo-7.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIssue(cmd, g, o, args[0], true)
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", ".", "la cartella in cui scrivere il PDF")
	cmd.Flags().StringVar(&o.data, "data", "", "la data di registrazione AAAA-MM-GG (di norma oggi)")
	addIssueDestinatariFlag(cmd, o)
	return cmd
}

func newRegistra(g *globals) *cobra.Command {
	o := &issueOptions{}
	cmd := &cobra.Command{
		Use:   "registra FILE",
		Short: "Annota nel registro la lettera con il numero dato dal protocollo dell'ente",
		Long: `Con «gestione: esterna» il numero e la data li dà il protocollo generale
dell'ente e si scrivono nel file dell'incontro (protocollo: numero, data).
Questo comando controlla che il numero non sia già registrato per un altro
incontro, compone la lettera in PDF/A nella cartella -o e la annota nel
registro: il numero (con la data del protocollo) e la lettera emessa con
l'impronta SHA-256 del PDF, datata come il protocollo o con --data. La
lettera emessa e il file dell'incontro com'era restano, byte per byte, in
data/emessi/: da lì la riprendono coopera convoca e coopera archivio.
Con --destinatari ELENCO emette anche una lettera personale per ogni
destinatario e il PDF che le riunisce, ognuna annotata nel registro (riga
«personale»); si può dare anche dopo, su una lettera già emessa.
Se si interrompe, lo stesso comando completa il lavoro.`,
		Example: `  coopera protocollo registra data/tavoli/2022-03-02-tavolo-3.yaml -o out
  coopera protocollo registra --destinatari referenti.csv -o out data/tavoli/2026-12-10-tavolo-7.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIssue(cmd, g, o, args[0], false)
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", ".", "la cartella in cui scrivere il PDF")
	cmd.Flags().StringVar(&o.data, "data", "", "la data di emissione AAAA-MM-GG (di norma la data del protocollo)")
	addIssueDestinatariFlag(cmd, o)
	return cmd
}

func runIssue(cmd *cobra.Command, g *globals, o *issueOptions, file string, assign bool) error {
	var date time.Time
	if o.data != "" {
		d, err := parseDay("data", o.data)
		if err != nil {
			return err
		}
		date = d
	} else if assign {
		now := today()
		date = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	if err := checkOutputDir(o.output); err != nil {
		return err
	}
	env, err := g.env(false)
	if err != nil {
		return err
	}
	// The recipients are read before anything is issued: a bad list must
	// not leave a number issued without its personal letters.
	var rcps []recipients.Recipient
	if o.destinatari != "" {
		var rprobs model.Problems
		rcps, rprobs = recipients.Load(o.destinatari, recipients.Options{Coverage: coverage()})
		if err := rprobs.Err(); err != nil {
			return err
		}
	}
	opt := issue.Options{Env: env, OutDir: o.output, Date: date}
	var res *issue.Result
	if assign {
		res, err = issue.Assign(file, opt)
	} else {
		res, err = issue.Record(file, opt)
	}
	if err != nil && !(rcps != nil && errors.Is(err, issue.ErrAlreadyIssued)) {
		return err
	}
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	cleanLeftovers(g, stderr, o.output, filepath.Dir(file))
	if rcps != nil {
		// The personal letters of the letter just issued, or of one issued
		// earlier whose personal letters are missing.
		outs, err := personalLetters(env, file, rcps, map[string]bool{}, true)
		if err != nil {
			return err
		}
		if err := issue.WriteAll(outs, o.output); err != nil {
			return err
		}
		if !g.quiet && !g.json {
			for _, p := range outs {
				fmt.Fprintf(stdout, "protocollo n. %s: lettera personale %s, impronta sha256 %s\n", p.Issued.Formatted, filepath.Join(o.output, p.Name), p.Issued.PDFSHA256)
			}
		}
		if res == nil {
			return nil
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "coopera: %s\n", w)
	}
	if g.json {
		return encodeJSON(stdout, struct {
			Protocollo string `json:"protocollo"`
			Anno       int    `json:"anno"`
			Numero     int    `json:"numero"`
			Data       string `json:"data"`
			File       string `json:"file"`
			PDF        string `json:"pdf"`
			SHA256     string `json:"sha256_pdf"`
			Riga       int    `json:"riga"`
			Ripreso    bool   `json:"ripreso"`
		}{res.Formatted, res.Year, res.Number, res.Date.Format("2006-01-02"), file, res.PDFPath, res.Issued.PDFSHA256, res.Issued.Line, res.Resumed})
	}
	if g.quiet {
		return nil
	}
	verb := "emessa"
	if res.Resumed {
		verb = "emessa (completato il lavoro interrotto)"
	}
	fmt.Fprintf(stdout, "protocollo n. %s: %s %s, impronta sha256 %s\n", res.Formatted, verb, res.PDFPath, res.Issued.PDFSHA256)
	return nil
}

func addIssueDestinatariFlag(cmd *cobra.Command, o *issueOptions) {
	cmd.Flags().StringVar(&o.destinatari, "destinatari", "", "emette anche le lettere personali per i destinatari di questo file (YAML o CSV), ognuna annotata nel registro")
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// registerProfile loads the profile that governs a data folder: --progetto,
// or progetto.yaml in the folder.
func registerProfile(g *globals, dataDir string) (*pipeline.Env, *model.Profile, error) {
	env, err := g.env(false)
	if err != nil {
		return nil, nil, err
	}
	path := g.progetto
	if path == "" {
		path = filepath.Join(dataDir, model.ProfileName)
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			return nil, nil, fmt.Errorf("nessun %s in %s: indica la cartella dei dati (coopera protocollo elenco CARTELLA) o il profilo con --progetto", model.ProfileName, dataDir)
		}
		env.Profile = path
	}
	prof, probs := model.LoadProfile(path, model.Options{AllowOutside: g.fuoriCartella})
	if err := probs.Err(); err != nil {
		return nil, nil, err
	}
	return env, prof, nil
}

func dataDirArg(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return defaultDataDir()
}

// defaultDataDir is the data folder a command works on when none is named:
// data/ under the current folder (the repository's root), or else the
// folder of the nearest progetto.yaml from the current folder up, so that
// the commands work from inside the data folder too.
func defaultDataDir() string {
	if st, err := os.Stat(filepath.Join("data", model.ProfileName)); err == nil && st.Mode().IsRegular() {
		return "data"
	}
	if p, err := model.FindProfile(model.ProfileName); err == nil {
		return filepath.Dir(p)
	}
	return "data"
}

type elencoOptions struct {
	anno    int
	annoRaw string
}

func newElenco(g *globals) *cobra.Command {
	o := &elencoOptions{}
	cmd := &cobra.Command{
		Use:   "elenco [CARTELLA_DATI]",
		Short: "Elenca il registro di protocollo",
		Long: `Elenca le registrazioni del registro di protocollo della cartella dei dati
(di norma data), nell'ordine in cui sono state scritte: numero, data, tipo,
oggetto, file sorgente e le impronte SHA-256 (abbreviate; complete con --json).`,
		Example: `  coopera protocollo elenco
  coopera protocollo elenco --anno 2022 --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.anno, err = numberOption("anno", o.annoRaw); err != nil {
				return err
			}
			_, prof, err := registerProfile(g, dataDirArg(args))
			if err != nil {
				return err
			}
			r, rerr := register.Read(prof.Protocol.Register)
			var dmg *register.DamageError
			if rerr != nil && !errors.As(rerr, &dmg) {
				return rerr
			}
			var list []register.Entry
			for _, e := range r.Entries() {
				if o.anno == 0 || e.Year == o.anno {
					list = append(list, e)
				}
			}
			if err := printElenco(g, cmd.OutOrStdout(), list); err != nil {
				return err
			}
			if dmg != nil {
				// The readable lines are listed; the damage is the error.
				return fmt.Errorf("il registro è danneggiato, elencate solo le righe leggibili:\n%w\nsuggerimento: coopera protocollo verifica", rerr)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.annoRaw, "anno", "", "solo le registrazioni di quest'anno")
	return cmd
}

func printElenco(g *globals, w io.Writer, list []register.Entry) error {
	if g.json {
		type row struct {
			Riga        int    `json:"riga"`
			Anno        int    `json:"anno"`
			Numero      int    `json:"numero"`
			Protocollo  string `json:"protocollo"`
			Data        string `json:"data"`
			Tipo        string `json:"tipo"`
			Oggetto     string `json:"oggetto"`
			Destinatari string `json:"destinatari"`
			Origine     string `json:"origine"`
			OrigineSHA  string `json:"origine_sha256,omitempty"`
			PDFSHA      string `json:"sha256_pdf,omitempty"`
			Motivo      string `json:"motivo,omitempty"`
		}
		rows := []row{}
		for _, e := range list {
			rows = append(rows, row{e.Line, e.Year, e.Number, e.Formatted, e.Date.Format("2006-01-02"), string(e.Kind),
				e.Subject, e.Recipients, e.Source, e.SourceSHA256, e.PDFSHA256, e.Reason})
		}
		return encodeJSON(w, rows)
	}
	if len(list) == 0 {
		if !g.quiet {
			fmt.Fprintln(w, "nessuna registrazione")
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROTOCOLLO\tDATA\tTIPO\tOGGETTO\tORIGINE\tSHA256 ORIGINE\tSHA256 PDF\tMOTIVO")
	for _, e := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Formatted, e.Date.Format("2006-01-02"), e.Kind,
			clip(e.Subject, 60), e.Source, dash(shortHash(e.SourceSHA256)), dash(shortHash(e.PDFSHA256)), dash(e.Reason))
	}
	return tw.Flush()
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

type verificaOptions struct {
	ripara   bool
	archivio string
	output   []string
}

func newVerificaProtocollo(g *globals) *cobra.Command {
	o := &verificaOptions{}
	cmd := &cobra.Command{
		Use:   "verifica [CARTELLA_DATI]",
		Short: "Controlla il registro di protocollo, i file degli incontri e le lettere emesse",
		Long: `Controlla il registro di protocollo della cartella dei dati (di norma data):
  - il file è integro (ogni riga si legge e la catena di impronte tiene: una
    riga modificata, cancellata o spostata è segnalata con il suo numero);
  - nessun numero è registrato, emesso o annullato due volte; con «gestione:
    interna» i numeri non hanno buchi;
  - nessun numero è rimasto registrato senza lettera emessa (un comando
    interrotto: lo stesso comando lo completa);
  - il file di ogni numero esiste e riporta quel numero e quella data;
  - la copia di ogni lettera emessa in data/emessi/ ha l'impronta registrata
    e i dati del file dell'incontro sono quelli dell'emissione (altrimenti
    elenca le chiavi cambiate e le due vie d'uscita); con --archivio DIR, ogni
    lettera emessa che si trova in DIR (un archivio di coopera archivio o una
    cartella qualsiasi di PDF, anche divisa per anno) ha l'impronta registrata;
  - nessun file di incontro riporta un numero che il registro non gli dà o
    che non è emesso (si emette con coopera protocollo registra).
  - nessun file temporaneo di un comando interrotto è rimasto nella cartella
    dei dati, nell'archivio o nelle cartelle -o (di norma quella corrente): il
    prossimo comando che scrive nella cartella lo rimuove.
Senza cartella lavora su data, o, dall'interno della cartella dei dati, sulla
cartella del progetto.yaml più vicino.
Una riga per problema; esce con 1 se qualcosa va sistemato. Le note non
richiedono nulla. --ripara elimina solo una riga finale incompleta (lasciata da
una scrittura interrotta); ogni altro danno va corretto a mano.`,
		Example: `  coopera protocollo verifica
  coopera protocollo verifica --ripara
  coopera protocollo verifica --archivio archivio data`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runVerificaProtocollo(cmd, g, o, args) },
	}
	cmd.Flags().BoolVar(&o.ripara, "ripara", false, "elimina la riga finale incompleta lasciata da una scrittura interrotta")
	cmd.Flags().StringVar(&o.archivio, "archivio", "", "la cartella dell'archivio da controllare (di norma archivio, se esiste)")
	cmd.Flags().StringSliceVarP(&o.output, "output", "o", []string{"."}, "le cartelle dei PDF in cui cercare file temporanei lasciati da esecuzioni interrotte")
	return cmd
}

func runVerificaProtocollo(cmd *cobra.Command, g *globals, o *verificaOptions, args []string) error {
	env, prof, err := registerProfile(g, dataDirArg(args))
	if err != nil {
		return err
	}
	arch := o.archivio
	if arch == "" {
		if st, err := os.Stat("archivio"); err == nil && st.IsDir() {
			arch = "archivio"
		}
	}
	rep, err := issue.Verify(issue.VerifyOptions{Env: env, Profile: prof, Archive: arch, Repair: o.ripara})
	if err != nil {
		return err
	}
	rep.Findings = append(rep.Findings, leftoverFindings(prof.Dir, o.output, arch)...)
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if g.json {
		if rep.Findings == nil {
			rep.Findings = []issue.Finding{}
		}
		if err := encodeJSON(stdout, rep); err != nil {
			return err
		}
		if rep.NeedsAttention() {
			return silentError{}
		}
		return nil
	}
	if rep.Repaired != "" {
		fmt.Fprintf(stderr, "coopera: %s: eliminata la riga finale incompleta (%d byte)\n", rep.Register, len(rep.Repaired))
	}
	problems := 0
	for _, f := range rep.Findings {
		if !f.Note {
			problems++
		}
		if f.Note && g.quiet {
			continue
		}
		fmt.Fprintf(stderr, "coopera: %s\n", f)
		if f.Hint != "" {
			fmt.Fprintf(stderr, "  suggerimento: %s\n", f.Hint)
		}
	}
	if problems > 0 {
		fmt.Fprintf(stderr, "coopera: %s: %d %s da sistemare\n", rep.Register, problems, plural(problems, "problema", "problemi"))
		return silentError{}
	}
	if !g.quiet {
		personal := ""
		if rep.Personal > 0 {
			personal = " (e " + count(rep.Personal, "lettera personale", "lettere personali") + ")"
		}
		fmt.Fprintf(stdout, "%s: %s, %s, %s%s: tutto in ordine\n", rep.Register, count(rep.Entries, "registrazione", "registrazioni"), count(rep.Numbers, "numero", "numeri"), count(rep.Issued, "lettera emessa", "lettere emesse"), personal)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

type annullaOptions struct {
	anno    int
	annoRaw string
	motivo  string
	data    string
}

func newAnnulla(g *globals) *cobra.Command {
	o := &annullaOptions{}
	var cancel *cancelICS // --ics, in ics.go
	cmd := &cobra.Command{
		Use:   "annulla N [CARTELLA_DATI]",
		Short: "Annulla un numero di protocollo, con il motivo",
		Long: `Annulla il numero N (dell'anno --anno, che si può omettere se N c'è in un solo
anno) aggiungendo al registro una riga «annullato» con il motivo e la data (oggi,
o --data, dello stesso anno del numero). Nessuna riga viene cancellata e nessun
numero viene ridato: il numero annullato resta nel registro.

Con --ics scrive anche (in -o CARTELLA) l'annullamento dell'invito per il
calendario dell'incontro del numero (METHOD:CANCEL, STATUS:CANCELLED): chi lo
apre vede l'evento annullato nel proprio calendario. Su un numero già annullato,
--ics scrive solo l'annullamento dell'invito.`,
		Example: `  coopera protocollo annulla 12 --anno 2022 --motivo "lettera inviata per errore"
  coopera protocollo annulla 12 --anno 2022 --motivo "sede cambiata" --ics -o out`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, verr := model.ReadNumber(args[0])
			if verr != nil {
				return usageError{fmt.Errorf("%q non è un numero di protocollo: %v", args[0], verr)}
			}
			if n < 1 {
				return usageError{fmt.Errorf("%q non è un numero di protocollo: serve un numero intero da 1 in su\nsuggerimento: coopera protocollo elenco mostra i numeri emessi", args[0])}
			}
			var err error
			if o.anno, err = numberOption("anno", o.annoRaw); err != nil {
				return err
			}
			if strings.TrimSpace(o.motivo) == "" {
				return usageError{errors.New("serve il motivo dell'annullamento: --motivo \"…\"")}
			}
			env, prof, err := registerProfile(g, dataDirArg(args[1:]))
			if err != nil {
				return err
			}
			path := prof.Protocol.Register
			r, err := register.Read(path)
			if err != nil {
				return err
			}
			year := o.anno
			if year == 0 {
				var years []int
				for _, e := range r.Entries() {
					if e.Number == n && (len(years) == 0 || years[len(years)-1] != e.Year) {
						years = append(years, e.Year)
					}
				}
				switch len(years) {
				case 0:
					return fmt.Errorf("il numero %d non è nel registro di protocollo %s\nsuggerimento: controlla il numero con coopera protocollo elenco", n, relName(path))
				case 1:
					year = years[0]
				default:
					return usageError{fmt.Errorf("il numero %d c'è in più anni: indica quale con --anno", n)}
				}
			}
			if _, ok := r.Lookup(year, n); !ok {
				var other []string
				for _, e := range r.Entries() {
					if e.Number == n && e.Kind != register.Personal && !slices.Contains(other, e.Formatted) {
						other = append(other, e.Formatted)
					}
				}
				hint := "controlla numero e anno con coopera protocollo elenco --anno " + strconv.Itoa(year)
				if len(other) > 0 {
					hint = "nel registro c'è il numero " + strings.Join(other, ", ") + ": indica il suo anno con --anno"
				}
				return fmt.Errorf("il numero %d del %d non è nel registro di protocollo %s\nsuggerimento: %s", n, year, relName(path), hint)
			}
			if done, err := cancel.prepare(cmd, g, env, prof, r, year, n); err != nil || done {
				return err
			}
			var date time.Time
			if o.data != "" {
				if date, err = parseDay("data", o.data); err != nil {
					return err
				}
			} else {
				now := today()
				date = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
				if date.Year() != year {
					return fmt.Errorf("il numero %d è del %d e il registro tiene l'annullamento nell'anno del numero\nsuggerimento: indica con --data il giorno dell'annullamento nel %d, per esempio --data %d-12-31", n, year, year, year)
				}
			}
			e, err := register.Annul(path, year, n, o.motivo, date)
			if err != nil {
				return err
			}
			if g.json {
				return encodeJSON(cmd.OutOrStdout(), struct {
					Protocollo string `json:"protocollo"`
					Anno       int    `json:"anno"`
					Numero     int    `json:"numero"`
					Data       string `json:"data"`
					Riga       int    `json:"riga"`
				}{e.Formatted, e.Year, e.Number, e.Date.Format("2006-01-02"), e.Line})
			}
			if !g.quiet {
				fmt.Fprintf(cmd.OutOrStdout(), "protocollo n. %s annullato (riga %d del registro)\n", e.Formatted, e.Line)
			}
			return cancel.write(cmd, g, e)
		},
	}
	cmd.Flags().StringVar(&o.annoRaw, "anno", "", "l'anno del numero")
	cmd.Flags().StringVar(&o.motivo, "motivo", "", "il motivo dell'annullamento (obbligatorio)")
	cmd.Flags().StringVar(&o.data, "data", "", "la data dell'annullamento AAAA-MM-GG (di norma oggi)")
	cancel = addCancelICSFlags(cmd)
	return cmd
}

func relName(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return p
}

func count(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

// numberOption reads a whole number given to --flag with the data files'
// rules (model.ReadNumber); an absent option is 0.
func numberOption(flag, s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := model.ReadNumber(s)
	if err != nil {
		return 0, usageError{fmt.Errorf("--%s %s: %v", flag, s, err)}
	}
	return n, nil
}
