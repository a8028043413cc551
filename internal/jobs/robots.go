package jobs

import (
	"context"
	"errors"

	"github.com/marsad/marsad/internal/fetch"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/store"
)

// RobotsCache keeps robots.txt files in the store's fetch state, so a
// restarted crawler neither refetches them nor forgets their rules.
func RobotsCache(s store.Store) fetch.RobotsCache { return robotsCache{s} }

type robotsCache struct{ s store.Store }

func (r robotsCache) LoadRobots(ctx context.Context, u string) (fetch.CachedRobots, bool, error) {
	st, err := r.s.FetchState(ctx, u)
	if errors.Is(err, news.ErrNotFound) {
		return fetch.CachedRobots{}, false, nil
	}
	if err != nil {
		return fetch.CachedRobots{}, false, err
	}
	return fetch.CachedRobots{Status: st.Status, Body: st.Body, ETag: st.ETag, LastModified: st.LastModified,
		Fetched: st.FetchedAt}, true, nil
}

func (r robotsCache) SaveRobots(ctx context.Context, u string, c fetch.CachedRobots) error {
	return r.s.SaveFetchState(ctx, store.FetchState{URL: u, ETag: c.ETag, LastModified: c.LastModified,
		Status: c.Status, Body: c.Body, FetchedAt: c.Fetched})
}
