package sqlite

// SetMergeAt sets how many recent bucket rows trigger a merge (tests run
// the conformance suite with rows in both bucket tables).
func SetMergeAt(s *Store, n int) { s.mergeAt = n }
