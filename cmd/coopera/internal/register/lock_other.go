//go:build !unix

package register

import "errors"

// lockFile has no implementation here yet: refusing is safer than writing
// the register without mutual exclusion.
func lockFile(path string, exclusive bool) (func(), error) {
	return nil, errors.New("il blocco del registro di protocollo non è disponibile su questo sistema operativo")
}

// noFollow is not available here; writers are refused by lockFile anyway.
const noFollow = 0
