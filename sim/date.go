package sim

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a calendar date with no time of day and no zone. Legal dates in
// pathway (birthdays, decisions, leave expiry) are always Dates; arithmetic
// on them never goes through time.Time, whose AddDate overflows 31 August +
// 6 months into March.
//
// A Date holds its day number, so that comparing dates and adding days is
// integer arithmetic; the year, month and day are worked out when asked.
// The zero Date means "no date", and comes before every date.
type Date struct {
	n int // days from 1970-01-01, plus dateBase; 0 for no date
}

// dateBase keeps every calendar date's n above zero.
const dateBase = 1 << 32

// NewDate returns the date y-m-d. It panics if the date does not exist; use
// ParseDate for input.
func NewDate(y int, m time.Month, d int) Date {
	if m < time.January || m > time.December || d < 1 || d > daysIn(y, m) {
		panic(fmt.Sprintf("sim.NewDate: no such date %04d-%02d-%02d", y, m, d))
	}
	return civilDate(y, m, d)
}

// ParseDate reads an ISO date, YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	y, err1 := strconv.Atoi(s[0:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:10])
	if err1 != nil || err2 != nil || err3 != nil || y < 1 {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, fmt.Errorf("%q is not a calendar date", s)
	}
	return civilDate(y, time.Month(m), d), nil
}

// civil returns the date's year, month and day; zeros for no date.
func (d Date) civil() (int, time.Month, int) {
	if d.IsZero() {
		return 0, 0, 0
	}
	if i, ok := monthOf(d.n); ok {
		return tableYear + i/12, time.Month(i%12 + 1), d.n - monthStart[i] + 1
	}
	return civilOf(d.n - dateBase)
}

// monthStart holds the n of the first day of each month from January of
// tableYear, for 300 years: most dates' year, month and day are a look-up.
const tableYear = 1900

var monthStart = func() []int {
	out := make([]int, 300*12+1)
	for i := range out {
		out[i] = civilDate(tableYear+i/12, time.Month(i%12+1), 1).n
	}
	return out
}()

// monthOf returns the index in monthStart of the month holding n, if the
// table covers it.
func monthOf(n int) (int, bool) {
	k := n - monthStart[0]
	if k < 0 || n >= monthStart[len(monthStart)-1] {
		return 0, false
	}
	i := min(k*4800/146097, len(monthStart)-2) // 4,800 months in 146,097 days: within a month
	for i+1 < len(monthStart) && monthStart[i+1] <= n {
		i++
	}
	for monthStart[i] > n {
		i--
	}
	return i, true
}

// Year, Month and Day return the date's parts.
func (d Date) Year() int          { y, _, _ := d.civil(); return y }
func (d Date) Month() time.Month  { _, m, _ := d.civil(); return m }
func (d Date) Day() int           { _, _, day := d.civil(); return day }
func (d Date) IsZero() bool       { return d.n == 0 }
func (d Date) Before(e Date) bool { return d.n < e.n }
func (d Date) After(e Date) bool  { return d.n > e.n }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return sign(d.n - e.n) }

// String gives the ISO form, YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
}

// Long gives the form advisers read, "10 Sep 2025".
func (d Date) Long() string {
	if d.IsZero() {
		return "no date"
	}
	y, m, day := d.civil()
	return fmt.Sprintf("%d %s %d", day, m.String()[:3], y)
}

// MarshalText and UnmarshalText use the ISO form.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddMonths adds n calendar months (n may be negative). A day that does not
// exist in the target month is clamped to that month's last day: 31 Aug 2023
// + 30 months = 28 Feb 2026 (product.md §2 "Dates").
func (d Date) AddMonths(n int) Date {
	if i, ok := monthOf(d.n); ok && !d.IsZero() {
		if j := i + n; j >= 0 && j+1 < len(monthStart) {
			day := min(d.n-monthStart[i], monthStart[j+1]-monthStart[j]-1)
			return Date{monthStart[j] + day}
		}
	}
	dy, dm, day := d.civil()
	total := dy*12 + int(dm) - 1 + n
	y, m := total/12, time.Month(total%12+1)
	if last := daysIn(y, m); day > last {
		day = last
	}
	return civilDate(y, m, day)
}

// AddDays adds n days (n may be negative).
func (d Date) AddDays(n int) Date { return Date{d.n + n} }

// AddWeeks adds n weeks.
func (d Date) AddWeeks(n int) Date { return d.AddDays(7 * n) }

// DaysUntil returns the number of days from d to e (negative when e is before d).
func (d Date) DaysUntil(e Date) int { return e.days() - d.days() }

// Birthday returns the date on which someone born on d turns age. A person
// born on 29 February attains an age on 1 March in a common year (Family Law
// Reform Act 1969 s.9; product.md §2 "Dates").
func (d Date) Birthday(age int) Date {
	by, bm, bd := d.civil()
	y := by + age
	if bm == time.February && bd == 29 && !isLeap(y) {
		return civilDate(y, time.March, 1)
	}
	return civilDate(y, bm, bd)
}

// AgeOn returns the age in whole years on date on of someone born on d.
func (d Date) AgeOn(on Date) int {
	age := on.Year() - d.Year()
	if on.Before(d.Birthday(age)) {
		age--
	}
	return age
}

// Min and Max return the earlier and the later of two dates.
func MinDate(a, b Date) Date {
	if b.Before(a) {
		return b
	}
	return a
}

func MaxDate(a, b Date) Date {
	if b.After(a) {
		return b
	}
	return a
}

// FinancialYear returns the first calendar year of the UK financial year
// (1 April – 31 March) that contains d: 31 Mar 2026 is in 2025, 1 Apr 2026 in 2026.
func (d Date) FinancialYear() int {
	y, m, _ := d.civil()
	if m < time.April {
		return y - 1
	}
	return y
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// days counts days from 1970-01-01.
func (d Date) days() int { return d.n - dateBase }

// fromDays returns the date z days from 1970-01-01.
func fromDays(z int) Date { return Date{z + dateBase} }

// civilDate returns the date y-m-d, which must exist (proleptic Gregorian;
// H. Hinnant's days_from_civil).
func civilDate(y int, month time.Month, d int) Date {
	m := int(month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return fromDays(era*146097 + doe - 719468)
}

// civilOf returns the year, month and day z days from 1970-01-01 (H.
// Hinnant's civil_from_days).
func civilOf(z int) (int, time.Month, int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, time.Month(m), d
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// Weekday returns the day of the week, 0 for Sunday to 6 for Saturday.
func (d Date) Weekday() int {
	// 1970-01-01 was a Thursday (4).
	return ((d.days()+4)%7 + 7) % 7
}
