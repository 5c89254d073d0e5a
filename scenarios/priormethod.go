package scenarios

import (
	"cmp"
	"fmt"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// How published counts of decisions become dated priors (README, "Priors";
// policy.toml's comments say the same).
//
//   - Recency first. A quarter's row gives the chances for decisions dated
//     in that quarter, from that quarter's decisions. Only when it has fewer
//     than MinDecisions are earlier quarters added, back to a year in all.
//     The last published quarter's row is open-ended: a decision expected
//     after it takes the latest figures, not a long average that lags a
//     turn in decisions by a year.
//   - A minimum number of decisions, with a fallback. A nationality without
//     MinDecisions decisions in the year to a quarter has no row for it;
//     its region's row applies, and failing that, all nationalities'.
//   - Children. Figures from unaccompanied children's (UASC) decisions, where
//     a table gives them, make UASC rows with their own split: refugee
//     status, humanitarian protection, other leave (UASC leave, and before
//     2012 the discretionary leave of its day) and refusal. All-ages figures
//     are main applicants' grants against grants and refusals: the grant
//     share is taken as the chance of protection, split between refugee
//     status and humanitarian protection as the table splits grants of
//     protection (or, without that split, 54 : 2 as UASC decisions in the
//     year to March 2018 [S80]); the rest is split between UASC leave and
//     refusal 17 : 27, as those decisions split it [S80]. The engine then
//     applies the 17½ rule: for a decision on or after the young person is
//     17½, the UASC leave share becomes refusal.
//   - Shares are written to four decimal places, rounded by the largest
//     remainder so that they sum to exactly 1.

// PriorMethod sets how counts become priors.
type PriorMethod struct {
	MinDecisions   int // decisions (grants and refusals) a row needs
	WindowQuarters int // most quarters pooled for one row, the quarter itself included
}

// DefaultPriorMethod is the method of the built-in priors and the importer:
// at least 100 decisions, pooled over at most a year. With 100 decisions a
// share has a standard error of at most 5 percentage points.
var DefaultPriorMethod = PriorMethod{MinDecisions: 100, WindowQuarters: 4}

// s80Split is how UASC initial decisions in the year to March 2018 divided
// (domain.md §7, S80): 56% protection, taken as 54% refugee status and 2%
// humanitarian protection ("a rare category", guidance para 58(2)), 17% UASC
// leave, 27% refused.
var s80Split = struct{ refugee, hp, uascLeave, refused int64 }{54, 2, 17, 27}

// quarter is a calendar quarter, numbered 4 × year + (q − 1).
type quarter int

func quarterOf(year, q int) quarter { return quarter(4*year + q - 1) }

// parseQuarter reads a quarter written "2024 Q3" (case and spacing free).
func parseQuarter(s string) (quarter, bool) {
	if len(s) == 7 && s[4] == ' ' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4' { // the usual form, quickly
		if y, err := strconv.Atoi(s[:4]); err == nil && y >= 1900 && y <= 2200 {
			return quarterOf(y, int(s[6]-'0')), true
		}
	}
	f := strings.Fields(strings.ToUpper(s))
	if len(f) == 1 && len(f[0]) == 6 { // 2024Q3
		f = []string{f[0][:4], f[0][4:]}
	}
	if len(f) != 2 || len(f[1]) != 2 || f[1][0] != 'Q' || f[1][1] < '1' || f[1][1] > '4' {
		return 0, false
	}
	y, err := strconv.Atoi(f[0])
	if err != nil || y < 1900 || y > 2200 {
		return 0, false
	}
	return quarterOf(y, int(f[1][1]-'0')), true
}

func (q quarter) year() int      { return int(q) / 4 }
func (q quarter) num() int       { return int(q)%4 + 1 }
func (q quarter) String() string { return fmt.Sprintf("%d Q%d", q.year(), q.num()) }

// first and last are the quarter's first and last days.
func (q quarter) first() sim.Date { return sim.NewDate(q.year(), time.Month(3*q.num()-2), 1) }
func (q quarter) last() sim.Date  { return (q + 1).first().AddDays(-1) }

// periodText names quarters from..to: "2024 Q3", or "2023 Q4–2024 Q3".
func periodText(from, to quarter) string {
	if from == to {
		return to.String()
	}
	if from.year() == to.year() {
		return fmt.Sprintf("%s–Q%d", from, to.num())
	}
	return fmt.Sprintf("%s–%s", from, to)
}

// decisionCounts are initial decisions on main applicants' asylum claims.
type decisionCounts struct {
	grants     int  // every grant: protection and other leave
	protection int  // grants of protection (refugee status, HP)
	hp         int  // of which humanitarian protection
	refused    int  //
	split      bool // protection and hp are known; a table of grant rates gives grants only
}

