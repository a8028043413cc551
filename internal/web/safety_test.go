package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNothingMarkedSafe: html/template escapes everything unless code
// converts a string to one of its "trusted" types, or a template pipes it
// through a func that does. Article text is untrusted, so neither may
// appear anywhere in the UI.
func TestNothingMarkedSafe(t *testing.T) {
	t.Parallel()
	trusted := regexp.MustCompile(`template\.(HTML|HTMLAttr|JS|JSStr|CSS|URL|Srcset)\b`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := trusted.Find(b); m != nil {
			t.Errorf("%s converts to %s: untrusted text would skip escaping", f, m)
		}
	}
	unsafeTpl := regexp.MustCompile(`\b(safe\w*|raw\w*|html\s*$)|\|\s*html\b`)
	fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templateFS, p)
		// The CSP allows no inline style or script: browsers would refuse
		// them (and log errors), so they must not be written at all.
		if m := regexp.MustCompile(`(?i)\sstyle\s*=|<style|<script|\son[a-z]+\s*=`).Find(b); m != nil {
			t.Errorf("%s: %q is inline style or script, which the CSP refuses", p, m)
		}
		for _, action := range regexp.MustCompile(`\{\{[^}]*\}\}`).FindAll(b, -1) {
			if unsafeTpl.Match(action) {
				t.Errorf("%s: %s", p, action)
			}
		}
		return nil
	})
}
