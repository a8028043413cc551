package textf1

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/marsad/marsad/internal/shareddata"
)

func TestCompare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, truth, pred string
		p, r              float64
	}{
		{"identical", "a b c d e f", "a b c d e f", 1, 1},
		{"empty both", "", "", 1, 1},
		{"empty pred", "a b c d e", "", 0, 0},
		{"extra tail", "a b c d e", "a b c d e x", 2.0 / 3, 1},
		{"short texts", "a b", "a b", 1, 1},
		{"arabic marks split words", "يتّجه إلى الأسد اليوم", "يتّجه إلى الأسد اليوم", 1, 1},
	}
	for _, tt := range tests {
		pg := Compare(tt.truth, tt.pred)
		if math.Abs(pg.Precision()-tt.p) > 1e-9 || math.Abs(pg.Recall()-tt.r) > 1e-9 {
			t.Errorf("%s: P=%v R=%v, want %v %v", tt.name, pg.Precision(), pg.Recall(), tt.p, tt.r)
		}
	}
}

// TestMatchesPython runs textf1.py on the same inputs and compares the
// printed numbers.
func TestMatchesPython(t *testing.T) {
	data := shareddata.Path(t)
	script := filepath.Join(filepath.Dir(data), "tools", "eval", "textf1.py")
	if _, err := os.Stat(script); err != nil {
		t.Skipf("skipping: %s absent", script)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("skipping: no python3")
	}
	truth := map[string]string{
		"1": "الرئيس الروسي فلاديمير بوتين يتّجه إلى التخلي عن بشار الأسد، وفق ما قال.\nفقرة ثانية هنا.",
		"2": "Two United States service members have been killed in a helicopter crash.",
		"3": "short",
		"4": "a b c d e f g h i j k",
		"5": "نص لا يتنبأ به أحد",
	}
	pred := map[string]string{
		"1": "الرئيس الروسي فلاديمير بوتين يتّجه إلى التخلي عن بشار الأسد، وفق ما قال.\nاقرأ أيضاً: خبر آخر تماماً",
		"2": "Two United States service members have been killed.",
		"3": "",
		"4": "a b c d e f g h i j k x y z",
	}
	dir := t.TempDir()
	write := func(name string, m map[string]string) string {
		obj := map[string]map[string]string{}
		for k, v := range m {
			obj[k] = map[string]string{"text": v}
		}
		b, _ := json.Marshal(obj)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	out, _ := exec.Command("python3", script, write("t.json", truth), write("p.json", pred)).CombinedOutput()
	m := regexp.MustCompile(`precision=([0-9.]+) recall=([0-9.]+)[\s\S]*F1=([0-9.]+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("unexpected textf1.py output: %s", out)
	}
	sc, _ := Evaluate(truth, pred)
	got := fmt.Sprintf("%.3f %.3f %.3f", sc.Precision, sc.Recall, sc.F1)
	if want := m[1] + " " + m[2] + " " + m[3]; got != want {
		t.Errorf("Go %s, textf1.py %s", got, want)
	}
}
