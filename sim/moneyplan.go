package sim

import (
	"math/bits"
	"time"
)

// A young person's money, compiled. Most of what decides their cash flows
// does not depend on the path: their birthdays, the day they leave care,
// the financial years and quarters, a course in higher education, the
// policy's switches, its rates and which nightly rate is higher. moneyPlan
// cuts their window into fixed spans at every such day, once, and keeps
// each span's daily rates; each path then only splits those spans where
// its own standing or placement changes, and a piece's money is a rate
// times its days.

// fixedSpan is a stretch of days, from a day number to the next span's,
// within which nothing but the path (standing, placement) changes.
type fixedSpan struct {
	from int
	end  int      // the next span's from, or the window's end
	yi   int      // the financial year's index in the ledger; -1 outside it
	qs   [5]int   // the day numbers of the financial year's quarter starts and its end
	full [4]int64 // the span's days in each quarter
	mask payMode  // the bits of a mode its money depends on: two modes equal under it pay the same
	band int      // the age band of bed-nights: under 16, 16–17, 18–20, 21–24

	lookedAfter  bool    // before leaving care
	adviserInLA  bool    // an eligible child, with a personal adviser while looked after
	uascRate     rateKey // the Home Office's nightly rate while looked after, the higher one where it applies
	under18      bool
	under21      bool
	inHE         bool // on a full-time higher education course
	councilTax   bool // within the age of the council tax discount
	stayingPutOK bool // the policy gives Staying Put (s.23CZA)
	onRequestOK  bool // the policy gives a personal adviser on request from 21 to 25

	rate [nRateKeys]int64 // each rate in force over the span, per day (as the rate table's daily values)

	// For a forecast: what is paid in each mode met so far (ops, by
	// modeEntry), and the days spent in each mode, kept across draws.
	ops   []moneyOp
	modes []modeEntry
	idx   [256]uint8 // by mode: 1 + the index of its entry in modes, or 0
}

// modeEntry is what a span pays in one mode (its ops, from and to in the
// span's ops), and the days of the forecast's draws spent in that mode, by
// quarter, not yet added to the ledger's sums across draws.
type modeEntry struct {
	mode     payMode
	from, to int
	occ      [4]int64
	drawn    []uint64 // the draws that spent the whole span in this mode, not counted in occ
}

// payMode is what a piece's money depends on besides its span, packed:
// benefits, support cut, the care-leaver grant's grace over, in education
// after 21, asking for an adviser after 21 (bits 0 to 4), the placement
// (from bit 5).
type payMode uint16

// split unpacks a mode.
func (m payMode) split() (benefits, cut, graceOver bool, place int, edu21, onRequest bool) {
	return m&1 != 0, m&2 != 0, m&4 != 0, int(m >> 5), m&8 != 0, m&16 != 0
}

func bit(b bool) payMode {
	if b {
		return 1
	}
	return 0
}

// addDeferred adds n days from day a in mode e to the draw's money by
// year and category, and counts the days by quarter for the sums across
// draws, which flushMoney adds.
func (l *ledger) addDeferred(sp *fixedSpan, e *modeEntry, a, n int) {
	draws := l.draws
	row := l.num[sp.yi*len(Categories)*draws+l.d:]
	ops := sp.ops[e.from:e.to]
	for i := range ops {
		op := &ops[i]
		row[int(op.ci)*draws] += op.rate * int64(n)
	}
	qs := &sp.qs
	end, q := a+n, 0
	for a >= qs[q+1] {
		q++
	}
	for ; end > qs[q+1]; q++ {
		e.occ[q] += int64(qs[q+1] - a)
		a = qs[q+1]
	}
	e.occ[q] += int64(end - a)
}

