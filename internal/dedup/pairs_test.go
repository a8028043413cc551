package dedup_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/dedup"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
)

// TestEvalPairwise scores the copy rule on each labelled pair alone (no
// groups, so no help from a third article): quick feedback on the rule.
// MARSAD_EVAL=1 runs it; -v lists the pairs it gets wrong.
func TestEvalPairwise(t *testing.T) {
	if os.Getenv("MARSAD_EVAL") == "" {
		t.Skip("set MARSAD_EVAL=1 to score the copy rule on SaudiNewsNet's labelled pairs")
	}
	arts, err := corpus.Load(context.Background(), shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]news.Article{}
	for _, a := range arts {
		byURL[pairKey(a.URL)] = a
	}
	f, err := os.Open(shareddata.Path(t, "saudinewsnet", "pairs-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fp := dedup.NewFingerprinter(arabic.New())
	rule := dedup.DefaultRule()
	if v, err := strconv.ParseFloat(os.Getenv("MARSAD_EVAL_CONTAINED"), 64); err == nil {
		rule.Contained = v
	}
	for env, v := range map[string]*float64{"MARSAD_EVAL_JACCARD": &rule.Jaccard, "MARSAD_EVAL_OPEN": &rule.Open,
		"MARSAD_EVAL_ALIGNED": &rule.Aligned, "MARSAD_EVAL_PAIRS": &rule.Pairs, "MARSAD_EVAL_LEAD": &rule.Lead} {
		if x, err := strconv.ParseFloat(os.Getenv(env), 64); err == nil {
			*v = x
		}
	}
	var tp, fpos, fn int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p struct {
			Pair int
			A    string `json:"a_url"`
			B    string `json:"b_url"`
			Copy int
			Note string
		}
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		a, b := byURL[pairKey(p.A)], byURL[pairKey(p.B)]
		fa, fb := fp.Of(a.Text), fp.Of(b.Text)
		s := dedup.Compare(fa, fb)
		var al dedup.Alignment
		got := rule.Copy(fa, fb, s, func() dedup.Alignment {
			al = dedup.Align(fp.Layout(a.Text), fp.Layout(b.Text))
			return al
		})
		switch {
		case got && p.Copy == 1:
			tp++
		case got:
			fpos++
		case p.Copy == 1:
			fn++
		}
		if got != (p.Copy == 1) || os.Getenv("MARSAD_EVAL_OPEN_PAIRS") != "" && rule.Judge(fa, fb, s) == dedup.Open {
			t.Logf("pair %3d copy=%d J=%.2f C=%.2f/%.2f nums=%.2f (%d/%d) aligned=%.2f pairs=%.2f lead=%.2f %s/%s: %s", p.Pair, p.Copy, s.Jaccard, s.InA, s.InB,
				s.Numbers, len(fa.Numbers), len(fb.Numbers), al.Aligned, al.Pairs, al.Lead, a.SourceID, b.SourceID, p.Note)
		}
	}
	t.Logf("pairwise: P=%.3f R=%.3f (tp %d, fp %d, fn %d)", float64(tp)/float64(max(1, tp+fpos)), float64(tp)/float64(max(1, tp+fn)), tp, fpos, fn)
}

// pairKey matches pairs_eval.py's URL key.
func pairKey(u string) string {
	if d, err := url.PathUnescape(u); err == nil {
		u = d
	}
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return u
	}
	return strings.ToLower(p.Host) + strings.TrimRight(p.Path, "/") + map[bool]string{true: "?" + p.RawQuery}[p.RawQuery != ""]
}