func (c *decisionCounts) add(d decisionCounts) {
	c.grants += d.grants
	c.protection += d.protection
	c.hp += d.hp
	c.refused += d.refused
	c.split = c.split || d.split
}

func (c decisionCounts) decisions() int { return c.grants + c.refused }

// countsKey is whose counts they are: a nationality (alpha-3), a region,
// or all nationalities (both empty); children's (UASC) or all ages.
type countsKey struct {
	nationality, region string
	uasc                bool
}

// countsTable holds counts by quarter, and each nationality's region.
type countsTable struct {
	counts      map[countsKey]map[quarter]decisionCounts
	regions     map[string]string // alpha-3 → region
	first, last quarter
	any         bool
}

func newCountsTable() *countsTable {
	return &countsTable{counts: map[countsKey]map[quarter]decisionCounts{}, regions: map[string]string{}}
}

// add counts d for a nationality (alpha-3, or "" when it has none) in a
// region, towards its own, its region's and all nationalities' figures:
// all ages, and for a UASC's decisions the children's figures too.
func (t *countsTable) add(q quarter, nationality, region string, uasc bool, d decisionCounts) {
	if uasc {
		t.add(q, nationality, region, false, d)
	}
	if !t.any || q < t.first {
		t.first = q
	}
	if !t.any || q > t.last {
		t.last = q
	}
	t.any = true
	if nationality != "" && region != "" {
		t.regions[nationality] = region
	}
	t.addTo(countsKey{uasc: uasc}, q, d)
	if region != "" {
		t.addTo(countsKey{region: region, uasc: uasc}, q, d)
	}
	if nationality != "" {
		t.addTo(countsKey{nationality: nationality, uasc: uasc}, q, d)
	}
}

func (t *countsTable) addTo(k countsKey, q quarter, d decisionCounts) {
	byQ := t.counts[k]
	if byQ == nil {
		byQ = map[quarter]decisionCounts{}
		t.counts[k] = byQ
	}
	c := byQ[q]
	c.add(d)
	byQ[q] = c
}

// priors turns the table into dated prior rows by method m, each citing
// source. Children's rows are children's own decisions (confidence H);
// all-ages rows, which count children's decisions too, stand in for a
// child's chances (M).
func (t *countsTable) priors(m PriorMethod, source string) []sim.Prior {
	if !t.any {
		return nil
	}
	keys := make([]countsKey, 0, len(t.counts))
	for k := range t.counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b countsKey) int {
		if c := strings.Compare(a.nationality, b.nationality); c != 0 {
			return c
		}
		if c := strings.Compare(a.region, b.region); c != 0 {
			return c
		}
		switch {
		case a.uasc == b.uasc:
			return 0
		case b.uasc:
			return -1
		}
		return 1
	})
	hasMember := map[string]bool{}
	for _, r := range t.regions {
		hasMember[r] = true
	}
	var out []sim.Prior
	for _, k := range keys {
		if k.region != "" && !hasMember[k.region] {
			continue // only names without a country code: no young person's region
		}
		need := m.MinDecisions
		if k.nationality == "" && k.region == "" && !k.uasc {
			need = 1 // all nationalities: a row for every quarter with any decision
		}
		byQ := make([]decisionCounts, t.last-t.first+1)
		start := t.last
		for q, c := range t.counts[k] {
			byQ[q-t.first] = c
			start = min(start, q)
		}
		for q := start; q <= t.last; q++ {
			var sum decisionCounts
			from := q
			for w := 0; w < m.WindowQuarters && q-quarter(w) >= t.first; w++ {
				sum.add(byQ[q-quarter(w)-t.first])
				from = q - quarter(w)
				if sum.decisions() >= need {
					break
				}
			}
			if sum.decisions() < need || (k.uasc && !sum.split) {
				continue
			}
			pr := sim.Prior{Nationality: k.nationality, Region: k.region, UASC: k.uasc,
				From: q.first(), To: q.last(), Period: periodText(from, q), Decisions: sum.decisions(),
				Source: source, Confidence: "M"}
			if q == t.last {
				pr.To = sim.Date{} // the latest figures, for every later decision
			}
			if k.uasc {
				pr.Probs, pr.Confidence = uascShares(sum), "H"
			} else {
				pr.Probs = allAgesShares(sum)
			}
			out = append(out, pr)
		}
	}
	return out
}

// uascShares are children's decisions as they fell: refugee status, HP,
// other leave as UASC leave, and refusal.
func uascShares(c decisionCounts) sim.Probabilities {
	return roundShares([4]uint64{uint64(c.protection - c.hp), uint64(c.hp), uint64(c.grants - c.protection), uint64(c.refused)},
		uint64(c.decisions()))
}

