package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelpIsItalian renders the help of every command, subcommands included,
// and looks for what cobra and pflag write in English.
func TestHelpIsItalian(t *testing.T) {
	root := newRoot(&globals{}, strings.NewReader(""))
	var walk func(c *cobra.Command)
	seen := 0
	walk = func(c *cobra.Command) {
		var out bytes.Buffer
		c.SetOut(&out)
		c.SetErr(&out)
		if err := c.Help(); err != nil {
			t.Fatalf("%s: %v", c.CommandPath(), err)
		}
		seen++
		help := out.String()
		for _, english := range []string{"[flags]", "Usage:", "Flags:", "help for ", "(default ", " string ", " int ", "[command]", "Available Commands"} {
			if strings.Contains(help, english) {
				t.Errorf("%s: the help holds %q:\n%s", c.CommandPath(), english, help)
			}
		}
		for _, sc := range c.Commands() {
			walk(sc)
		}
	}
	walk(root)
	if seen < 15 {
		t.Errorf("only %d commands walked", seen)
	}
}
