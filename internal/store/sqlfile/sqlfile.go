// Package sqlfile loads named SQL statements from .sql files, so each store
// dialect keeps its SQL in files rather than Go strings.
//
// A file holds blocks that start with a marker line "-- name: Name"; the
// statement is every line up to the next marker, without whole-line "--"
// comments (they document the statement and are dropped).
package sqlfile

import (
	"bufio"
	"fmt"
	"io/fs"
	"strings"
)

// Queries maps statement names to SQL.
type Queries map[string]string

// Get returns the named statement, panicking on a name the code misspelt:
// that is a programming error caught by any test that runs the query.
func (q Queries) Get(name string) string {
	s, ok := q[name]
	if !ok {
		panic("sqlfile: no query named " + name)
	}
	return s
}

// Load parses every *.sql file of fsys matching pattern.
func Load(fsys fs.FS, pattern string) (Queries, error) {
	files, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("sqlfile: %w", err)
	}
	q := Queries{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("sqlfile: %w", err)
		}
		if err := parse(q, f, string(b)); err != nil {
			return nil, err
		}
	}
	return q, nil
}

func parse(q Queries, file, src string) error {
	var name string
	var body strings.Builder
	flush := func() error {
		if name == "" {
			return nil
		}
		if _, dup := q[name]; dup {
			return fmt.Errorf("sqlfile: %s: query %q defined twice", file, name)
		}
		q[name] = strings.TrimSpace(body.String())
		body.Reset()
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
			if err := flush(); err != nil {
				return err
			}
			name = strings.TrimSpace(rest)
			continue
		}
		if name != "" && !strings.HasPrefix(strings.TrimSpace(line), "--") {
			body.WriteString(line)
			body.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("sqlfile: %s: %w", file, err)
	}
	return flush()
}

// List is the named statement as a one-line list: its fields joined by
// single spaces (a column list written over several lines).
func (q Queries) List(name string) string {
	return strings.Join(strings.Fields(q.Get(name)), " ")
}

// Expand replaces every "{{key}}" in every statement with vars[key].
func (q Queries) Expand(vars map[string]string) {
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{{"+k+"}}", v)
	}
	r := strings.NewReplacer(pairs...)
	for k, s := range q {
		q[k] = r.Replace(s)
	}
}

// ArticleColumns is the stores' shared convention for reading articles:
// the statement named ArticleColumns lists the columns every article read
// selects, in the order the store scans them, and statements name the
// list as "{{cols}}", prefixed with "a." as "{{acols}}", or with the HTML
// read as an empty string as "{{bodycols}}" (for reads that show articles
// as results: HTML is often larger than the text). It returns those
// three, for Expand.
func (q Queries) ArticleColumns() (map[string]string, error) {
	cols := q.List("ArticleColumns")
	bodycols := strings.Replace(cols, ", html,", ", '' AS html,", 1)
	if bodycols == cols {
		return nil, fmt.Errorf("sqlfile: ArticleColumns has no html column: %q", cols)
	}
	return map[string]string{
		"cols":     cols,
		"acols":    "a." + strings.ReplaceAll(cols, ", ", ", a."),
		"bodycols": bodycols,
	}, nil
}
