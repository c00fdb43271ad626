// Package model is the load-and-validate stage: it reads the profile,
// meeting and press-release files strictly, reports every problem of a file
// at once as FILE:LINE:COL: key: problem (in Italian), and hands typed values
// to the later stages.
package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong (or, as a warning, worth a look) in a file.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"riga"`
	Column  int    `json:"colonna"`
	Key     string `json:"chiave,omitempty"`
	Message string `json:"problema"`
	Hint    string `json:"suggerimento,omitempty"`
	Warning bool   `json:"avviso,omitempty"`
}

// Error lets a single Problem travel as an error.
func (p Problem) Error() string { return p.String() }

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
			if p.Column > 0 {
				fmt.Fprintf(&b, ":%d", p.Column)
			}
		}
		b.WriteString(": ")
	}
	if p.Warning {
		b.WriteString("avviso: ")
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Message)
	if p.Hint != "" {
		b.WriteString("\n  suggerimento: " + p.Hint)
	}
	return b.String()
}

// Problems is every problem found in one or more files. As an error it
// counts only when it holds at least one non-warning.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Errors returns the problems that are not warnings.
func (ps Problems) Errors() Problems {
	return slices.DeleteFunc(slices.Clone(ps), func(p Problem) bool { return p.Warning })
}

// Warnings returns the warnings only.
func (ps Problems) Warnings() Problems {
	return slices.DeleteFunc(slices.Clone(ps), func(p Problem) bool { return !p.Warning })
}

// Err returns ps as an error when it holds an error, nil otherwise.
func (ps Problems) Err() error {
	if len(ps.Errors()) == 0 {
		return nil
	}
	return ps.Errors()
}

func (ps Problems) sorted() Problems {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return ps
}

// Unique keeps the first of equal problems, in order: a problem of a file
// several others share (the profile, a logo) comes back with each of them.
func (ps Problems) Unique() Problems {
	seen := make(map[Problem]bool, len(ps))
	var out Problems
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
