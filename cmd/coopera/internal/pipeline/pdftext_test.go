package pipeline_test

// The seed documents, rendered from data/ and read back with pdftotext:
// every fact of the seed letter (000_…) and of the seed press release
// (002_…) must be in the text a reader or a search engine gets out of the
// PDF, not only drawn on the page.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/pipeline"
	"github.com/ancisicilia/coopera/templates"
)

func seedData(tb testing.TB) string {
	tb.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "..", "..", "data"))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

var (
	lineHyphen = regexp.MustCompile(`(\p{L})-\n\s*(\p{Ll})`)
	whiteSpace = regexp.MustCompile(`\s+`)
	quotes     = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "\u00a0", " ", "\u00ad", "")
)

// normalizeText undoes what extraction does to running text: a word
// hyphenated at a line end is joined, every run of white space becomes
// one space, and typographic quotes compare equal to straight ones.
func normalizeText(s string) string {
	s = quotes.Replace(s)
	s = lineHyphen.ReplaceAllString(s, "$1$2")
	return strings.TrimSpace(whiteSpace.ReplaceAllString(s, " "))
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Coordina-\nmento dei", "Coordinamento dei"},
		{"l’Ente  locale\n\nper", "l'Ente locale per"},
		{"“COOPERA”", `"COOPERA"`},
		{"15:00-\n17:00", "15:00- 17:00"},
		{"dell'inter-\n  no", "dell'interno"},
	}
	for _, tt := range tests {
		if got := normalizeText(tt.in); got != tt.want {
			t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// pdfText renders nothing itself: it extracts the text of pdf.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return normalizeText(string(out))
}

func checkFacts(t *testing.T, text string, facts []string) {
	t.Helper()
	for _, f := range facts {
		if !strings.Contains(text, normalizeText(f)) {
			t.Errorf("missing from the PDF's text: %q", f)
		}
	}
}

// Facts of seed 000_32b9e7f843e69bd5.txt, the 3º Tavolo's letter. Where the
// rendered letter words a fact as data-format.md asks rather than as the
// seed typed it, the comment says so.
var letterFacts = []string{
	// letterhead
	"Progetto co-finanziato dall'Unione Europea",
	"Città di Palermo",
	"MINISTERO DELL'INTERNO",
	"Fondo Asilo, Migrazione e Integrazione 2014-2020 - Obiettivo Specifico 2.",
	"Integrazione/Migrazione legale - Obiettivo nazionale ON 3",
	"Capacity building - lettera j) Governance dei servizi - Qualificazione del sistema di tutela sanitaria",
	"PROGETTO COOPERA - I Comuni migliorano PER Arginare le vulnerabilità",
	// protocol and subject (the seed's "17.00" is a typo for 17:00)
	"Prot. n. 0153/23/02/22",
	`Oggetto: CONVOCAZIONE TAVOLO TECNICO tra i Referenti del Coordinamento dei Comuni siciliani aderenti al SAI - Progetto 3031 "COOPERA"; mercoledì 2 marzo 2022 ore 15:00-17:00`,
	"Gentilissimi,",
	// invitation: date, time and mode
	"mercoledì 2 marzo 2022 dalle ore 15:00 alle ore 17:00",
	"in videoconferenza.",
	// meeting text and speakers with their roles
	"Durante l'incontro verrà illustrata l'esperienza del Coordinamento dei Progetti SAI della provincia di Brescia, un modello di rete che funziona dal 2016, con gli interventi del dott. Antonio Tedeschi, Referente per gli Enti locali del Coordinamento e Consigliere delegato all'Accoglienza e l'Integrazione del Comune di Collebeato e della dott.ssa Maddalena Alberti, Referente per gli Enti attuatori del Coordinamento e direttrice dell'associazione Adl Zavidovici.",
	// registration (the seed says "prima del webinar": the letter says
	// "prima dell'incontro", right for every kind of meeting)
	"Vi informo che la richiesta di iscrizione dovrà avvenire previa registrazione al sito http://www.anci.sicilia.it/iscrizioni.",
	"Il link di collegamento alla piattaforma sarà inviato prima",
	// project paragraph
	"Vi ricordo che tale attività si svolge nell'ambito del progetto 3031 COOPERA - I COmuni MiglioranO PER Arginare le vulnerabilità, finanziato dal Ministero dell'interno. Il progetto, che attinge al Fami 2014-2020 (Fondo asilo, migrazione e integrazione), si colloca all'interno dell'obiettivo nazionale accoglienza e asilo al fine di potenziare l'offerta dei servizi delle Amministrazioni locali ed aumentare le competenze degli operatori che lavorano con i cittadini dei Paesi Terzi.",
	// Coordinamento form paragraph
	"Al fine di poter ricevere informazioni utili sulle prossime iniziative informative/formative e di scambio di buone pratiche che verranno realizzate dall'ANCI Sicilia nell'ambito del Progetto COOPERA e più in generale, con riferimento all'accoglienza e all'integrazione dei migranti e partecipare ai lavori del Coordinamento, si ricorda, a chi non lo avesse ancora fatto, che è necessaria la compilazione dell'allegata scheda, indicando uno o più referenti dell'Ente.",
	// greeting and signature
	"In attesa di incontrarvi, l'occasione è gradita per porgere cordiali saluti",
	"Mario Emanuele Alvano",
	"Segretario Generale ANCI Sicilia",
	// footer
	"ANCI SICILIA",
	"Associazione dei comuni siciliani",
	"progettocoopera.it",
}

// Facts of seed 002_856958ae6f63bc3d.txt, the 2º Tavolo's press release
// (the place and date line gets the comma data-format.md asks for).
var releaseFacts = []string{
	"Progetto co-finanziato dall'Unione Europea",
	"Città di Palermo",
	"MINISTERO DELL'INTERNO",
	"Fondo Asilo, Migrazione e Integrazione 2014-2020 - Obiettivo Specifico 2.",
	"PROGETTO COOPERA - I Comuni migliorano PER Arginare le vulnerabilità",
	"Comunicato Stampa",
	"Progetto COOPERA, 2° Tavolo tecnico del Coordinamento dei Comuni della Rete SAI (Sistema Accoglienza Integrazione) promosso da ANCI Sicilia – webinar il 31 gennaio p.v. dalle ore 15 alle 17.",
	"“Come rafforzare la struttura organizzativa dell’Ente locale per una più efficace gestione del Progetto SAI” è il tema del webinar online che si svolgerà il prossimo 31 gennaio dalle 15 alle 17, promosso dall’ANCI Sicilia nell’ambito del Progetto Coopera (I Comuni migliorano PER Arginare la vulnerabilità), che vede come capofila il Comune di Palermo, a cui aderiscono come partners anche i Comuni di Trapani ed Agrigento, le Aziende Sanitarie provinciali di Siracusa, Agrigento e Trapani, il Policlinico di Palermo, il Polo Universitario di Agrigento e il CEFPAS di Caltanissetta",
	"Un ulteriore incontro del Tavolo tecnico del Coordinamento dei Comuni siciliani aderenti alla rete del Sistema di Accoglienza Integrazione (SAI), che vuole essere un valido strumento per rafforzare la Rete siciliana e promuovere un confronto ed una collaborazione proficua tra Enti, anche con l’utilizzo di esperti, per diffondere informazioni nel territorio isolano di pratiche positive in ambito nazionale.",
	"Al Coordinamento hanno già aderito diversi Comuni con dei loro referenti quali Acireale, Alcamo, Bronte, Castoreale, Catania, Mazzarino, Milazzo, Mirabella Imbaccari, Ragusa, Rodi Milici, S. Margherita Belice, Valderice, Vizzini e i Liberi Consorzi di Ragusa e Siracusa.",
	"Un coordinamento, su base regionale, a cui si può ancora aderire da parte dei Comuni interessati e che ha l’obiettivo di creare Rete tra tutti i partners del Progetto, le Amministrazioni comunali e gli operatori del settore.",
	"Un tavolo tecnico, quello di fine gennaio, a cui parteciperanno oltre ai referenti del Coordinamento, anche i responsabili dei servizi sociali dei Comuni, degli Enti partners e di esperti del settore.",
	"Nell’incontro, coordinato da Mario Emanuele Alvano, Segretario Generale dell’ANCI Sicilia, verranno esposte le esperienze del Modello SAI Torino dal titolo “il Progetto, parte integrante del sistema dei servizi per lo sviluppo del welfare locale”, con l’intervento di Salvatore Bottari, Responsabile del Progetto SAI del Comune di Torino; e del Modello SAI Chiesanuova (TO) dal titolo “la gestione diretta del Progetto guarda al futuro del territorio”, con gli interventi di Silvia Evelyn Rovetto e Annalisa Fontana, Responsabile e Coordinatrice del Progetto SAI.",
	"Due esperienze piemontesi riguardanti una Città metropolitana e uno dei più piccoli paesi italiani con circa 250 abitanti.",
	"Per iscrizione basta collegarsi al sito dell’ANCI Sicilia (www.anci.sicilia.it/iscrizioni/) e seguire la procedura d’iscrizione.",
	"Nello stesso sito è possibile scaricare la scheda per aderire al Coordinamento dei Comuni, o richiederla ad ancisicilia@anci.sicilia.it.",
	"Palermo, 25 gennaio 2022",
	"ANCI SICILIA",
	"Associazione dei comuni siciliani",
	"progettocoopera.it",
}

func TestSeedLetterText(t *testing.T) {
	env := &pipeline.Env{Templates: templates.FS, Version: "test"}
	out, err := env.Letter(filepath.Join(seedData(t), "tavoli", "2022-03-02-tavolo-3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, out.PDF)
	checkFacts(t, text, letterFacts)
	for _, wrong := range []string{"BOZZA", "giovedì", "17.00"} {
		if strings.Contains(text, wrong) {
			t.Errorf("the letter's text holds %q", wrong)
		}
	}
	// The performance issue's size target: at most 25 KB with the three
	// logos, the subset fonts and the PDF/A metadata.
	if len(out.PDF) > 25_000 {
		t.Errorf("the seed letter is %d bytes, more than 25,000", len(out.PDF))
	}
}

func TestSeedReleaseText(t *testing.T) {
	env := &pipeline.Env{Templates: templates.FS, Version: "test"}
	out, err := env.PressRelease(filepath.Join(seedData(t), "comunicati", "2022-01-25-tavolo-2.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	checkFacts(t, pdfText(t, out.PDF), releaseFacts)
}

// BenchmarkLetter renders the 3º Tavolo's letter end to end in memory, as
// one "coopera convoca" does: profile and meeting loaded, templates run,
// typeset, archive fix-ups. Fonts and images are parsed once per process.
func BenchmarkLetter(b *testing.B) {
	path := filepath.Join(seedData(b), "tavoli", "2022-03-02-tavolo-3.yaml")
	var size int
	for b.Loop() {
		env := &pipeline.Env{Templates: templates.FS, Version: "bench"}
		out, err := env.Letter(path)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out.PDF)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
