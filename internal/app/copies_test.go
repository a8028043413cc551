package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/marsad/marsad/internal/news"
)

// TestCopiesSurfaces: an agency story and a cut, retitled newspaper copy
// show provenance on both article pages, the lineage page diffs the copy
// against the original, and the API lists the group.
func TestCopiesSurfaces(t *testing.T) {
	t.Parallel()
	a := openApp(t, nil)
	t0 := time.Date(2015, 8, 10, 9, 0, 0, 0, time.UTC)
	body := []string{
		"يواصل مهرجان تمور بريدة فعالياته وأنشطته من خلال عمليات البيع والشراء اليومية والفعاليات التراثية والثقافية بمركز النخلة داخل السوق.",
		"وأوضح الرئيس التنفيذي للمهرجان أن حجم المبيعات في الأسبوع الأول تجاوز 120 مليون ريال وأن عدد السيارات بلغ 2300 سيارة يوميا.",
		"وأشار إلى أن المهرجان يستقبل الزوار من داخل المملكة وخارجها ويقدم لهم برامج تعريفية بأنواع التمور وطرق زراعة النخيل.",
	}
	res, _, err := a.Pipeline.Ingest(context.Background(), []news.Article{
		{URL: "http://www.spa.gov.sa/9", SourceID: "was", Title: "مهرجان تمور بريدة يواصل فعالياته", Published: t0,
			Text: "بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس\n" + strings.Join(body, "\n")},
		{URL: "http://okaz.example/9", SourceID: "okaz", Title: "120 مليون ريال مبيعات التمور", Published: t0.Add(20 * time.Hour),
			Text: strings.Join(body[:2], "\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	orig, cp := res[0].ID, res[1].ID
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	_, page := get(t, h, "/article/"+strconv.FormatInt(cp, 10))
	if !strings.Contains(page, "نُشر أولاً في") || !strings.Contains(page, `href="/article/`+strconv.FormatInt(orig, 10)+`"`) ||
		!strings.Contains(page, "أعادت نشره مصدر واحد") {
		t.Errorf("copy's page lacks provenance:\n%s", page)
	}
	_, page = get(t, h, "/article/"+strconv.FormatInt(orig, 10))
	if !strings.Contains(page, "نُشر أولاً هنا") || !strings.Contains(page, "/article/"+strconv.FormatInt(orig, 10)+"/copies") {
		t.Errorf("original's page lacks provenance:\n%s", page)
	}
	r, page := get(t, h, "/article/"+strconv.FormatInt(cp, 10)+"/copies")
	if r.StatusCode != http.StatusOK || !strings.Contains(page, "<del dir=\"auto\">مهرجان تمور بريدة يواصل فعالياته</del>") ||
		!strings.Contains(page, `<li class="removed"><del>وأشار إلى أن المهرجان`) || !strings.Contains(page, "جمل محذوفة 2") {
		t.Errorf("lineage page (%d) lacks the diff:\n%s", r.StatusCode, page)
	}
	r, js := get(t, h, "/api/v1/articles/"+strconv.FormatInt(orig, 10)+"/copies")
	var got struct {
		Original string   `json:"original"`
		Copies   []string `json:"copies"`
		Items    []struct {
			ID               int64  `json:"id"`
			TitleChanged     bool   `json:"title_changed"`
			SentencesRemoved int    `json:"sentences_removed"`
			Rule             string `json:"rule"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(js), &got); err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("API copies: %d %v\n%s", r.StatusCode, err, js)
	}
	if got.Original != "http://www.spa.gov.sa/9" || len(got.Copies) != 1 || got.Copies[0] != "http://okaz.example/9" ||
		len(got.Items) != 1 || got.Items[0].ID != cp || !got.Items[0].TitleChanged || got.Items[0].SentencesRemoved != 2 {
		t.Errorf("API copies = %+v", got)
	}
	if r, _ := get(t, h, "/api/v1/articles/999999/copies"); r.StatusCode != http.StatusNotFound {
		t.Errorf("missing article: %d, want 404", r.StatusCode)
	}
}
