// Package templates embeds the default document templates: the convocation
// letter, the press release and the letterhead. A user replaces them with a
// folder of their own (--modelli DIR) holding files of the same names.
package templates

import "embed"

// FS holds the *.tmpl files of this folder.
//
//go:embed *.tmpl
var FS embed.FS
