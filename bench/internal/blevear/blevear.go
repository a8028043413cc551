// Package blevear is the Bleve peer configuration the benchmarks compare
// marsad against: Bleve v2's own "ar" analyzer on every text field and BM25
// scoring (the model marsad ranks with), everything else Bleve's defaults.
package blevear

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/marsad/marsad/internal/news"
)

// Doc is what Bleve indexes of an article.
type Doc struct {
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Source    string    `json:"source"`
	Published time.Time `json:"published"`
}

// DocOf converts an article.
func DocOf(a news.Article) Doc {
	return Doc{Title: a.Title, Text: a.Text, Source: a.SourceID, Published: a.Published}
}

// Mapping is the index mapping: "ar" analyzer by default, BM25.
func Mapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = ar.AnalyzerName
	m.ScoringModel = index.BM25Scoring
	return m
}

// Index is a Bleve index being filled in batches.
type Index struct {
	bleve.Index
	batch     *bleve.Batch
	batchSize int
}

// New creates an on-disk index (Bleve's default scorch store) at dir, which
// must not exist.
func New(dir string, batchSize int) (*Index, error) {
	ix, err := bleve.New(dir, Mapping())
	if err != nil {
		return nil, fmt.Errorf("blevear: creating %s: %w", dir, err)
	}
	return &Index{Index: ix, batch: ix.NewBatch(), batchSize: max(batchSize, 1)}, nil
}

// Add queues an article under its URL, writing a batch when it is full.
func (x *Index) Add(a news.Article) error {
	if err := x.batch.Index(a.URL, DocOf(a)); err != nil {
		return fmt.Errorf("blevear: %w", err)
	}
	if x.batch.Size() >= x.batchSize {
		return x.Flush()
	}
	return nil
}

// Flush writes the queued batch.
func (x *Index) Flush() error {
	if x.batch.Size() == 0 {
		return nil
	}
	if err := x.Index.Batch(x.batch); err != nil {
		return fmt.Errorf("blevear: batch: %w", err)
	}
	x.batch.Reset()
	return nil
}
