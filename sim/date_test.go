package sim

import (
	"testing"
	"time"
)

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	for _, tc := range []struct {
		from   string
		months int
		want   string
	}{
		{"2023-08-31", 30, "2026-02-28"}, // product.md §2
		{"2023-08-31", 6, "2024-02-29"},  // leap year
		{"2025-08-31", 6, "2026-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-05-31", 1, "2024-06-30"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2025-11-30", 3, "2026-02-28"},
		{"2025-12-15", 1, "2026-01-15"},
		{"2026-01-15", -1, "2025-12-15"},
	} {
		got := mustDate(t, tc.from).AddMonths(tc.months)
		if got.String() != tc.want {
			t.Errorf("%s + %d months = %s, want %s", tc.from, tc.months, got, tc.want)
		}
	}
}

func TestBirthdayLeapDay(t *testing.T) {
	dob := mustDate(t, "2008-02-29")
	for _, tc := range []struct {
		age  int
		want string
	}{
		{16, "2024-02-29"}, // leap year: the day itself
		{17, "2025-03-01"}, // common year: 1 March
		{18, "2026-03-01"},
		{21, "2029-03-01"},
		{20, "2028-02-29"},
	} {
		if got := dob.Birthday(tc.age); got.String() != tc.want {
			t.Errorf("born 2008-02-29, turns %d on %s, want %s", tc.age, got, tc.want)
		}
	}
	if got := dob.AgeOn(mustDate(t, "2026-02-28")); got != 17 {
		t.Errorf("age on 2026-02-28 = %d, want 17 (18 only on 1 March)", got)
	}
	if got := dob.AgeOn(mustDate(t, "2026-03-01")); got != 18 {
		t.Errorf("age on 2026-03-01 = %d, want 18", got)
	}
}

func TestAddDaysAndParse(t *testing.T) {
	for _, tc := range []struct {
		from string
		days int
		want string
	}{
		{"2025-05-25", 14, "2025-06-08"},
		{"2025-06-08", 350, "2026-05-24"},
		{"2024-02-28", 1, "2024-02-29"},
		{"2023-12-31", 1, "2024-01-01"},
		{"1970-01-01", -1, "1969-12-31"},
		{"2000-03-01", -1, "2000-02-29"},
		{"2100-03-01", -1, "2100-02-28"},
	} {
		if got := mustDate(t, tc.from).AddDays(tc.days); got.String() != tc.want {
			t.Errorf("%s + %d days = %s, want %s", tc.from, tc.days, got, tc.want)
		}
	}
	for _, bad := range []string{"2025-02-29", "2025-13-01", "2025-1-01", "25-01-01", "2025-04-31", "", "2025-01-01T00:00"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q): no error", bad)
		}
	}
	d := NewDate(2025, time.September, 10)
	if d.Long() != "10 Sep 2025" {
		t.Errorf("Long() = %q", d.Long())
	}
	if mustDate(t, "2026-03-31").FinancialYear() != 2025 || mustDate(t, "2026-04-01").FinancialYear() != 2026 {
		t.Error("financial year boundary is 1 April")
	}
}

// Days and back agree for every day across four centuries.
func TestDaysRoundTrip(t *testing.T) {
	d := NewDate(1900, time.January, 1)
	for i := 0; i < 146097; i++ {
		n := d.AddDays(1)
		if d.DaysUntil(n) != 1 || !n.After(d) {
			t.Fatalf("after %s comes %s", d, n)
		}
		d = n
	}
	if d.String() != "2300-01-01" {
		t.Errorf("1900-01-01 + 146097 days = %s, want 2300-01-01", d)
	}
}

// The table of months gives the same dates as the arithmetic, for every
// day from 1899 to 2201 and a spread of month steps.
func TestMonthTableMatchesArithmetic(t *testing.T) {
	from, to := civilDate(1899, time.January, 1).n, civilDate(2201, time.January, 1).n
	for n := from; n < to; n++ {
		d := Date{n}
		y, m, day := civilOf(n - dateBase)
		if gy, gm, gd := d.civil(); gy != y || gm != m || gd != day {
			t.Fatalf("day %d: table gives %d-%d-%d, arithmetic %d-%d-%d", n, gy, gm, gd, y, m, day)
		}
		if n%7 != 0 {
			continue
		}
		for _, k := range []int{-30, -1, 1, 6, 30, 210} {
			ty, tm := (y*12+int(m)-1+k)/12, time.Month((y*12+int(m)-1+k)%12+1)
			want := civilDate(ty, tm, min(day, daysIn(ty, tm)))
			if got := d.AddMonths(k); got != want {
				t.Fatalf("%s + %d months = %s, want %s", d, k, got, want)
			}
		}
	}
}
