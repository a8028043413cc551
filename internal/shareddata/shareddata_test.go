package shareddata

import "testing"

func TestPath(t *testing.T) {
	p := Path(t, "README.md")
	if p == "" {
		t.Fatal("empty path")
	}
}
