package cluster

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/arabic"
)

var t0 = time.Date(2015, 8, 5, 10, 0, 0, 0, time.UTC)

// gen makes Arabic-script texts from a vocabulary of random words, so that
// document frequencies are controlled by the test.
type gen struct {
	r     *rand.Rand
	vocab []string
}

func newGen(seed uint64, n int) *gen {
	g := &gen{r: rand.New(rand.NewPCG(seed, 1))}
	const letters = "بتثجحخدذرزسشصضطظعغفقكلمنهي"
	rs := []rune(letters)
	seen := map[string]bool{}
	for len(g.vocab) < n {
		var b strings.Builder
		for range 5 + g.r.IntN(2) {
			b.WriteRune(rs[g.r.IntN(len(rs))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	return g
}

func (g *gen) words(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.vocab[g.r.IntN(len(g.vocab))]
	}
	return out
}

type article struct {
	id          int64
	src, title  string
	body        string
	when        time.Time
	originalID  int64
	wantStoryOf int64 // 0: its own
}

func item(an *arabic.Analyzer, a article) Item {
	return Item{ID: a.id, Source: a.src, When: a.when, OriginalID: a.originalID,
		Text: Text{Title: a.title, TitleTerms: an.Terms(nil, a.title), BodyTerms: an.Terms(nil, a.body)}}
}

// corpus builds background noise plus a few events told by several
// sources in their own words around shared names, and a phrase
// ("في الأيام المقبلة") that half of all articles use.
func corpus(g *gen) []article {
	var out []article
	id := int64(0)
	add := func(a article) int64 {
		id++
		a.id = id
		if a.when.IsZero() {
			a.when = t0.Add(time.Duration(id) * time.Minute)
		}
		out = append(out, a)
		return id
	}
	common := " في الأيام المقبلة "
	for i := range 400 {
		body := strings.Join(g.words(60), " ")
		if i%2 == 0 {
			body += common + strings.Join(g.words(10), " ")
		}
		add(article{src: "noise", title: strings.Join(g.words(6), " "), body: body})
	}
	return out
}

func event(g *gen, names []string, src string, ids *int64, when time.Time) article {
	*ids++
	title := strings.Join(append(slices.Clone(names[:3]), g.words(3)...), " ")
	body := strings.Join(append(append(slices.Clone(names), g.words(40)...), names...), " ")
	return article{id: *ids, src: src, title: title, body: body, when: when}
}

func run(t *testing.T, e *Engine, an *arabic.Analyzer, arts []article) map[int64]Assignment {
	t.Helper()
	out := map[int64]Assignment{}
	for _, a := range arts {
		out[a.id] = e.Add(item(an, a))
	}
	return out
}

// setup returns an analyzer, a generator with its background corpus, and
// the last ID used.
func setup(seed uint64) (*arabic.Analyzer, *gen, []article, int64) {
	g := newGen(seed, 3000)
	arts := corpus(g)
	return arabic.New(), g, arts, int64(len(arts))
}

func TestStoriesAndRelated(t *testing.T) {
	t.Parallel()
	an, g, arts, ids := setup(1)
	names := g.words(8) // one event's names, places, numbers
	other := g.words(8) // another event
	when := t0.Add(500 * time.Minute)
	ev := []article{
		event(g, names, "okaz", &ids, when),
		event(g, names, "sabq", &ids, when.Add(time.Hour)),
		event(g, names, "alriyadh", &ids, when.Add(5*time.Hour)),
		event(g, other, "okaz", &ids, when.Add(2*time.Hour)),
		event(g, other, "was", &ids, when.Add(3*time.Hour)),
	}
	// A republished copy of the first report, slightly edited.
	cp := ev[0]
	ids++
	cp.id, cp.src, cp.body = ids, "alweeam", cp.body+" "+strings.Join(g.words(3), " ")
	// The same names a month later: outside the window, a story of its own.
	late := event(g, names, "sabq", &ids, when.Add(30*24*time.Hour))
	// An article sharing only the common phrase with a noise article.
	phrase := article{id: ids + 1, src: "weather", title: "طقس حار" + " في الأيام المقبلة",
		body: "يتوقع أن يكون الطقس حارا في الأيام المقبلة " + strings.Join(g.words(30), " "), when: when}
	all := append(append(arts, ev...), cp, late, phrase)
	e := New(an, Config{})
	got := run(t, e, an, all)
	story := func(a article) int64 { return e.StoryOf(a.id) }
	if story(ev[0]) != story(ev[1]) || story(ev[1]) != story(ev[2]) {
		t.Errorf("one event in several stories: %d %d %d", story(ev[0]), story(ev[1]), story(ev[2]))
	}
	if story(ev[3]) != story(ev[4]) || story(ev[3]) == story(ev[0]) {
		t.Errorf("second event: %d %d (first %d)", story(ev[3]), story(ev[4]), story(ev[0]))
	}
	if story(cp) != story(ev[0]) || got[cp.id].CopyOf != ev[0].id {
		t.Errorf("copy: story %d copyOf %d, want story %d copy of %d", story(cp), got[cp.id].CopyOf, story(ev[0]), ev[0].id)
	}
	if story(late) == story(ev[0]) {
		t.Errorf("an article a month later joined the story")
	}
	if story(ev[0]) != ev[0].id {
		t.Errorf("story ID %d, want the first article's ID %d", story(ev[0]), ev[0].id)
	}
	sum, ok := e.Story(story(ev[0]))
	if !ok || len(sum.Articles) != 4 || sum.Groups != 3 || !slices.Equal(sum.Sources, []string{"okaz", "alweeam", "sabq", "alriyadh"}) {
		t.Errorf("summary = %+v", sum)
	}
	if !sum.FirstSeen.Equal(ev[0].when) || !sum.LastSeen.Equal(ev[2].when) {
		t.Errorf("first/last seen = %v %v", sum.FirstSeen, sum.LastSeen)
	}
	rel := e.Related(ev[0].id, RelatedOptions{Limit: 10})
	var relIDs []int64
	for _, h := range rel {
		relIDs = append(relIDs, h.ID)
	}
	if !slices.Contains(relIDs, ev[1].id) || !slices.Contains(relIDs, ev[2].id) || !slices.Contains(relIDs, late.id) {
		t.Errorf("related to the event = %v, want %d, %d and %d", relIDs, ev[1].id, ev[2].id, late.id)
	}
	if slices.Contains(relIDs, cp.id) {
		t.Errorf("related reading shows the article's copy %d", cp.id)
	}
	for _, h := range rel {
		if h.ID <= int64(len(arts)) {
			t.Errorf("related reading shows unrelated noise article %d (score %.3f)", h.ID, h.Score)
		}
	}
	// The weather piece shares only "في الأيام المقبلة" with half the noise.
	if rel := e.Related(phrase.id, RelatedOptions{Limit: 10}); len(rel) > 0 {
		t.Errorf("related to an article sharing only a common phrase: %+v", rel)
	}
	if e.StoryOf(phrase.id) != phrase.id {
		t.Errorf("the weather piece joined story %d on a common phrase", e.StoryOf(phrase.id))
	}
}

// TestMergeOnBridge: two stories started apart are merged when an article
// matching both arrives, into the older one.
func TestMergeOnBridge(t *testing.T) {
	t.Parallel()
	an, g, arts, ids := setup(2)
	x, y := g.words(6), g.words(6)
	when := t0.Add(500 * time.Minute)
	a := event(g, x, "okaz", &ids, when)
	b := event(g, y, "sabq", &ids, when.Add(time.Hour))
	ids++
	bridge := article{id: ids, src: "was", when: when.Add(2 * time.Hour),
		title: strings.Join(append(slices.Clone(x[:3]), y[:3]...), " "),
		body:  strings.Join(append(append(slices.Clone(x), y...), append(x, y...)...), " ")}
	// Thresholds set here: the bridge matches each side at about 0.4.
	e := New(an, Config{Join: 0.3, Merge: 0.35})
	run(t, e, an, append(arts, a, b))
	if e.StoryOf(a.id) == e.StoryOf(b.id) {
		t.Fatal("unrelated events in one story before the bridge")
	}
	as := e.Add(item(an, bridge))
	t.Logf("bridge similarity: %.3f %.3f", e.Similarity(bridge.id, a.id), e.Similarity(bridge.id, b.id))
	if e.StoryOf(a.id) != e.StoryOf(b.id) || as.StoryID != a.id || !slices.Equal(as.Merged, []int64{b.id}) {
		t.Errorf("after bridge: stories %d %d, assignment %+v; want both in %d, %d merged", e.StoryOf(a.id), e.StoryOf(b.id), as, a.id, b.id)
	}
	if _, ok := e.Story(b.id); ok {
		t.Errorf("merged-away story %d still exists", b.id)
	}
}

// TestRestoreEqualsAdd: restoring a prefix with its stories and adding the
// rest gives what adding everything gives.
func TestRestoreEqualsAdd(t *testing.T) {
	t.Parallel()
	an := arabic.New()
	g := newGen(3, 2000)
	arts := corpus(g)
	ids := int64(len(arts))
	for k := range 6 {
		names := g.words(6)
		for j := range 4 {
			arts = append(arts, event(g, names, []string{"okaz", "sabq", "was"}[j%3], &ids, t0.Add(time.Duration(400+10*k+j)*time.Minute)))
		}
	}
	full := New(an, Config{})
	want := run(t, full, an, arts)
	half := len(arts) / 2
	first := New(an, Config{})
	run(t, first, an, arts[:half])
	restored := New(an, Config{})
	for _, a := range arts[:half] {
		it := item(an, a)
		it.StoryID = first.StoryOf(a.id)
		restored.Restore(it)
	}
	for _, a := range arts[half:] {
		restored.Add(item(an, a))
	}
	for _, a := range arts {
		if restored.StoryOf(a.id) != full.StoryOf(a.id) {
			t.Errorf("article %d: story %d after restore, %d in one run (%+v)", a.id, restored.StoryOf(a.id), full.StoryOf(a.id), want[a.id])
		}
		if got, want := restored.Related(a.id, RelatedOptions{}), full.Related(a.id, RelatedOptions{}); !slices.Equal(got, want) {
			t.Errorf("article %d: related %v after restore, %v in one run", a.id, got, want)
		}
		got, _ := restored.Story(a.id)
		want, _ := full.Story(a.id)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("story %d: %+v after restore, %+v in one run", a.id, got, want)
		}
	}
}

// TestFiguresSplitReports: look-alike reports of different figures (another
// session's close) stay apart even when a rewrite of one matches both; a
// rewrite stating the same figures joins its report.
func TestFiguresSplitReports(t *testing.T) {
	t.Parallel()
	an, g, arts, ids := setup(4)
	words := g.words(10)
	when := t0.Add(500 * time.Minute)
	report := func(src string, figs string, at time.Duration) article {
		ids++
		return article{id: ids, src: src, when: when.Add(at),
			title: strings.Join(words[:4], " ") + " " + figs,
			body:  strings.Join(words, " ") + " " + figs + " " + strings.Join(g.words(20), " ") + " " + strings.Join(words, " ")}
	}
	monday := report("okaz", "ارتفع 24.36 نقطة إلى 9160.70 بتداولات 4500 مليون", 0)
	tuesday := report("okaz", "انخفض 51.20 نقطة إلى 9109.50 بتداولات 5200 مليون", time.Hour)
	rewrite := report("sabq", "ارتفع 24.36 نقطة إلى 9160.70", 2*time.Hour)
	e := New(an, Config{})
	run(t, e, an, append(arts, monday, tuesday, rewrite))
	if s := e.Similarity(monday.id, tuesday.id); s < e.Config().Join {
		t.Fatalf("the reports' similarity %.3f is below Join: the test shows nothing", s)
	}
	if e.StoryOf(monday.id) == e.StoryOf(tuesday.id) {
		t.Errorf("two sessions' reports in one story")
	}
	if e.StoryOf(rewrite.id) != e.StoryOf(monday.id) {
		t.Errorf("a rewrite with the same figures is in story %d, its report in %d", e.StoryOf(rewrite.id), e.StoryOf(monday.id))
	}
}

func TestIsFigure(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		term string
		want bool
	}{
		{"425", true}, {"9160.70", true}, {"1,75", true}, {"5.42", true},
		{"2015", false}, {"1436", false}, {"26", false}, {"31", false}, {"32", true},
		{"abc", false}, {"", false}, {"12a", false}, {"20150", true},
	} {
		if got := isFigure(c.term); got != c.want {
			t.Errorf("isFigure(%q) = %v, want %v", c.term, got, c.want)
		}
	}
}

// TestIndexesCoverWindow: the document range of a time window holds every
// document of the window, whatever the order of arrival.
func TestIndexesCoverWindow(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 1))
	e := New(nil, Config{})
	for i := range 3*blockSize + 100 {
		// Mostly in time order, some a week late, a few a month early.
		at := t0.Add(time.Duration(i) * time.Minute)
		switch r.IntN(20) {
		case 0:
			at = at.Add(-7 * 24 * time.Hour)
		case 1:
			at = at.Add(30 * 24 * time.Hour)
		}
		e.Index(Item{ID: int64(i + 1), When: at, Text: Text{BodyTerms: []string{"كلمة"}}})
	}
	for range 200 {
		lo := t0.Add(time.Duration(r.IntN(6000)-1000) * time.Minute).Unix()
		w := span{lo, lo + int64(r.IntN(3*24*3600))}
		from, to := e.indexes(w)
		for i, d := range e.docs {
			if d.t >= w.lo && d.t <= w.hi && (int32(i) < from || int32(i) > to) {
				t.Fatalf("window %v: document %d (t %d) outside [%d, %d]", w, i, d.t, from, to)
			}
		}
	}
}

