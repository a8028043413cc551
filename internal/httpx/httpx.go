// Package httpx holds the small HTTP helpers the UI, feeds and API share.
package httpx

import (
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
)

// Write sends a fully rendered body with a strong ETag derived from its
// bytes, answering 304 Not Modified when the client already has it. Pages are
// rendered into a buffer anyway, so hashing costs little and lets feed
// readers and API clients poll cheaply.
func Write(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte) {
	h := fnv.New64a()
	h.Write(body)
	etag := `"` + strconv.FormatUint(h.Sum64(), 36) + `"`
	hdr := w.Header()
	hdr.Set("Content-Type", contentType)
	if status == http.StatusOK {
		hdr.Set("ETag", etag)
		if hdr.Get("Cache-Control") == "" {
			hdr.Set("Cache-Control", "no-cache") // revalidate each time; 304s are cheap
		}
		if Match(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// Match implements If-None-Match's weak comparison over a list of tags.
func Match(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
