package record

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Change is one key whose value differs between the meeting file as issued
// and as it is now.
type Change struct {
	Key  string // dotted, lists counted from 1: relatori.2.nome
	Line int    // in the file as it is now; for a removed key, its parent's line
	What string // "cambiato", "aggiunto", "tolto"
}

// Changes compares two versions of a YAML file by their data: comments,
// quoting, indentation and the order of keys do not count.
func Changes(old, now []byte) ([]Change, error) {
	var a, b yaml.Node
	if err := yaml.Unmarshal(old, &a); err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(now, &b); err != nil {
		return nil, err
	}
	var out []Change
	diff(root(&a), root(&b), "", 1, &out)
	return out, nil
}

func root(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		return n.Content[0]
	}
	if n.Kind == yaml.DocumentNode {
		return nil
	}
	return n
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func diff(a, b *yaml.Node, key string, parentLine int, out *[]Change) {
	a, b = deref(a), deref(b)
	switch {
	case a == nil && b == nil:
		return
	case a == nil:
		*out = append(*out, Change{key, b.Line, "aggiunto"})
		return
	case b == nil:
		*out = append(*out, Change{key, parentLine, "tolto"})
		return
	}
	if a.Kind != b.Kind {
		*out = append(*out, Change{key, b.Line, "cambiato"})
		return
	}
	switch a.Kind {
	case yaml.ScalarNode:
		if a.ShortTag() != b.ShortTag() || a.Value != b.Value {
			*out = append(*out, Change{key, b.Line, "cambiato"})
		}
	case yaml.SequenceNode:
		for i := range max(len(a.Content), len(b.Content)) {
			var x, y *yaml.Node
			if i < len(a.Content) {
				x = a.Content[i]
			}
			if i < len(b.Content) {
				y = b.Content[i]
			}
			diff(x, y, join(key, fmt.Sprint(i+1)), b.Line, out)
		}
	case yaml.MappingNode:
		am, bm := pairs(a), pairs(b)
		keys := make([]string, 0, len(am)+len(bm))
		for k := range am {
			keys = append(keys, k)
		}
		for k := range bm {
			if _, ok := am[k]; !ok {
				keys = append(keys, k)
			}
		}
		// Report in the order of the file as it is now, removed keys last.
		sort.SliceStable(keys, func(i, j int) bool {
			li, lj := lineOf(bm, keys[i]), lineOf(bm, keys[j])
			if li != lj {
				return li < lj
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			diff(am[k], bm[k], join(key, k), b.Line, out)
		}
	}
}

func pairs(n *yaml.Node) map[string]*yaml.Node {
	m := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[n.Content[i].Value] = n.Content[i+1]
	}
	return m
}

func lineOf(m map[string]*yaml.Node, k string) int {
	if n, ok := m[k]; ok {
		return n.Line
	}
	return 1 << 30
}

func join(key, k string) string {
	if key == "" {
		return k
	}
	return key + "." + k
}

// describe lists changes for a message: «ora (riga 5), relatori.2.nome
// (riga 14), note (tolta)».
func describe(cs []Change) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		switch c.What {
		case "tolto":
			parts = append(parts, c.Key+" (tolta)")
		case "aggiunto":
			parts = append(parts, fmt.Sprintf("%s (aggiunta, riga %d)", c.Key, c.Line))
		default:
			parts = append(parts, fmt.Sprintf("%s (riga %d)", c.Key, c.Line))
		}
	}
	return strings.Join(parts, ", ")
}