// allAgesShares takes the grant share as the chance of protection, split
// between HP and refugee status as the table splits grants of protection
// (else S80's 2 : 54), and the rest 17 : 27 between UASC leave and refusal
// (S80).
func allAgesShares(c decisionCounts) sim.Probabilities {
	hp, prot := uint64(s80Split.hp), uint64(s80Split.refugee+s80Split.hp)
	if c.split && c.protection > 0 {
		hp, prot = uint64(c.hp), uint64(c.protection)
	}
	return splitGrant(uint64(c.grants), uint64(c.decisions()), hp, prot)
}

// SplitGrantShare applies the all-ages split to a published grant share,
// such as Afghanistan's 47% in 2024 Q4: what a prior row for that figure
// holds. The share must be between 0 and 1.
func SplitGrantShare(share decimal.Decimal) sim.Probabilities {
	exp := min(share.Exponent(), 0)
	den := decimal.New(1, -exp).BigInt().Uint64()
	num := share.Shift(-exp).BigInt().Uint64()
	return splitGrant(num, den, uint64(s80Split.hp), uint64(s80Split.refugee+s80Split.hp))
}

// splitGrant divides the grant share g = grants/n into refugee status
// g·(prot − hp)/prot and HP g·hp/prot, and the rest into UASC leave and
// refusal 17 : 27, exactly: every share is a whole number over
// n · prot · 44.
func splitGrant(grants, n, hp, prot uint64) sim.Probabilities {
	notGranted := uint64(s80Split.uascLeave + s80Split.refused)
	if den, ok := mul3(n, prot, notGranted); ok { // the usual case: 64 bits are enough
		a, _ := mul3(grants, prot-hp, notGranted)
		b, _ := mul3(grants, hp, notGranted)
		c, _ := mul3(n-grants, uint64(s80Split.uascLeave), prot)
		d, _ := mul3(n-grants, uint64(s80Split.refused), prot)
		return roundShares([4]uint64{a, b, c, d}, den) // each is at most den
	}
	num := [4]*big.Int{
		mulAll(grants, prot-hp, notGranted),
		mulAll(grants, hp, notGranted),
		mulAll(n-grants, uint64(s80Split.uascLeave), prot),
		mulAll(n-grants, uint64(s80Split.refused), prot),
	}
	return roundSharesBig(num, mulAll(n, prot, notGranted))
}

// mul3 is a·b·c, and whether it fits in 64 bits.
func mul3(a, b, c uint64) (uint64, bool) {
	hi, ab := bits.Mul64(a, b)
	if hi != 0 {
		return 0, false
	}
	hi, abc := bits.Mul64(ab, c)
	return abc, hi == 0
}

func mulAll(xs ...uint64) *big.Int {
	out := big.NewInt(1)
	for _, x := range xs {
		out.Mul(out, new(big.Int).SetUint64(x))
	}
	return out
}

// roundSharesBig is roundShares for numbers too large for 64 bits.
func roundSharesBig(num [4]*big.Int, den *big.Int) sim.Probabilities {
	if den.IsUint64() {
		var small [4]uint64
		fits := true
		for i, x := range num {
			fits = fits && x.IsUint64()
			if fits {
				small[i] = x.Uint64()
			}
		}
		if fits {
			return roundShares(small, den.Uint64())
		}
	}
	var scaled [4]uint64
	var rem [4]*big.Int
	for i, x := range num {
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(x, big.NewInt(10000)), den, new(big.Int))
		scaled[i], rem[i] = q.Uint64(), r
	}
	return distribute(scaled, func(a, b int) int { return rem[b].Cmp(rem[a]) })
}

// roundShares writes four shares num[i]/den, summing to 1, to four decimal
// places by the largest remainder: each is cut to whole ten-thousandths,
// and the units missing from 10,000 go to the largest remainders (the
// first on ties).
func roundShares(num [4]uint64, den uint64) sim.Probabilities {
	var whole, rem [4]uint64
	for i, x := range num {
		hi, lo := bits.Mul64(x, 10000)
		whole[i], rem[i] = bits.Div64(hi, lo, den) // x ≤ den, so hi < den
	}
	return distribute(whole, func(a, b int) int { return cmp.Compare(rem[b], rem[a]) })
}

// distribute adds the units missing from 10,000 to the shares in the order
// byRemainder gives, and writes them as decimals.
func distribute(whole [4]uint64, byRemainder func(a, b int) int) sim.Probabilities {
	var sum uint64
	for _, w := range whole {
		sum += w
	}
	if sum > 10000 || 10000-sum > 4 {
		panic(fmt.Sprintf("scenarios: shares %v do not sum to 1", whole))
	}
	order := []int{0, 1, 2, 3}
	slices.SortStableFunc(order, byRemainder)
	for i := 0; i < int(10000-sum); i++ {
		whole[order[i]]++
	}
	d := func(i int) decimal.Decimal { return decimal.New(int64(whole[i]), -4) }
	return sim.Probabilities{RefugeeStatus: d(0), HumanitarianProtection: d(1), UASCLeave: d(2), Refused: d(3)}
}
