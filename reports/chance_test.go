package reports

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestChanceInWords(t *testing.T) {
	tests := []struct {
		p    string
		want string
	}{
		{"0", "no chance"},
		{"0.0001", "less than 1 in 10"},
		{"0.05", "less than 1 in 10"},
		{"0.0999", "less than 1 in 10"},
		{"0.1", "about 1 in 10"},
		{"0.149", "about 1 in 10"},
		{"0.15", "about 2 in 10"},
		{"0.25", "about 3 in 10"},
		{"0.44", "about 4 in 10"},
		{"0.45", "about 5 in 10"},
		{"0.55", "about 6 in 10"},
		{"0.6", "about 6 in 10"},
		{"0.849", "about 8 in 10"},
		{"0.85", "about 9 in 10"},
		{"0.9", "about 9 in 10"},
		{"0.9001", "more than 9 in 10"},
		{"0.99", "more than 9 in 10"},
		{"1", "the only path we can see now"},
	}
	for _, tt := range tests {
		if got := ChanceInWords(decimal.RequireFromString(tt.p)); got != tt.want {
			t.Errorf("ChanceInWords(%s) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestChanceInWordsTranslated(t *testing.T) {
	tests := []struct {
		lang, p, want string
	}{
		{"ar", "0.55", "حوالي ٦ من ١٠"},
		{"ar", "0.05", "أقل من ١ من ١٠"},
		{"prs", "0.25", "تقریباً ۳ از ۱۰"},
		{"ps", "0.95", "له ۱۰ څخه له ۹ زیات"},
	}
	for _, tt := range tests {
		tr, err := newTranslator(tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := chanceText(tr, decimal.RequireFromString(tt.p)); got != tt.want {
			t.Errorf("chance %s in %s = %q, want %q", tt.p, tt.lang, got, tt.want)
		}
	}
}
