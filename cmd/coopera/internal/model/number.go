package model

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
)

// MaxNumber is the largest whole number a data file or an option may give.
const MaxNumber = 1 << 31

// ValueError says what was read where a number, a date or a time was
// expected, and what to write instead. Message and Hint are Italian,
// without a prefix, so that a decoder can place them at a key and an
// option can print them as they are.
type ValueError struct {
	Message, Hint string
}

func (e *ValueError) Error() string { return e.Message + "\nsuggerimento: " + e.Hint }

var (
	plainDigits  = lazyre.New(`^[0-9]+$`)
	radixNumber  = lazyre.New(`^0([xXoObB])([0-9a-fA-F_]+)$`)
	exponentForm = lazyre.New(`^([0-9]+(?:[.,][0-9]*)?)[eE]([-+]?[0-9]+)$`)
	groupedBy    = lazyre.New(`^[0-9]{1,3}(?:([._ '’])[0-9]{3})(?:[._ '’][0-9]{3})*$`)
	decimalForm  = lazyre.New(`^([0-9]*)([.,])([0-9]*)$`)
)

// ReadNumber reads a whole number from 0 to MaxNumber as people type it,
// and explains exactly what was read when the text is not plain decimal
// digits: YAML and Go would read 0412 as octal, 0x99 as 153, 1e3 as 1000
// and 1.412 as a fraction, so none of these is taken silently. What is
// the text as written (a YAML scalar's Value, an option, a CSV cell).
func ReadNumber(s string) (int, *ValueError) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, &ValueError{"manca il numero", "scrivi il numero in cifre, per esempio 3"}
	case plainDigits().MatchString(s):
		if len(s) > 1 && s[0] == '0' {
			// YAML reads 0412 as octal and 0498 as a float: a number
			// copied off a letter must not change, whatever the digits.
			return 0, &ValueError{"numero scritto con zeri iniziali: " + s,
				"scrivi il numero senza zeri davanti: " + trimZeros(s)}
		}
		return decimal(s, s)
	case s[0] == '+' || s[0] == '-':
		rest := strings.TrimSpace(s[1:])
		if s[0] == '-' {
			return 0, &ValueError{"numero negativo: " + s, "il numero non può essere negativo: scrivi solo cifre, senza segno"}
		}
		if n, err := ReadNumber(rest); err == nil {
			return 0, &ValueError{"numero scritto con il segno «+»: " + s,
				"scrivi solo le cifre, senza segno: " + strconv.Itoa(n)}
		}
		return 0, &ValueError{"numero scritto con il segno «+»: " + s, "scrivi solo le cifre, senza segno"}
	}
	if m := radixNumber().FindStringSubmatch(s); m != nil {
		return radix(s, m[1], strings.ReplaceAll(m[2], "_", ""))
	}
	if m := exponentForm().FindStringSubmatch(s); m != nil {
		r, ok := new(big.Rat).SetString(strings.Replace(m[1], ",", ".", 1) + "e" + m[2])
		msg := fmt.Sprintf("numero scritto con l'esponente: %s", s)
		if ok && r.IsInt() && r.Num().IsInt64() && r.Num().Int64() <= MaxNumber {
			return 0, &ValueError{fmt.Sprintf("%s (vale %d)", msg, r.Num().Int64()),
				fmt.Sprintf("scrivi il numero per intero, solo cifre: %d", r.Num().Int64())}
		}
		return 0, &ValueError{msg, "scrivi il numero intero per esteso, solo cifre, senza «e»"}
	}
	if m := groupedBy().FindStringSubmatch(s); m != nil {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if m[1] == "." {
			// 1.412 is one thousand four hundred twelve to an Italian
			// and 1.412 (a fraction) to YAML: say both.
			return 0, &ValueError{fmt.Sprintf("numero con il punto: %s (il punto separa le migliaia o i decimali?)", s),
				fmt.Sprintf("scrivi solo cifre, senza punti: %s se intendevi le migliaia; il numero deve essere intero", trimZeros(digits))}
		}
		return 0, &ValueError{fmt.Sprintf("numero con il separatore delle migliaia «%s»: %s", m[1], s),
			"scrivi solo cifre, senza separatori: " + trimZeros(digits)}
	}
	if m := decimalForm().FindStringSubmatch(s); m != nil && m[1]+m[3] != "" {
		msg := fmt.Sprintf("numero con la virgola: %s", s)
		if m[2] == "." {
			msg = fmt.Sprintf("numero con il punto decimale: %s", s)
		}
		if strings.Trim(m[3], "0") == "" && m[1] != "" {
			return 0, &ValueError{msg, "il numero deve essere intero: scrivi " + trimZeros(m[1])}
		}
		return 0, &ValueError{msg + " (non è un numero intero)", "scrivi un numero intero, solo cifre, senza virgola né punto"}
	}
	return 0, &ValueError{fmt.Sprintf("atteso un numero intero, trovato il testo %q", truncate(s, 40)),
		"scrivi solo cifre, per esempio 3"}
}

