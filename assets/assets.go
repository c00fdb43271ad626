// Package assets embeds the files every document needs and no user should
// have to install: fonts with their licences, the sRGB ICC profile for PDF/A and
// the Italian hyphenation patterns.
package assets

import "embed"

// FS holds fonts/, icc/ and hyph/ exactly as they are in this folder.
//
//go:embed fonts icc hyph
var FS embed.FS
