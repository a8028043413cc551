package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/store"
)

func testSourceCounts(t *testing.T, s store.Store) {
	ctx := context.Background()
	if got, err := s.SourceCounts(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	seed(t, s, 10) // sources a, b, c in turn, an hour apart from t0
	got, err := s.SourceCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.SourceCount{
		{SourceID: "a", Articles: 4, Newest: t0.Add(9 * time.Hour)},
		{SourceID: "b", Articles: 3, Newest: t0.Add(7 * time.Hour)},
		{SourceID: "c", Articles: 3, Newest: t0.Add(8 * time.Hour)},
	}
	if len(got) != len(want) {
		t.Fatalf("SourceCounts = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].SourceID != want[i].SourceID || got[i].Articles != want[i].Articles || !got[i].Newest.Equal(want[i].Newest) {
			t.Errorf("SourceCounts[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}
