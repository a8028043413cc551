package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

type openAPIDocument struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components map[string]map[string]json.RawMessage `json:"components"`
}

func loadDoc(t *testing.T) (openAPIDocument, any) {
	t.Helper()
	var doc openAPIDocument
	var raw any
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	json.Unmarshal(OpenAPI(), &raw)
	return doc, raw
}

// TestOpenAPIWellFormed: 3.1, every $ref resolves, every operation has a
// success response and describes its errors with the one Error schema.
func TestOpenAPIWellFormed(t *testing.T) {
	t.Parallel()
	doc, raw := loadDoc(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
				if len(parts) != 3 || parts[0] != "components" || doc.Components[parts[1]][parts[2]] == nil {
					t.Errorf("%s: dangling $ref %s", at, ref)
				}
			}
			for k, c := range v {
				walk(c, at+"/"+k)
			}
		case []any:
			for _, c := range v {
				walk(c, at)
			}
		}
	}
	walk(raw, "#")
	for path, ops := range doc.Paths {
		for method, op := range ops {
			var o struct {
				OperationID string                     `json:"operationId"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || o.OperationID == "" {
				t.Errorf("%s %s: no operationId (%v)", method, path, err)
			}
			success := false
			for code, resp := range o.Responses {
				if code[0] == '2' {
					success = true
				}
				if code[0] == '4' || code[0] == '5' {
					s := string(resp)
					if !strings.Contains(s, `#/components/schemas/Error`) && !strings.Contains(s, `#/components/responses/`) {
						t.Errorf("%s %s: %s response is not the Error shape", method, path, code)
					}
				}
			}
			if !success {
				t.Errorf("%s %s: no 2xx response", method, path)
			}
			if method != "get" && !strings.Contains(string(op), `"adminToken"`) {
				t.Errorf("%s %s: a mutation without the admin token security requirement", method, path)
			}
		}
	}
}

// routePattern finds ServeMux patterns for API routes in Go source.
var routePattern = regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^"]*)"`)

// TestEveryRouteDocumented reads the routes out of the source that
// registers them (this package and the app's wiring), so a route added
// anywhere without a description fails here.
func TestEveryRouteDocumented(t *testing.T) {
	t.Parallel()
	doc, _ := loadDoc(t)
	var files []string
	for _, glob := range []string{"*.go", "../app/*.go"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range routePattern.FindAllStringSubmatch(string(b), -1) {
			found++
			method, path := strings.ToLower(m[1]), strings.TrimSuffix(m[2], "{$}")
			if _, ok := doc.Paths[path][method]; !ok {
				t.Errorf("%s registers %s %s, which openapi.json does not describe", f, m[1], path)
			}
		}
	}
	if found < 5 {
		t.Fatalf("found only %d routes in the source: is the pattern still right?", found)
	}
}

// TestDocumentedRoutesServed: each described operation reaches a handler
// of its own, not the catch-all, except routes described ahead of the
// features that serve them.
func TestDocumentedRoutesServed(t *testing.T) {
	t.Parallel()
	doc, _ := loadDoc(t)
	mux := http.NewServeMux()
	New(Options{}).Register(mux)
	// Served by the copies and stories features as they land.
	pending := map[string]bool{
		"GET /api/v1/articles/{id}/similar": true,
		"GET /api/v1/stories":               true, "GET /api/v1/stories/{id}": true,
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			key := strings.ToUpper(method) + " " + path
			req := httptest.NewRequest(strings.ToUpper(method), strings.ReplaceAll(path, "{id}", "1"), nil)
			if _, pattern := mux.Handler(req); pattern == "/api/" && !pending[key] {
				t.Errorf("%s is described but not served", key)
			}
		}
	}
}
