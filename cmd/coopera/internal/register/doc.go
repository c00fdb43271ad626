// Package register is the protocol stage's one job: keeping the protocol
// register (DPR 445/2000 art. 53 and 57) as a plain-text, append-only,
// tamper-evident file committed with the data, e.g. data/registro-protocollo.txt.
//
// # File format (formato 1)
//
// UTF-8, LF line endings (a CR before the LF is tolerated on reading, for
// checkouts that convert line endings). The file opens with comment lines
// starting with "#"; the first is exactly
//
//	# coopera: registro di protocollo, formato 1
//
// and the rest explain the format in Italian for whoever opens the file.
// Comments are allowed only in that opening block. Every other line is one
// entry, never changed or removed once written, with 12 fields separated by
// a TAB:
//
//	 1 anno        year of the number, e.g. 2022 (numbers restart every year)
//	 2 numero      the number, 1, 2, ... (decimal, no leading zeros)
//	 3 data        registration date of this entry, YYYY-MM-DD, in anno
//	 4 tipo        registrato | emesso | annullato
//	 5 formattato  the number as printed on the letter, e.g. 0153/23/02/22
//	 6 oggetto     subject
//	 7 destinatari addressees (correspondents)
//	 8 fonte       source file, slash-separated, relative to the data folder
//	 9 sha256      SHA-256 of the source file (lower-case hex, or empty)
//	10 sha256-pdf  SHA-256 of the issued PDF (the "impronta"; may be empty)
//	11 motivo      reason (required for annullato)
//	12 catena      hash chain, see below
//
// Kinds: "registrato" records a number without a PDF yet (the journal of a
// number given by the body's own protocol system, or a reservation made
// before rendering); "emesso" records the issued letter with its PDF hash;
// "annullato" annuls a number with a reason. For each (anno, numero) the
// entries can only come in that order, each kind at most once: a number is
// never reused and never renumbered.
//
// Text fields escape a backslash as \\, TAB as \t, LF as \n, CR as \r and
// any other control character as \xHH, so that one entry is always one line
// and the file diffs cleanly.
//
// The chain field is the lower-case hex SHA-256 of the previous entry's
// chain field (64 "0" for the first entry), a LF, and fields 1 to 11 exactly
// as written (escaped, TAB-separated). Editing, deleting, inserting or
// reordering any entry breaks the chain at that line, which Read reports as
// FILE:LINE. Removing the last entries is not detectable by the chain alone;
// "verifica" cross-checks meeting files and git history keeps the rest.
//
// # Concurrency and crashes
//
// Writers serialize on flock(2) of the register's folder (readers take it
// shared, and nobody creates a lock file) and re-read the register inside
// the lock. A new entry is appended with a
// single write followed by fsync (the file is created, header and first entry
// together, by temp file and rename, then the folder is synced). A crash can
// therefore leave at most one torn final line, without its LF or holding NUL
// bytes; Read reports it, writers refuse to go on, and Repair removes it and
// nothing else. An entry whose Assign returned is never torn.
package register
