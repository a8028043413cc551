// Package index is marsad's in-memory search index: an inverted index over
// the analysed terms of every article, answering store.SearchQuery with the
// same matches, scores, order, copy collapsing and facets as the SQLite
// store (FTS5 with bm25(title 3.0, body 1.0)), but without SQL: a common
// word matches 15–25k of 310k articles, and FTS5 scores each of them
// through SQL, joins each to its keys for the facets and the copy groups,
// and takes 50–150 ms of CPU per query; here the same work is a walk over
// compact postings and a few arrays indexed by document.
//
// Exactness. The index reproduces FTS5 as the SQLite store uses it, not an
// approximation of it:
//   - tokens are the analysed terms re-split as FTS5's tokenizer splits
//     them (ascii, or unicode61 in older databases: alike on terms; a term
//     such as an e-mail address is several tokens, and a query term that
//     splits is a phrase of its tokens), case-folded;
//   - a phrase matches consecutive tokens within one column; a title:
//     match counts only the title column;
//   - bm25: for each match (term or phrase, OR alternatives and NOT
//     matches included, in the query's order) IDF = ln((N − n + 0.5) /
//     (n + 0.5)), floored at 1e-6, with n the live documents matching it
//     alone; frequency = 3 × title instances + body instances; document
//     length = all its tokens; k1 = 1.2, b = 0.75; summed in match order
//     so scores are the same float64 values FTS5 computes;
//   - ties break on the URL key, as the stores do.
//
// Documents are numbered by ordinal in the order they were added; a
// replaced document's old ordinal is marked dead and skipped (its postings
// stay until the index is rebuilt).
package index

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
)

// Doc is what the index keeps of an article.
type Doc struct {
	ID int64
	// Group is the article's copy group: its OriginalID, or its own ID for
	// an original.
	Group  int64
	Source string
	// Time is the article's sort time in Unix seconds (published, else fetched).
	Time   int64
	URLKey string
	// Title and Body are the analysed terms (internal/arabic), as stored.
	Title, Body []string
	// Seq is the store's change number of this version (0 when not known);
	// Sum a hash of what the index took from the article (DocOf).
	Seq int64
	Sum uint64
	// regroupOnly: the indexed version has the same Sum; only Group and
	// Seq change.
	regroupOnly bool
}

// Index is safe for concurrent use: searches share a read lock, changes
// take the write lock.
type Index struct {
	mu sync.RWMutex
	// queries holds searches' working memory (*queryScratch).
	queries sync.Pool
	// spreader lends a phrase's walk a helper core (spread.go).
	spreader spreader
	terms    map[string]*postings

	// Per ordinal.
	ids   []int64
	lens  []uint32 // tokens in title and body (bm25's document length)
	src   []uint16 // index into sources
	times []int64
	grp   []int32 // index into groupIDs
	keys  []string
	dead  []bool
	seqs  []int64
	sums  []uint64

	byID     map[int64]int32
	groups   map[int64]int32
	groupIDs []int64
	sources  []string
	srcIdx   map[string]uint16

	live     int
	deadN    int // dead ordinals
	totalLen int64
	days     dayNames

	// building: Build has started (the pipeline stage feeds the index);
	// ready: it has finished (searches may use the index).
	building, ready atomic.Bool
}

// New returns an empty index.
func New() *Index {
	return &Index{
		spreader: newSpreader(),
		terms:    map[string]*postings{},
		byID:     map[int64]int32{},
		groups:   map[int64]int32{},
		srcIdx:   map[string]uint16{},
	}
}

// Len is the number of live documents.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Add indexes docs, replacing earlier versions of the same IDs.
func (ix *Index) Add(docs ...Doc) {
	var sc scratch
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i := range docs {
		ix.add(&docs[i], &sc)
	}
}

// apply adds docs, or for regroupOnly ones sets their group and change number.
func (ix *Index) apply(docs []Doc) {
	var sc scratch
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i := range docs {
		d := &docs[i]
		if o, ok := ix.byID[d.ID]; ok && d.regroupOnly {
			g := d.Group
			if g == 0 {
				g = d.ID
			}
			ix.grp[o], ix.seqs[o] = ix.groupIndex(g), d.Seq
			continue
		}
		ix.add(d, &sc)
	}
}

// seqOf is document id's change number: 0 when unknown, -1 when absent.
func (ix *Index) seqOf(id int64) int64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if o, ok := ix.byID[id]; ok {
		return ix.seqs[o]
	}
	return -1
}

// hasSum reports whether document id is indexed with that content hash.
func (ix *Index) hasSum(id int64, sum uint64) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	o, ok := ix.byID[id]
	return ok && ix.sums[o] == sum
}

