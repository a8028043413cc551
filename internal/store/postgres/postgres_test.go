package postgres_test

import (
	"testing"

	"github.com/marsad/marsad/internal/store"
	"github.com/marsad/marsad/internal/store/postgres"
	"github.com/marsad/marsad/internal/store/postgres/pgtest"
	"github.com/marsad/marsad/internal/store/storetest"
)

// Open returns a fresh, migrated store in a schema of its own.
func Open(t *testing.T) *postgres.Store { return pgtest.Open(t) }

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return Open(t) })
}