// flushMoney adds the money of whole spans to their draws' totals, and
// the days a young person's draws spent in each span and mode to the
// ledger's sums across draws: by quarter, placement, age band and grant,
// and to the young person's own sums (l.acc).
func (w *walker) flushMoney(l *ledger) {
	mp := w.mplan
	// The draws that spent each span whole in a mode: a running XOR of
	// the differences markWhole noted, span after span.
	words := mp.words
	if cap(mp.cur) < words {
		mp.cur = make([]uint64, words)
	}
	cur := mp.cur[:words]
	for s, m := range mp.modes {
		diff := mp.diff[s]
		clear(cur)
		for j := range mp.spans {
			row := diff[j*words : (j+1)*words]
			var set uint64
			for wi := range cur {
				cur[wi] ^= row[wi]
				set |= cur[wi]
			}
			sp := &mp.spans[j]
			if set == 0 || sp.yi < 0 {
				continue
			}
			e := w.entry(sp, sp.from, m&sp.mask)
			if e.drawn == nil {
				e.drawn = make([]uint64, words)
			}
			for wi := range cur {
				e.drawn[wi] |= cur[wi]
			}
		}
		mp.slot[uint8(m)] = 0
	}
	mp.modes = mp.modes[:0]
	for j := range mp.spans {
		sp := &mp.spans[j]
		for i := range sp.modes {
			e := &sp.modes[i]
			var whole int64
			for _, word := range e.drawn {
				whole += int64(bits.OnesCount64(word))
			}
			if whole > 0 {
				// Column by column, draw after draw.
				for k := e.from; k < e.to; k++ {
					op := &sp.ops[k]
					col := l.num[(sp.yi*len(Categories)+int(op.ci))*l.draws:][:l.draws]
					for wi, word := range e.drawn {
						if word == 0 {
							continue
						}
						// The 64 draws of a word, or those left.
						w64 := col[wi<<6:]
						for word != 0 {
							w64[bits.TrailingZeros64(word)] += op.full
							word &= word - 1
						}
					}
				}
				clear(e.drawn)
			}
			for q := range e.occ {
				e.occ[q] += whole * sp.full[q]
			}
			days := e.occ[0] + e.occ[1] + e.occ[2] + e.occ[3]
			if days == 0 {
				continue
			}
			for _, op := range sp.ops[e.from:e.to] {
				cell := sp.yi*len(Categories) + int(op.ci)
				if l.acc != nil {
					l.acc[cell] += op.rate * days
				}
				for q, d := range e.occ {
					l.quarters[(sp.yi*4+q)*len(Categories)+int(op.ci)] += op.rate * d
				}
				if op.place >= 0 {
					l.byPlace[sp.yi*nPlacements+int(op.place)] += op.rate * days
					l.nights[(sp.yi*nPlacements+int(op.place))*nBands+int(op.band)] += days
				}
				switch op.ci {
				case ciUASCGrant:
					l.grantDays[sp.yi*2] += days
				case ciCareLeaverGrant:
					l.grantDays[sp.yi*2+1] += days
				}
			}
			e.occ = [4]int64{}
		}
	}
}

// moneyPlan is a young person's fixed spans over a window of a ledger.
type moneyPlan struct {
	ready            bool
	end              Date // the window's end the plan was made for
	firstYear, years int  // the ledger's years
	rateStart        int
	start, stop      int // the window in day numbers: [start, stop)
	spans            []fixedSpan
	ends             []int        // each span's end, side by side for the walk's scan
	cuts             []int        // scratch: the days a path's mode may change, out of order
	changes          []modeChange // scratch: a path's changes of mode
	// For a forecast: the draws that spent spans whole in one mode, whose
	// money flushMoney adds. For each mode met (modes, slot: 1 + its
	// index by mode, or 0), diff holds a row of words (a bit per draw)
	// for each span and one after the last: a draw's bit is flipped in
	// the row of a run's first span and in the row after its last, so a
	// running XOR down the rows gives the draws that spent each span
	// whole in that mode.
	modes []payMode
	slot  [256]uint8
	diff  [][]uint64
	words int
	cur   []uint64 // scratch: flushMoney's running XOR
}

// markWhole notes that draw d spent spans j1 to j2-1 whole in mode m.
func (mp *moneyPlan) markWhole(j1, j2 int, m payMode, d int) {
	s := mp.slot[uint8(m)]
	if s == 0 {
		mp.modes = append(mp.modes, m)
		s = uint8(len(mp.modes))
		mp.slot[uint8(m)] = s
		if len(mp.diff) < int(s) {
			mp.diff = append(mp.diff, nil)
		}
		need := (len(mp.spans) + 1) * mp.words
		row := mp.diff[s-1]
		if cap(row) < need {
			row = make([]uint64, need)
		} else {
			row = row[:need]
			clear(row)
		}
		mp.diff[s-1] = row
	}
	diff := mp.diff[s-1]
	b := uint64(1) << (d & 63)
	diff[j1*mp.words+d>>6] ^= b
	diff[j2*mp.words+d>>6] ^= b
}