// SetGroup moves document id to copy group g (dedup linked or unlinked it
// after it was indexed); unknown IDs are ignored.
func (ix *Index) SetGroup(id, g int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if o, ok := ix.byID[id]; ok {
		ix.grp[o] = ix.groupIndex(g)
	}
}

// Remove drops document id; unknown IDs are ignored.
func (ix *Index) Remove(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
}

func (ix *Index) remove(id int64) {
	o, ok := ix.byID[id]
	if !ok {
		return
	}
	ix.dead[o] = true
	ix.deadN++
	ix.live--
	ix.totalLen -= int64(ix.lens[o])
	delete(ix.byID, id)
}

func (ix *Index) groupIndex(g int64) int32 {
	gi, ok := ix.groups[g]
	if !ok {
		gi = int32(len(ix.groupIDs))
		ix.groups[g] = gi
		ix.groupIDs = append(ix.groupIDs, g)
	}
	return gi
}

// scratch holds one document's positions by token while it is added.
type scratch struct {
	at   map[string]int
	toks []string
	pos  [][2][]uint32
}

func (ix *Index) add(d *Doc, sc *scratch) {
	ix.remove(d.ID)
	ord := int32(len(ix.ids))
	if sc.at == nil {
		sc.at = map[string]int{}
	}
	clear(sc.at)
	sc.toks = sc.toks[:0]
	var n uint32
	for col, terms := range [2][]string{d.Title, d.Body} {
		var p uint32
		for _, t := range terms {
			forTokens(t, func(tok string) {
				k, ok := sc.at[tok]
				if !ok {
					k = len(sc.toks)
					sc.at[tok] = k
					sc.toks = append(sc.toks, tok)
					if k == len(sc.pos) {
						sc.pos = append(sc.pos, [2][]uint32{})
					}
					sc.pos[k][0], sc.pos[k][1] = sc.pos[k][0][:0], sc.pos[k][1][:0]
				}
				sc.pos[k][col] = append(sc.pos[k][col], p)
				p++
			})
		}
		n += p
	}
	for k, tok := range sc.toks {
		pl := ix.terms[tok]
		if pl == nil {
			pl = &postings{}
			ix.terms[strings.Clone(tok)] = pl
		}
		pl.add(ord, sc.pos[k][0], sc.pos[k][1])
	}
	si, ok := ix.srcIdx[d.Source]
	if !ok {
		si = uint16(len(ix.sources))
		ix.srcIdx[d.Source] = si
		ix.sources = append(ix.sources, d.Source)
	}
	g := d.Group
	if g == 0 {
		g = d.ID
	}
	ix.ids = append(ix.ids, d.ID)
	ix.lens = append(ix.lens, n)
	ix.src = append(ix.src, si)
	ix.times = append(ix.times, d.Time)
	ix.grp = append(ix.grp, ix.groupIndex(g))
	ix.keys = append(ix.keys, d.URLKey)
	ix.dead = append(ix.dead, false)
	ix.seqs = append(ix.seqs, d.Seq)
	ix.sums = append(ix.sums, d.Sum)
	ix.byID[d.ID] = ord
	ix.live++
	ix.totalLen += int64(n)
}

// forTokens calls fn for each token FTS5's unicode61 tokenizer (with
// remove_diacritics 0) makes of term: runs of letters, digits and private
// use characters, with combining marks joining the run they follow;
// case-folded. Its ascii tokenizer, which the SQLite store now indexes
// with, makes the same of every term the analyzer produces
// (arabic.TermRune), and PostgreSQL counts document lengths the same way.
func forTokens(term string, fn func(string)) {
	start := -1
	for i, r := range term {
		in := start >= 0
		tok := isTokenRune(r, in)
		switch {
		case tok && !in:
			start = i
		case !tok && in:
			fn(fold(term[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		fn(fold(term[start:]))
	}
}

// isTokenRune: Arabic letters and ASCII letters and digits first, as most
// runes are those (the general tables cost a search each).
func isTokenRune(r rune, in bool) bool {
	switch {
	case 0x0621 <= r && r <= 0x063a || 0x0641 <= r && r <= 0x064a:
		return true
	case r < 0x80:
		return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r) || in && unicode.Is(unicode.Mn, r)
}

// fold lower-cases as unicode61 does, without allocating for text that
// has no upper case (Arabic).
func fold(s string) string {
	for _, r := range s {
		if (r < 0x0600 || r > 0x06ff) && unicode.IsUpper(r) {
			return strings.ToLower(s)
		}
	}
	return s
}

// tokensOf is a query term or phrase as index tokens.
func tokensOf(terms []string) []string {
	var out []string
	for _, t := range terms {
		forTokens(t, func(tok string) { out = append(out, tok) })
	}
	return out
}
