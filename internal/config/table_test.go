package config

import (
	"os"
	"strings"
	"testing"
)

// The README's configuration table is generated from Options; this keeps
// the two from drifting. Regenerate with: MARSAD_WRITE_README=1 go test ./internal/config
func TestREADMEConfigTable(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- config-table -->\n", "<!-- /config-table -->"
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q … %q markers", begin, end)
	}
	want := MarkdownTable()
	if got := s[i+len(begin) : j]; got != want {
		if os.Getenv("MARSAD_WRITE_README") != "" {
			if err := os.WriteFile(path, []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README configuration table is stale; run MARSAD_WRITE_README=1 go test ./internal/config\nwant:\n%s", want)
	}
}
