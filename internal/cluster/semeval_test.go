package cluster_test

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/cluster"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/shareddata"
)

// TestEvalSemEval scores the similarity on the SemEval-2022 Task 8
// Arabic pairs: Pearson correlation with the human Overall score (1 = most
// similar, so the correlation reported is with 5 − Overall). Document
// frequencies come from SaudiNewsNet (MARSAD_EVAL=1).
func TestEvalSemEval(t *testing.T) {
	if os.Getenv("MARSAD_EVAL") == "" {
		t.Skip("set MARSAD_EVAL=1")
	}
	arts, err := corpus.Load(context.Background(), shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(shareddata.Path(t, "semeval2022-ar", "ar_ar_pairs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	an := arabic.New()
	e := cluster.New(an, cluster.Default)
	for _, it := range items(an, arts) {
		e.Index(it)
	}
	id := int64(len(arts))
	add := func(text string) int64 {
		id++
		// The texts carry no separate headline: all of it is body.
		e.Index(cluster.Item{ID: id, Source: "semeval", When: time.Now(), Text: cluster.Text{BodyTerms: an.Terms(nil, text)}})
		return id
	}
	var xs, ys []float64
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p struct {
			T1      string `json:"text_1"`
			T2      string `json:"text_2"`
			Overall string `json:"Overall"`
		}
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		o, err := strconv.ParseFloat(p.Overall, 64)
		if err != nil {
			t.Fatal(err)
		}
		a, b := add(p.T1), add(p.T2)
		xs, ys = append(xs, e.Similarity(a, b)), append(ys, 5-o)
	}
	r := pearson(xs, ys)
	t.Logf("SemEval-2022 Task 8 ar-ar: %d pairs, Pearson(similarity, 5-Overall) = %.3f", len(xs), r)
	if len(xs) != 54 || r < 0.5 {
		t.Errorf("pairs %d, Pearson %.3f (want 54 pairs, r ≥ 0.5)", len(xs), r)
	}
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i] / n
		my += y[i] / n
	}
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}