// TestRelatedWindow: related reading stops at the window.
func TestRelatedWindow(t *testing.T) {
	t.Parallel()
	an, g, arts, ids := setup(6)
	names := g.words(8)
	when := t0.Add(500 * time.Minute)
	a := event(g, names, "okaz", &ids, when)
	near := event(g, names, "sabq", &ids, when.Add(5*24*time.Hour))
	far := event(g, names, "was", &ids, when.Add(20*24*time.Hour))
	e := New(an, Config{RelatedWindow: 10 * 24 * time.Hour})
	run(t, e, an, append(arts, far, a, near)) // far arrives first
	var got []int64
	for _, h := range e.Related(a.id, RelatedOptions{Limit: 10}) {
		got = append(got, h.ID)
	}
	if !slices.Contains(got, near.id) || slices.Contains(got, far.id) {
		t.Errorf("related = %v, want %d (5 days on) and not %d (20 days on)", got, near.id, far.id)
	}
	got = got[:0]
	for _, h := range e.Related(a.id, RelatedOptions{Limit: 10, Window: 30 * 24 * time.Hour}) {
		got = append(got, h.ID)
	}
	if !slices.Contains(got, far.id) {
		t.Errorf("related with a 30-day window = %v, want %d", got, far.id)
	}
}

func TestFNV32aMatchesStdlib(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "a", "ايام", "9160.70"} {
		h := fnv.New32a()
		h.Write([]byte(s))
		if got, want := fnv32a(fnvOffset32, s), h.Sum32(); got != want {
			t.Errorf("fnv32a(%q) = %x, want %x", s, got, want)
		}
	}
}
