package api

import (
	_ "embed"
	"net/http"

	"github.com/marsad/marsad/internal/httpx"
)

// openAPIDoc describes API v1 (OpenAPI 3.1). It is written by hand next to
// the handlers; openapi_test.go fails when a route is registered but not
// described, or when a reference in it dangles.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the API's OpenAPI document.
func OpenAPI() []byte { return openAPIDoc }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	httpx.Write(w, r, http.StatusOK, "application/json; charset=utf-8", openAPIDoc)
}
