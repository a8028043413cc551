// Peer comparisons and quality evals. A separate module so peer libraries
// (go-trafilatura, go-readability, bleve, …) never enter marsad's own
// dependency graph.
module github.com/marsad/marsad/bench

go 1.26.0

require github.com/marsad/marsad v0.0.0

replace github.com/marsad/marsad => ../
