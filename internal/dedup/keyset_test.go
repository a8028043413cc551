package dedup

import "testing"

// TestKeySetBloom: every key added is present (across growing layers),
// and few absent keys pass.
func TestKeySetBloom(t *testing.T) {
	t.Parallel()
	k := newKeySet()
	const n = 3<<20 + 1 // three layers: 1M and 2M keys full, one in the 4M
	k.mu.Lock()
	for i := range int64(n) {
		k.addLocked(bucketBits(i * 7919))
	}
	k.mu.Unlock()
	if len(k.layers) != 3 {
		t.Errorf("%d layers for %d keys, want 3", len(k.layers), n)
	}
	for i := int64(0); i < n; i += 97 {
		if got, _ := k.present([]int64{i * 7919}, 0); len(got) != 1 {
			t.Fatalf("key %d added but absent", i*7919)
		}
	}
	fp := 0
	const probes = 200000
	for i := range int64(probes) {
		if got, _ := k.present([]int64{i*7919 + 1}, 0); len(got) == 1 {
			fp++
		}
	}
	// Three layers at most full: about 1% each.
	rate := float64(fp) / probes
	t.Logf("false positive rate %.4f", rate)
	if rate > 0.04 {
		t.Errorf("false positive rate %.3f, want ≤ 0.04", rate)
	}
	if _, ex := k.present(nil, 5); ex != 0 {
		t.Error("an exact hash never added is present")
	}
	k.addExact(5)
	if _, ex := k.present(nil, 5); ex != 5 {
		t.Error("an exact hash added is absent")
	}
	if got, _ := k.present([]int64{5}, 0); len(got) != 0 {
		t.Error("an exact hash counts as a bucket key")
	}
}
