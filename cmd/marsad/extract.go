package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/marsad/marsad/internal/extract"
	"github.com/marsad/marsad/internal/fetch"
)

// extractLine is one `marsad extract --json` line (DESIGN.md "JSON
// shapes"): every field of the shape is always present (empty when
// unknown), plus modified and charset.
type extractLine struct {
	File         string `json:"file"`
	Error        string `json:"error,omitempty"`
	URL          string `json:"url"`
	CanonicalURL string `json:"canonical_url"`
	Title        string `json:"title"`
	Author       string `json:"author"`
	Published    string `json:"published"`
	Modified     string `json:"modified,omitempty"`
	Lang         string `json:"lang"`
	SiteName     string `json:"site_name"`
	Image        string `json:"image"`
	Text         string `json:"text"`
	HTML         string `json:"html"`
	Attribution  string `json:"attribution"`
	Charset      string `json:"charset,omitempty"`
	failed       bool   // a page that could not be read: printed as {file, error}
}

// errorLine is the line of an input that failed.
type errorLine struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

// maxExtractFile bounds one input (news pages are far smaller).
const maxExtractFile = 32 << 20

func runExtract(ctx context.Context, c cmd) error {
	if len(c.args) == 0 {
		return errUsage
	}
	e := extract.New(extract.Options{Logger: c.log, TZ: c.cfg.TZ, Now: time.Now})
	// URL inputs go through the same polite client as the crawl (robots.txt,
	// SSRF refusal unless --allow-private, size and time caps).
	policy := fetch.PublicOnly
	if c.cfg.AllowPrivate {
		policy = fetch.AllowAll
	}
	client := fetch.New(fetch.Options{Policy: policy, Logger: c.log})
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, in := range c.args {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := extractOne(ctx, e, client, in, c.cfg.ExtractURL)
		if line.Error != "" {
			failed++
		}
		if c.cfg.JSON {
			var v any = line
			if line.failed {
				v = errorLine{line.File, line.Error}
			}
			if err := enc.Encode(v); err != nil {
				return err
			}
			continue
		}
		printExtract(c.stdout, line)
	}
	if failed > 0 && !c.cfg.JSON {
		return fmt.Errorf("%d of %d inputs failed", failed, len(c.args))
	}
	return nil
}

func extractOne(ctx context.Context, e *extract.Extractor, client *fetch.Client, in, pageURL string) extractLine {
	line := extractLine{File: in, failed: true}
	var (
		body        []byte
		contentType string
		err         error
	)
	if strings.HasPrefix(in, "http://") || strings.HasPrefix(in, "https://") {
		body, contentType, pageURL, err = fetchPage(ctx, client, in, pageURL)
	} else {
		body, err = readInput(in)
	}
	if err != nil {
		line.Error = err.Error()
		return line
	}
	res, err := e.Extract(body, pageURL, contentType)
	if err != nil && !errors.Is(err, extract.ErrNoContent) {
		line.Error = err.Error()
		return line
	}
	// A page without a body still has its metadata: the full shape, with
	// the error.
	line = extractLine{
		File: in, URL: res.URL, CanonicalURL: res.CanonicalURL, Title: res.Title, Author: res.Author,
		Lang: res.Lang, SiteName: res.SiteName, Image: res.Image, Text: res.Text, HTML: res.HTML,
		Attribution: res.Attribution, Charset: res.Charset,
	}
	if err != nil {
		line.Error = err.Error()
	}
	if !res.Published.IsZero() {
		line.Published = res.Published.Format(time.RFC3339)
	}
	if !res.Modified.IsZero() {
		line.Modified = res.Modified.Format(time.RFC3339)
	}
	return line
}

// fetchPage fetches a URL input; the page URL is the final one after
// redirects unless --url names another.
func fetchPage(ctx context.Context, client *fetch.Client, u, pageURL string) (body []byte, contentType, finalURL string, err error) {
	resp, err := client.Get(ctx, fetch.Request{URL: u})
	if err != nil {
		return nil, "", "", err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, "", "", fmt.Errorf("fetch %s: HTTP %d", u, resp.Status)
	}
	if pageURL == "" {
		pageURL = resp.URL
	}
	return resp.Body, resp.ContentType, pageURL, nil
}

// readInput reads a file, gunzipping it when it starts with the gzip magic.
func readInput(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxExtractFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("gunzip %s: %w", path, err)
		}
		if b, err = io.ReadAll(io.LimitReader(zr, maxExtractFile+1)); err != nil {
			return nil, fmt.Errorf("gunzip %s: %w", path, err)
		}
	}
	if len(b) > maxExtractFile {
		return nil, fmt.Errorf("%s: larger than %d MB", path, maxExtractFile>>20)
	}
	return b, nil
}

func printExtract(w io.Writer, l extractLine) {
	if l.failed {
		fmt.Fprintf(w, "== %s\nerror: %s\n\n", l.File, l.Error)
		return
	}
	fmt.Fprintf(w, "== %s\n%s\n", l.File, l.Title)
	for _, kv := range [][2]string{{"author", l.Author}, {"published", l.Published}, {"site", l.SiteName},
		{"lang", l.Lang}, {"canonical", l.CanonicalURL}, {"image", l.Image}, {"attribution", l.Attribution}, {"error", l.Error}} {
		if kv[1] != "" {
			fmt.Fprintf(w, "%s: %s\n", kv[0], kv[1])
		}
	}
	fmt.Fprintf(w, "\n%s\n\n", l.Text)
}