// moneyPlan returns the young person's fixed spans for money added to l up
// to end (the 25th birthday, or a forecast's end), made once.
func (w *walker) moneyPlan(l *ledger, end Date) *moneyPlan {
	if w.mplan == nil {
		w.mplan = &moneyPlan{}
	}
	mp := w.mplan
	if mp.ready && mp.end == end && mp.firstYear == l.firstYear && mp.years == l.years && mp.rateStart == l.rates.start {
		return mp
	}
	f := w.moneyFacts()
	mp.ready, mp.end, mp.firstYear, mp.years, mp.rateStart = true, end, l.firstYear, l.years, l.rates.start
	for _, m := range mp.modes {
		mp.slot[uint8(m)] = 0
	}
	mp.modes, mp.words = mp.modes[:0], (l.draws+63)/64
	if !w.horizon.After(end) {
		end = w.horizon
	}
	start, stop := w.asOf.days(), end.days()
	mp.start, mp.stop = start, stop
	cuts := []int{start, f.bd16, f.bd18, f.bd21, f.careEnds, f.eligibleFrom, f.heFrom, f.heTo, f.councilTaxTo}
	cuts = append(cuts, f.boundaries...)
	for y := w.asOf.FinancialYear() + 1; y <= end.FinancialYear(); y++ {
		cuts = append(cuts, NewDate(y, time.April, 1).days())
	}
	for k := range rateKey(nRateKeys) {
		for _, v := range w.p.fast[rateKeyNames[k]] {
			cuts = append(cuts, v.from) // rates are constant between their values' first days
		}
	}
	// Keep the cuts inside the window, in order, once each.
	inside := cuts[:0]
	for _, c := range cuts {
		if c >= start && c < stop {
			inside = append(inside, c)
		}
	}
	sortInts(inside)
	old := mp.spans[:cap(mp.spans)]
	mp.spans = mp.spans[:0]
	for i, a := range inside {
		if i > 0 && a == inside[i-1] {
			continue
		}
		sp := w.fixedSpanAt(l, f, a)
		if k := len(mp.spans); k < len(old) {
			// Keep the buffers of the young person before.
			sp.ops, sp.modes = old[k].ops[:0], old[k].modes[:0]
		}
		mp.spans = append(mp.spans, sp)
	}
	for j := range mp.spans {
		sp := &mp.spans[j]
		sp.end = stop
		if j+1 < len(mp.spans) {
			sp.end = mp.spans[j+1].from
		}
		for q := range 4 {
			sp.full[q] = int64(max(0, min(sp.end, sp.qs[q+1])-max(sp.from, sp.qs[q])))
		}
	}
	mp.ends = mp.ends[:0]
	for j := range mp.spans {
		mp.ends = append(mp.ends, mp.spans[j].end)
	}
	return mp
}

// fixedSpanAt works out what holds for a span starting on day a.
func (w *walker) fixedSpanAt(l *ledger, f *moneyFacts, a int) fixedSpan {
	d := fromDays(a)
	fy := d.FinancialYear()
	sp := fixedSpan{from: a, yi: fy - l.firstYear, band: 3}
	if sp.yi < 0 || sp.yi >= l.years {
		sp.yi = -1
	}
	for q, m := range [...]time.Month{time.April, time.July, time.October} {
		sp.qs[q] = NewDate(fy, m, 1).days()
	}
	sp.qs[3], sp.qs[4] = NewDate(fy+1, time.January, 1).days(), NewDate(fy+1, time.April, 1).days()
	for k := range rateKey(nRateKeys) {
		sp.rate[k] = l.rates.daily[k][a-l.rates.start]
	}
	switch {
	case a < f.bd16:
		sp.band = 0
	case a < f.bd18:
		sp.band = 1
	case a < f.bd21:
		sp.band = 2
	}
	sp.lookedAfter = a < f.careEnds
	sp.adviserInLA = f.eligibleFrom >= 0 && a >= f.eligibleFrom
	k := f.rk1617
	if a < f.bd16 {
		k = f.rkUnder16
	}
	if f.higher && sp.lookedAfter && l.rates.daily[rkHigher][a-l.rates.start] > l.rates.daily[k][a-l.rates.start] {
		k = rkHigher
	}
	sp.uascRate = k
	sp.under18, sp.under21 = a < f.bd18, a < f.bd21
	sp.inHE = f.heFrom <= a && a < f.heTo
	sp.councilTax = a < f.councilTaxTo
	sp.stayingPutOK = w.flagQuiet(kLeavingCareStayingPut, a)
	sp.onRequestOK = w.flagQuiet(kLeavingCareAdviserOnRequestTo25, a)
	// The bits of a mode the span's money reads (pieceOps): while looked
	// after, and for a relevant child, only the placement; for a young
	// person owed no leaving-care support, only benefits.
	switch {
	case sp.lookedAfter, f.leaver && sp.under18:
		sp.mask = ^payMode(31)
	case !f.leaver:
		sp.mask = 1
	default:
		sp.mask = ^payMode(0)
	}
	return sp
}

// flagQuiet reports whether a flag is on on day number day, without
// recording its use: the tree records it where a path reads it.
func (w *walker) flagQuiet(k pkey, day int) bool {
	i, cs := w.p.find(k, day)
	return i >= 0 && cs[i].i > 0
}

// sortInts sorts a short slice in place, without allocating.
func sortInts(s []int) {
	for i := 1; i < len(s); i++ {
		v, j := s[i], i
		for j > 0 && s[j-1] > v {
			s[j] = s[j-1]
			j--
		}
		s[j] = v
	}
}
