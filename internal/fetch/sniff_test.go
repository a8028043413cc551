package fetch

import (
	"bytes"
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestBinaryNewsPage: an image or a 200 MB PDF served as a news page
// (text/html, streamed without Content-Length, caps larger than the file)
// comes back as KindOther, so nothing parses it, after the first bytes:
// the client hangs up instead of downloading the rest.
func TestBinaryNewsPage(t *testing.T) {
	t.Parallel()
	const pdfSize = 200 << 20
	var written atomic.Int64
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 4<<20)...)
	srv := site(t, "", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/news/pdf":
			chunk := make([]byte, 64<<10)
			copy(chunk, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
			for sent := 0; sent < pdfSize; sent += len(chunk) {
				n, err := w.Write(chunk)
				written.Add(int64(n))
				if err != nil {
					return
				}
				copy(chunk, make([]byte, 32))
			}
		case "/news/png":
			w.Write(png)
		case "/news/jpeg":
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(append([]byte("\xff\xd8\xff\xe0"), make([]byte, 4<<20)...))
		case "/news/page":
			w.Write([]byte("<!DOCTYPE html><html><body><p>خبر</p></body></html>"))
		}
	})
	c := testClient(t, Options{MaxBytes: 512 << 20, MaxWireBytes: 512 << 20, Timeout: 20 * time.Second})
	for _, p := range []string{"/news/pdf", "/news/png", "/news/jpeg"} {
		start := time.Now()
		r, err := c.Get(context.Background(), Request{URL: srv.URL + p})
		took := time.Since(start)
		if err != nil || r.Kind != KindOther {
			t.Fatalf("%s: %v, kind %v: a binary body must be KindOther", p, err, r)
		}
		if len(r.Body) > sniffLen || took > 5*time.Second {
			t.Errorf("%s: read %d bytes in %v; only the first %d bytes are needed", p, len(r.Body), took, sniffLen)
		}
		t.Logf("%s: kind %v after %d bytes (%d on the wire) in %v", p, r.Kind, len(r.Body), r.WireBytes, took)
	}
	// The server notices the hang-up; what it got out before is socket
	// buffers' worth, not 200 MB.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		before := written.Load()
		time.Sleep(100 * time.Millisecond)
		if written.Load() == before {
			break
		}
	}
	if n := written.Load(); n > 32<<20 {
		t.Errorf("server wrote %d MiB of the %d MiB PDF", n>>20, pdfSize>>20)
	} else {
		t.Logf("server wrote %.1f MiB of the %d MiB PDF before the client hung up", float64(n)/(1<<20), pdfSize>>20)
	}
	r, err := c.Get(context.Background(), Request{URL: srv.URL + "/news/page"})
	if err != nil || r.Kind != KindHTML {
		t.Errorf("a real page: %v %v", err, r)
	}
}

// FuzzSniff: Sniff never panics, a body with a binary signature is never
// parsed whatever its header claims, and the kind depends on the first
// sniffLen bytes only — the client stops reading a KindOther body there.
func FuzzSniff(f *testing.F) {
	for _, s := range []struct{ ct, body string }{
		{"text/html; charset=windows-1256", "<html>"}, {"text/html", `<?xml version="1.0"?><rss>`},
		{"", "\xef\xbb\xbf<?xml version='1.0'?><urlset>"}, {"text/plain", "<rss version='2.0'>"},
		{"application/octet-stream", "<!DOCTYPE html><p>"}, {"text/html", "%PDF-1.7\n"}, {"image/png", "\x89PNG\r\n"},
		{"", "\x00\x01\x02binary"}, {"application/feed+json", "{}"}, {"text/html", "RIFF0000WEBPVP8 "},
	} {
		f.Add(s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		k := Sniff(ct, body)
		if k < KindOther || k > KindText {
			t.Fatalf("kind %d out of range", k)
		}
		for _, m := range binaryMagic {
			if bytes.HasPrefix(body, m) && k != KindOther {
				t.Fatalf("Sniff(%q, %q) = %v for a binary signature", ct, body, k)
			}
		}
		if len(body) > sniffLen {
			if head := Sniff(ct, body[:sniffLen]); head != k {
				t.Fatalf("Sniff(%q) of the body %v, of its first %d bytes %v", ct, k, sniffLen, head)
			}
		}
	})
}
