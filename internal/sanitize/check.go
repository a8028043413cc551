package sanitize

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

var reScript = regexp.MustCompile(`(?i)<\s*script`)

// ErrUnsafe is wrapped by CheckSafe's error.
var ErrUnsafe = errors.New("sanitize: unsafe HTML")

// CheckSafe reports whether s breaks the sanitizer's promise: "<script"
// anywhere, an on* event-handler attribute, or an href/src/cite whose
// scheme is javascript:, vbscript: or data:. Tests and fuzz targets (here
// and in the extractor) assert it on output.
func CheckSafe(s string) error {
	if reScript.MatchString(s) {
		return fmt.Errorf("%w: <script", ErrUnsafe)
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			for _, a := range t.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") {
					return fmt.Errorf("%w: <%s %s=", ErrUnsafe, t.Data, a.Key)
				}
				if key == "href" || key == "src" || key == "cite" {
					v := strings.ToLower(strings.Map(func(r rune) rune {
						if r <= ' ' || r == 0x7f {
							return -1
						}
						return r
					}, a.Val))
					for _, bad := range []string{"javascript:", "vbscript:", "data:"} {
						if strings.HasPrefix(v, bad) {
							return fmt.Errorf("%w: %s=%q", ErrUnsafe, a.Key, a.Val)
						}
					}
				}
			}
		}
	}
}
