package typeset

import (
	"crypto/sha256"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Rome on every machine, whatever its zoneinfo
)

var rome = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
})

// Rome is the time zone of every date coopera writes.
func Rome() *time.Location { return rome() }

func hashBytes(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:8]
}
