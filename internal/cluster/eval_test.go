package cluster_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
	"github.com/marsad/marsad/internal/cluster"
	"github.com/marsad/marsad/internal/corpus"
	"github.com/marsad/marsad/internal/news"
	"github.com/marsad/marsad/internal/shareddata"
)

type pair struct {
	Pair      int    `json:"pair"`
	A         string `json:"a_url"`
	B         string `json:"b_url"`
	SameEvent int    `json:"same_event"`
	SameTopic int    `json:"same_topic"`
	Copy      int    `json:"copy"`
	Overall   int    `json:"overall"`
}

// urlKey is pairs_eval.py's key().
func urlKey(u string) string {
	if d, err := url.PathUnescape(strings.TrimSpace(u)); err == nil {
		u = d
	}
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	k := strings.ToLower(p.Host) + strings.TrimRight(p.Path, "/")
	if p.RawQuery != "" {
		k += "?" + p.RawQuery
	}
	return k
}

func loadPairs(t testing.TB, path string) []pair {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p pair
		if err := json.Unmarshal(sc.Bytes(), &p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func envFloat(name string, dst *float64) {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		*dst = v
	}
}

func items(an *arabic.Analyzer, arts []news.Article) []cluster.Item {
	out := make([]cluster.Item, len(arts))
	for i, a := range arts {
		out[i] = cluster.Item{ID: int64(i + 1), Source: a.SourceID, When: a.When(),
			Text: cluster.Text{Title: a.Title, TitleTerms: an.Terms(nil, a.Title), BodyTerms: an.Terms(nil, a.Text)}}
	}
	return out
}

// TestEvalPairs clusters the whole corpus in memory and scores stories and
// related reading against pairs-dev (MARSAD_EVAL=1).
func TestEvalPairs(t *testing.T) {
	if os.Getenv("MARSAD_EVAL") == "" {
		t.Skip("set MARSAD_EVAL=1")
	}
	ctx := context.Background()
	arts, err := corpus.Load(ctx, shareddata.Path(t, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	pairs := loadPairs(t, shareddata.Path(t, "saudinewsnet", "pairs-dev.jsonl"))
	an := arabic.New()
	start := time.Now()
	its := items(an, arts)
	t.Logf("analysed %d in %v", len(its), time.Since(start))
	byKey := map[string]int64{}
	for _, it := range its {
		byKey[urlKey(arts[it.ID-1].URL)] = it.ID
	}
	sweep := strings.Split(os.Getenv("SWEEP"), ";")
	for _, spec := range sweep {
		cfg := cluster.Default
		floats := map[string]*float64{
			"join": &cfg.Join, "merge": &cfg.Merge, "minidf": &cfg.MinIDF, "boost": &cfg.TitleBoost,
			"relmin": &cfg.RelatedMin, "figshare": &cfg.FigureShare, "figveto": &cfg.FigureVeto,
			"relcopy": &cfg.RelatedCopy, "reldist": &cfg.RelatedDistinct, "bonus": &cfg.SameStoryBonus, "cont": &cfg.CopyContainment,
		}
		ints := map[string]*int{"body": &cfg.BodyTerms, "maxf": &cfg.MaxFeatures, "figmin": &cfg.FigureMin}
		days := map[string]*time.Duration{"half": &cfg.HalfLife, "window": &cfg.Window, "relhalf": &cfg.RelatedHalfLife}
		for _, kv := range strings.Split(spec, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
			f, _ := strconv.ParseFloat(v, 64)
			switch {
			case floats[k] != nil:
				*floats[k] = f
			case ints[k] != nil:
				*ints[k] = int(f)
			case days[k] != nil:
				*days[k] = time.Duration(f * float64(24*time.Hour))
			case k != "":
				t.Fatalf("SWEEP: unknown parameter %q", k)
			}
		}
		t.Run(spec, func(t *testing.T) { evalConfig(t, cfg, its, pairs, byKey) })
	}
}

func evalConfig(t *testing.T, cfg cluster.Config, its []cluster.Item, pairs []pair, byKey map[string]int64) {
	an := arabic.New()
	t.Logf("config %+v", cfg)
	start := time.Now()
	e := cluster.New(an, cfg)
	for _, it := range its {
		e.Add(it)
	}
	t.Logf("clustered %d in %v", len(its), time.Since(start))
	tp, fp, fn := 0, 0, 0
	for _, p := range pairs {
		a, b := byKey[urlKey(p.A)], byKey[urlKey(p.B)]
		if a == 0 || b == 0 {
			t.Errorf("pair %d: unknown URL", p.Pair)
			continue
		}
		same := e.StoryOf(a) == e.StoryOf(b)
		switch {
		case same && p.SameEvent == 1:
			tp++
		case same:
			fp++
			t.Logf("FP pair %d sim=%.3f", p.Pair, e.Similarity(a, b))
		case p.SameEvent == 1:
			fn++
			t.Logf("FN pair %d copy=%d sim=%.3f cont=%.2f", p.Pair, p.Copy, e.Similarity(a, b), e.Containment(a, b))
		}
	}
	P, R := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
	t.Logf("stories: P=%.3f R=%.3f F1=%.3f", P, R, 2*P*R/(P+R))
	want, hit, unrel, copies := 0, 0, 0, 0
	for _, p := range pairs {
		a, b := byKey[urlKey(p.A)], byKey[urlKey(p.B)]
		if p.SameEvent == 1 && os.Getenv("EVAL_PAIRS") != "" {
			t.Logf("CPAIR %d copy=%d cont=%.2f sim=%.3f", p.Pair, p.Copy, e.Containment(a, b), e.Similarity(a, b))
		}
		hits := e.Related(a, cluster.RelatedOptions{Limit: 10})
		in := false
		for _, h := range hits {
			in = in || h.ID == b
		}
		if p.SameEvent == 1 && p.Copy == 0 {
			want++
			if in {
				hit++
			} else {
				rank, shadow := -1, ""
				for k, h := range e.Related(a, cluster.RelatedOptions{Limit: 200, SameStory: 200}) {
					if h.ID == b {
						rank = k
					}
					if c := e.Containment(h.ID, b); c >= 0.45 && shadow == "" {
						shadow = fmt.Sprintf(" shadowed@%d(cont %.2f sim %.3f)", k, c, h.Similarity)
					}
				}
				t.Logf("missed pair %d sameStory=%v sim=%.3f cont=%.2f rank=%d%s storySize=%d", p.Pair, e.StoryOf(a) == e.StoryOf(b),
					e.Similarity(a, b), e.Containment(a, b), rank, shadow, storySize(e, e.StoryOf(a)))
			}
		}
		if in && p.SameTopic == 0 {
			unrel++
		}
		if in && p.Copy == 1 {
			copies++
			t.Logf("copy shown pair %d sim=%.3f", p.Pair, e.Similarity(a, b))
		}
	}
	t.Logf("related: recall@10=%.3f (%d/%d) unrelated=%d copies=%d", float64(hit)/float64(want), hit, want, unrel, copies)
}

// BenchmarkEvalCluster is for profiling: clusters the first MARSAD_EVAL_N articles.
func BenchmarkEvalCluster(b *testing.B) {
	if os.Getenv("MARSAD_EVAL") == "" {
		b.Skip("set MARSAD_EVAL=1")
	}
	arts, err := corpus.Load(context.Background(), shareddata.Path(b, "saudinewsnet", "articles.jsonl.gz"))
	if err != nil {
		b.Fatal(err)
	}
	arts = arts[:10000]
	an := arabic.New()
	its := items(an, arts)
	b.ResetTimer()
	for range b.N {
		e := cluster.New(an, cluster.Default)
		for _, it := range its {
			e.Add(it)
		}
	}
}

func storySize(e *cluster.Engine, id int64) int {
	s, _ := e.Story(id)
	return len(s.Articles)
}
