package api

import "github.com/marsad/marsad/internal/store"

// Dups is the copy groups' shape (`marsad dups --json`):
// {groups: [{original: url, copies: [url…]}]}.
type Dups struct {
	Groups []DupGroup `json:"groups"`
}

// DupGroup is an original and the URLs of its copies, earliest first.
type DupGroup struct {
	Original string   `json:"original"`
	Copies   []string `json:"copies"`
}

// DupsOf converts the store's groups.
func DupsOf(gs []store.CopyGroup) Dups {
	out := Dups{Groups: make([]DupGroup, 0, len(gs))}
	for _, g := range gs {
		d := DupGroup{Original: g.Original.URL, Copies: make([]string, 0, len(g.Copies))}
		for _, c := range g.Copies {
			d.Copies = append(d.Copies, c.URL)
		}
		out.Groups = append(out.Groups, d)
	}
	return out
}
