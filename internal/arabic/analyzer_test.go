package arabic

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	a := New()
	tests := []struct{ in, want string }{
		{"أحمد", "احمد"},
		{"إسلام", "اسلام"},
		{"آمال", "امال"},
		{"مصطفى", "مصطفي"},
		{"مدرسة", "مدرسه"},
		{"خَادِمُ الحَرَمَيْن", "خادم الحرمين"},
		{"خـــادم", "خادم"},
		{"Saudi ARAMCO", "saudi aramco"},
	}
	for _, tt := range tests {
		if got := a.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTerms(t *testing.T) {
	t.Parallel()
	got := New().Terms(nil, "خـادم الحَرَمين، الشريفين: 2015!")
	want := []string{"خادم", "الحرمين", "الشريفين", "2015"}
	if !slices.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
}