// decimal parses plain digits within MaxNumber; what is the text to quote.
func decimal(digits, what string) (int, *ValueError) {
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > MaxNumber {
		return 0, &ValueError{"numero fuori dai limiti: " + what,
			fmt.Sprintf("controlla il numero: ha troppe cifre (al massimo %d)", int64(MaxNumber))}
	}
	return int(n), nil
}

func radix(s, letter, digits string) (int, *ValueError) {
	base, name := 16, "esadecimale"
	switch letter {
	case "o", "O":
		base, name = 8, "ottale"
	case "b", "B":
		base, name = 2, "binario"
	}
	v, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return 0, &ValueError{fmt.Sprintf("numero %s non valido: %s", name, s),
			"scrivi il numero in cifre decimali, come è scritto sulla lettera"}
	}
	if !v.IsInt64() || v.Int64() > math.MaxInt32 {
		return 0, &ValueError{fmt.Sprintf("numero %s fuori dai limiti: %s", name, s),
			"scrivi il numero in cifre decimali, come è scritto sulla lettera"}
	}
	return 0, &ValueError{fmt.Sprintf("numero %s: %s vale %d", name, s, v.Int64()),
		fmt.Sprintf("scrivi il numero in cifre decimali, come è scritto sulla lettera (%s in decimale è %d)", s, v.Int64())}
}

func trimZeros(s string) string {
	if t := strings.TrimLeft(s, "0"); t != "" {
		return t
	}
	return "0"
}

var dateShape = lazyre.New(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)

// ReadDate reads AAAA-MM-GG, refusing days that do not exist and years
// outside 2000-2199: the rule of every date in the data and the options.
func ReadDate(s string) (time.Time, *ValueError) {
	s = strings.TrimSpace(s)
	m := dateShape().FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, &ValueError{fmt.Sprintf("data non valida: %q", s), "scrivi la data come AAAA-MM-GG, per esempio 2022-03-02"}
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	if len(m[2]) != 2 || len(m[3]) != 2 {
		return time.Time{}, &ValueError{fmt.Sprintf("data non valida: %q", s), fmt.Sprintf("scrivi mese e giorno con due cifre: %04d-%02d-%02d", y, mo, day)}
	}
	if mo < 1 || mo > 12 {
		return time.Time{}, &ValueError{fmt.Sprintf("data impossibile: %s (il mese %d non esiste)", s, mo), "il mese va da 01 a 12"}
	}
	t := time.Date(y, time.Month(mo), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		return time.Time{}, &ValueError{fmt.Sprintf("data impossibile: %s non esiste", s), fmt.Sprintf("quel mese ha %d giorni", last)}
	}
	if y < 2000 || y > 2199 {
		return time.Time{}, &ValueError{fmt.Sprintf("anno fuori dall'intervallo ammesso (2000-2199): %d", y), "controlla l'anno"}
	}
	return t, nil
}

var clockShape = lazyre.New(`^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$`)

// ReadClockRange reads HH:MM-HH:MM, 24 hours, the end after the start.
func ReadClockRange(s string) (start, end Clock, err *ValueError) {
	m := clockShape().FindStringSubmatch(s)
	if m == nil {
		return 0, 0, &ValueError{fmt.Sprintf("orario non valido: %q", s),
			"scrivi inizio e fine nel formato 24 ore, per esempio 15:00-17:00 (in un file di dati tra virgolette: \"15:00-17:00\")"}
	}
	nums := make([]int, 4)
	for i := range nums {
		nums[i], _ = strconv.Atoi(m[i+1])
	}
	for i := 0; i < 4; i += 2 {
		if nums[i] > 23 || nums[i+1] > 59 {
			return 0, 0, &ValueError{fmt.Sprintf("orario impossibile: %02d:%02d", nums[i], nums[i+1]),
				"le ore vanno da 00 a 23 e i minuti da 00 a 59"}
		}
	}
	start, end = Clock(nums[0]*60+nums[1]), Clock(nums[2]*60+nums[3])
	if end <= start {
		return 0, 0, &ValueError{fmt.Sprintf("l'incontro finisce (%s) prima di cominciare (%s)", end, start),
			"l'ora di fine deve venire dopo quella di inizio, per esempio \"15:00-17:00\""}
	}
	return start, end, nil
}
