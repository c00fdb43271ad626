//go:build !race

package pngcheck

const raceEnabled = false
