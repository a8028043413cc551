package web

import (
	"context"
	"sync"
	"time"
)

// archiveNames are the Arabic names of outlets known only from imported
// archives (the SaudiNewsNet IDs): they have articles but no row in the
// sources table, and a reader should see «عكاظ», not "okaz".
var archiveNames = map[string]string{
	"3alyoum": "عاليوم", "aawsat": "الشرق الأوسط", "aleqtisadiya": "الاقتصادية", "aljazirah": "الجزيرة",
	"almadina": "المدينة", "alriyadh": "الرياض", "alwatan": "الوطن", "alweeam": "الوئام", "alyaum": "اليوم",
	"arreyadi": "الرياضي", "arriyadiyah": "الرياضية", "okaz": "عكاظ", "sabq": "سبق", "was": "واس",
}

// namesTTL bounds how stale a renamed source's name can be on pages.
const namesTTL = 30 * time.Second

// sourceNames resolves source IDs to display names for templates: the
// followed sources' names (re-read at most every namesTTL), then the
// archive names, then the ID itself. Template funcs have no request
// context, so the refresh uses its own short deadline.
type sourceNames struct {
	s  *Server
	mu sync.Mutex
	m  map[string]string
	at time.Time
}

func (n *sourceNames) name(id string) string {
	n.mu.Lock()
	if n.m == nil || n.s.now().Sub(n.at) > namesTTL {
		n.refresh()
	}
	name := n.m[id]
	n.mu.Unlock()
	if name != "" {
		return name
	}
	if name := archiveNames[id]; name != "" {
		return name
	}
	return id
}

// refresh runs with n.mu held; a failed read keeps the old names.
func (n *sourceNames) refresh() {
	n.at = n.s.now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srcs, err := n.s.store.Sources(ctx)
	if err != nil {
		n.s.log.Warn("web: reading source names", "err", err)
		if n.m == nil {
			n.m = map[string]string{}
		}
		return
	}
	m := make(map[string]string, len(srcs))
	for _, src := range srcs {
		if src.Name != "" {
			m[src.ID] = src.Name
		}
	}
	n.m = m
}
