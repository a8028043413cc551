package main

import (
	"context"

	"github.com/marsad/marsad/internal/ingest"
)

func runExport(ctx context.Context, c cmd) error {
	_, err := ingest.Export(ctx, c.app.Store, c.stdout)
	return err
}
