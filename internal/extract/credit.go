package extract

import "strings"

// Credit finds the agency or outlet that a plain text (paragraphs separated
// by "\n", as news.Article.Text) credits: the same rules that set
// Result.Attribution, for articles that arrive already extracted (bulk
// import) and so carry no attribution. Copy detection uses it to decide
// provenance.
func Credit(text, author, site string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return attribution(lines, author, site)
}
