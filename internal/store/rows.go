package store

// Rows is what both backends' result sets offer (database/sql's and pgx's).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Collect scans every row of rows with scan: the loop both backends
// otherwise repeat around their own drivers. The caller closes rows.
func Collect[T any](rows Rows, scan func(Rows) (T, error)) ([]T, error) {
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// CollectOriginals reads (id, original_id) rows into a map: both
// backends' CopyTx.Originals. The caller closes rows.
func CollectOriginals(rows Rows) (map[int64]int64, error) {
	out := map[int64]int64{}
	for rows.Next() {
		var id, orig int64
		if err := rows.Scan(&id, &orig); err != nil {
			return nil, err
		}
		out[id] = orig
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ScanRanked scans (id, group, score), both backends' ranked search rows.
func ScanRanked(r Rows) (Ranked, error) {
	var v Ranked
	err := r.Scan(&v.ID, &v.Group, &v.Score)
	return v, err
}

// ScanArticleChange scans (id, seq).
func ScanArticleChange(r Rows) (ArticleChange, error) {
	var c ArticleChange
	err := r.Scan(&c.ID, &c.Seq)
	return c, err
}

// ScanAssignment scans (article id, story id).
func ScanAssignment(r Rows) (StoryAssignment, error) {
	var a StoryAssignment
	err := r.Scan(&a.ArticleID, &a.StoryID)
	return a, err
}
