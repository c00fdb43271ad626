package recipients

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/ancisicilia/coopera/cmd/coopera/internal/lazyre"
	"github.com/ancisicilia/coopera/cmd/coopera/internal/model"
	"go.yaml.in/yaml/v3"
)

const example = "per esempio:\n  - nome: Maria Rossi\n    titolo: dott.ssa\n    ente: Comune di Catania"

var yamlLine = lazyre.New(`^yaml: (?:line (\d+): )?(.*)$`)

// yaml reads a list of recipients, either the whole document or under the
// key destinatari (so that the file can say what it is).
func (d *decoder) yaml(data []byte) []Recipient {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errorf(1, 1, "", example, "il file è vuoto")
			return nil
		}
		msg, line := err.Error(), 1
		if m := yamlLine().FindStringSubmatch(msg); m != nil {
			if n, _ := strconv.Atoi(m[1]); n > 0 {
				line = n
			}
			msg = m[2]
		}
		d.errorf(line, 1, "", "controlla il rientro (solo spazi) e che ogni «chiave:» sia seguita da uno spazio", "il file non è YAML valido (%s)", msg)
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind == yaml.MappingNode {
		var list *yaml.Node
		for i := 0; i+1 < len(root.Content); i += 2 {
			k := root.Content[i]
			if k.Value != "destinatari" {
				d.errorf(k.Line, k.Column, k.Value, "il file contiene solo la chiave «destinatari:» con l'elenco", "chiave sconosciuta")
				continue
			}
			list = root.Content[i+1]
		}
		if list == nil {
			if len(d.probs) == 0 {
				d.errorf(root.Line, root.Column, "destinatari", example, "manca l'elenco dei destinatari")
			}
			return nil
		}
		root = list
	}
	if root.Kind != yaml.SequenceNode {
		d.errorf(root.Line, root.Column, "", example, "atteso un elenco di destinatari (righe che cominciano con «- »)")
		return nil
	}
	if len(root.Content) > MaxRecipients {
		d.errorf(root.Line, root.Column, "", "dividi l'elenco in più file", "troppi destinatari (%d, al massimo %d)", len(root.Content), MaxRecipients)
		return nil
	}
	var out []Recipient
	for i, item := range root.Content {
		path := fmt.Sprintf("destinatari[%d]", i+1)
		if item.Kind == yaml.AliasNode && item.Alias != nil {
			item = item.Alias
		}
		if item.Kind != yaml.MappingNode {
			d.errorf(item.Line, item.Column, path, example, "atteso un destinatario con le sue chiavi (nome, titolo, ente…)")
			continue
		}
		r := Recipient{Pos: model.Pos{Line: item.Line, Column: item.Column}}
		var gender string
		seen := map[string]*yaml.Node{}
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			key := path + "." + k.Value
			if !known(k.Value) {
				msg, hint := unknownKey(k.Value)
				d.errorf(k.Line, k.Column, key, hint, "%s", msg)
				continue
			}
			if prev, dup := seen[k.Value]; dup {
				d.errorf(k.Line, k.Column, key, "tieni una sola riga con questa chiave", "chiave ripetuta (già presente alla riga %d)", prev.Line)
				continue
			}
			seen[k.Value] = k
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			if v.Kind != yaml.ScalarNode || v.Tag == "!!bool" {
				d.errorf(v.Line, v.Column, key, "scrivi il testo sulla stessa riga della chiave, tra virgolette se serve", "atteso un testo")
				continue
			}
			if v.Tag == "!!null" {
				if k.Value == "nome" {
					d.errorf(v.Line, v.Column, key, "scrivi nome e cognome del destinatario", "il nome è vuoto")
				}
				continue
			}
			before := len(d.probs)
			d.set(&r, &gender, k.Value, v.Value, v.Line, v.Column)
			for p := before; p < len(d.probs); p++ {
				d.probs[p].Key = key
			}
		}
		if seen["nome"] == nil {
			d.errorf(item.Line, item.Column, path+".nome", "aggiungi la riga «nome: …» (nome e cognome)", "chiave obbligatoria mancante")
		}
		gl, gc := item.Line, item.Column
		if k := seen["genere"]; k != nil {
			gl, gc = k.Line, k.Column
		}
		d.finish(&r, gender, gl, gc, path+".genere")
		out = append(out, r)
	}
	return out
}
