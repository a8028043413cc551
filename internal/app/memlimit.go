package app

import (
	"context"
	"log/slog"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Serve's memory after its startup loads is mostly state that lives as long
// as the process (the clustering state, the search index). The default GC
// target lets the heap grow to twice that before collecting, so the first
// minutes of traffic would take resident memory far above what is held. A
// soft memory limit sized from the live heap keeps it near what is held,
// and follows the state as it grows.

// memLimitHeadroom is the share of the held memory the heap may grow by
// before a collection, with at least memLimitMin. At 310k articles, 30 s of
// search-heavy traffic (bench/servemem.sh) took serve to 1,828 MiB resident
// without a limit and 1,243 MiB at held/2. Once searches stopped making
// most of their garbage (2026-11-27: 1.4 MB → 0.45 MB per search page),
// held/6 peaks at 992 MiB and serves as many requests as held/2 did
// before (10.5k vs 10.3k per path in 30 s; held/2 now 17.4k at 1,223 MiB,
// held/4 14.7k at 1,039 MiB, held/8 8.9k at 986 MiB; docs/benchmarks.md).
const (
	memLimitHeadroom = 6 // held/6: a 17% GC target
	memLimitMin      = 64 << 20
	memLimitEvery    = time.Minute
)

// memSamples are the runtime metrics the limit is computed from.
var memSamples = []string{
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/gc/heap/live:bytes",
}

// heldMemory is the Go memory the process needs: the live heap as of the
// last collection plus the runtime's other memory (stacks, metadata), but
// not garbage nor free pages.
func heldMemory(v map[string]uint64) int64 {
	other := int64(v["/memory/classes/total:bytes"]) - int64(v["/memory/classes/heap/released:bytes"]) -
		int64(v["/memory/classes/heap/free:bytes"]) - int64(v["/memory/classes/heap/objects:bytes"]) -
		int64(v["/memory/classes/heap/unused:bytes"])
	return max(0, other) + int64(v["/gc/heap/live:bytes"])
}

// memoryLimit is the soft limit for held bytes of memory.
func memoryLimit(held int64) int64 {
	return held + max(held/memLimitHeadroom, memLimitMin)
}

func readMemory() map[string]uint64 {
	s := make([]metrics.Sample, len(memSamples))
	for i, name := range memSamples {
		s[i].Name = name
	}
	metrics.Read(s)
	out := make(map[string]uint64, len(s))
	for _, x := range s {
		if x.Value.Kind() == metrics.KindUint64 {
			out[x.Name] = x.Value.Uint64()
		}
	}
	return out
}

// limitMemory sets the soft memory limit from the memory held now and
// refreshes it every memLimitEvery until ctx ends. A limit set by the
// operator (GOMEMLIMIT) is left alone.
func limitMemory(ctx context.Context, log *slog.Logger) {
	if debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return
	}
	set := func() {
		held := heldMemory(readMemory())
		if held > 0 {
			debug.SetMemoryLimit(memoryLimit(held))
		}
	}
	set()
	v := readMemory()
	log.Info("memory limit", "MiB", debug.SetMemoryLimit(-1)>>20, "held_MiB", heldMemory(v)>>20,
		"go_MiB", (v["/memory/classes/total:bytes"]-v["/memory/classes/heap/released:bytes"])>>20)
	t := time.NewTicker(memLimitEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			set()
		}
	}
}
