package app

import "testing"

func TestMemoryLimit(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	for _, c := range []struct {
		name string
		v    map[string]uint64
		held int64
		lim  int64
	}{
		{"garbage and free pages are not held", map[string]uint64{
			"/memory/classes/total:bytes":         1000 * mib,
			"/memory/classes/heap/released:bytes": 100 * mib,
			"/memory/classes/heap/free:bytes":     50 * mib,
			"/memory/classes/heap/objects:bytes":  800 * mib,
			"/memory/classes/heap/unused:bytes":   10 * mib,
			"/gc/heap/live:bytes":                 600 * mib,
		}, 640 * mib, 640*mib + 640*mib/6},
		{"small heaps get the minimum headroom", map[string]uint64{
			"/memory/classes/total:bytes":        40 * mib,
			"/memory/classes/heap/objects:bytes": 30 * mib,
			"/gc/heap/live:bytes":                20 * mib,
		}, 30 * mib, 94 * mib},
		{"no metrics", map[string]uint64{}, 0, 64 * mib},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := heldMemory(c.v); got != c.held {
				t.Errorf("held = %d MiB, want %d", got/mib, c.held/mib)
			}
			if got := memoryLimit(c.held); got != c.lim {
				t.Errorf("limit = %d MiB, want %d", got/mib, c.lim/mib)
			}
		})
	}
	// The metrics exist in this runtime.
	if v := readMemory(); len(v) != len(memSamples) || heldMemory(v) <= 0 {
		t.Errorf("runtime metrics: %v", v)
	}
}
