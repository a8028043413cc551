package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/marsad/marsad/internal/arabic"
)

// runAnalyze prints the analyzer's tokens for TEXT (or standard input for
// "-"): what search, copy detection and clustering see. It needs no
// database.
func runAnalyze(_ context.Context, c cmd) error {
	if len(c.args) == 0 {
		return errUsage
	}
	text := strings.Join(c.args, " ")
	if len(c.args) == 1 && c.args[0] == "-" {
		b, err := io.ReadAll(c.stdin)
		if err != nil {
			return fmt.Errorf("read standard input: %w", err)
		}
		text = string(b)
	}
	toks := arabic.New().Tokens(nil, text)
	if c.cfg.JSON {
		type token struct {
			Surface string `json:"surface"`
			Norm    string `json:"norm"`
			Term    string `json:"term"`
			Stop    bool   `json:"stop"`
		}
		out := struct {
			Tokens []token `json:"tokens"`
		}{Tokens: make([]token, 0, len(toks))}
		for _, t := range toks {
			out.Tokens = append(out.Tokens, token{t.Surface, t.Norm, t.Term, t.Stop})
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "surface\tnorm\tterm\tkind\tbytes")
	for _, t := range toks {
		term := t.Term
		if t.Stop {
			term = "(stopword)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d-%d\n", t.Surface, t.Norm, term, t.Kind, t.Start, t.End)
	}
	return w.Flush()
}
