package sim

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"
)

// ForecastOptions set a cohort forecast (product.md §5).
type ForecastOptions struct {
	From    Date // the forecast starts here; the first financial year is the one containing it
	Years   int  // financial years to forecast
	Draws   int  // sampled futures per young person
	Seed    uint64
	Workers int           // goroutines; 0 means all cores. It never changes the result
	Done    *atomic.Int64 // if set, counts the cohort's young people finished, for a progress bar
	// Arrivals open the cohort; nil (or none expected) keeps it closed.
	Arrivals *Arrivals
	// Shard, if set, limits RunForecastPart to one shard of the young
	// people and arrivals; RunForecast ignores it.
	Shard Shard
}

// ForecastRow is one financial year × payer × category of the forecast: the
// mean and the 10th, 50th and 90th percentiles over the draws of the
// cohort's total.
type ForecastRow struct {
	Year                int
	Payer               Payer
	Category            Category // a category, CatTotal or CatNetCost
	Mean, P10, P50, P90 decimal.Decimal
}

// HeadCount is the expected number of young people in a group on the first
// day of a financial year (the forecast's start for the first year).
type HeadCount struct {
	Year  int
	By    string // "status" or "age"
	Group string
	Mean  decimal.Decimal
}

// QuarterRow is the mean money of one quarter of a financial year (Q1 is
// April to June) for a payer and category, CatTotal or CatNetCost.
type QuarterRow struct {
	Year     int
	Quarter  int // 1 to 4
	Payer    Payer
	Category Category
	Mean     decimal.Decimal
}

// PlacementYear is, for one financial year and placement type, the mean
// money the authority spends on placements and accommodation of that type,
// the nights it pays for, and the young people in it on the year's first
// day, by age band (under 16, 16–17, 18–20, 21–24).
type PlacementYear struct {
	Year      int
	Placement Placement
	Cost      decimal.Decimal
	Nights    [nBands]decimal.Decimal
	Heads     [nBands]decimal.Decimal
}

// GrantDays is, for one financial year, the mean nights of the Home
// Office's UASC grant and weeks of its care-leaver grant the forecast
// counts: what the authority claims.
type GrantDays struct {
	Year            int
	UASCNights      decimal.Decimal
	CareLeaverWeeks decimal.Decimal
}

// PersonCost is one young person's expected money by financial year: the
// authority's spending and the Home Office grants to it, in pence, the
// means over the draws.
type PersonCost struct {
	ID       string  `json:"id"`
	Spending []int64 `json:"spending"`
	Grants   []int64 `json:"grants"`
}

// CohortCounts says what a forecast did with a cohort's rows.
type CohortCounts struct {
	Rows          int      `json:"rows"`            // rows given
	Over25        []string `json:"over_25"`         // ids of rows 25 or over on the start date: left out
	EnterLater    int      `json:"enter_later"`     // rows looked after from a date after the start: counted from then
	EnterAfterEnd int      `json:"enter_after_end"` // of which, rows looked after only from after the forecast's end
	NoNationality int      `json:"no_nationality"`  // rows with no nationality: the all-nationalities prior
}

// Forecast is a cohort's forecast.
type Forecast struct {
	Options   ForecastOptions
	Policy    string
	People    int // young people in the forecast: the cohort's rows less those left out
	Spread    float64
	FirstYear int
	Rows      []ForecastRow
	Heads     []HeadCount
	Priors    []PriorUse // the prior rows the cohort's decisions may be drawn from, with the first date each applies
	Cohort    CohortCounts
	Higher    HigherRate    // the higher nightly rate's test on the start date
	Arrivals  []ArrivalYear // nil for a closed cohort
	Quarters  []QuarterRow
	Placement []PlacementYear
	Grants    []GrantDays
	Persons   []PersonCost // one per young person of the cohort, by id
}

// Closed reports whether the forecast assumed no arrivals.
func (f *Forecast) Closed() bool { return len(f.Arrivals) == 0 }

// PartYear returns the forecast's start when it is not 1 April, when the
// first financial year is only part of one; zero otherwise.
func (f *Forecast) PartYear() Date {
	if f.Options.From == NewDate(f.FirstYear, time.April, 1) {
		return Date{}
	}
	return f.Options.From
}

// Head-count groups.
var (
	StatusGroups = []string{"asylum_seeker", "leave", "no_leave", "settled", "departed", "over_25"}
	AgeGroups    = []string{"under_16", "16_17", "18_20", "21_24", "25_plus"}
)

// Entry says how a forecast treats a cohort row.
type Entry int

const (
	EntersAtStart Entry = iota // in the forecast from its start
	EntersLater                // looked after from a date after the start: in the forecast from then
	Over25                     // 25 or over on the start date: left out
)

// EntryOf says how a forecast from date from treats case c, and from when
// it counts the young person (product.md §5: people 25 or over at the start
// are left out and counted; rows dated after the start enter on their
// date). A row enters on its looked_after_since when that is after the
// start; a later claim or decision is a fact the forecast follows from
// its date.
func EntryOf(c Case, from Date) (Entry, Date) {
	switch {
	case c.DateOfBirth.AgeOn(from) >= 25:
		return Over25, Date{}
	case c.Care.LookedAfterSince.After(from):
		return EntersLater, c.Care.LookedAfterSince
	}
	return EntersAtStart, from
}

// CountCohort counts what a forecast from date from to the day before end
// does with a cohort's rows (a zero end: no end).
func CountCohort(cohort []Case, from, end Date) CohortCounts {
	n := CohortCounts{Rows: len(cohort)}
	for _, c := range cohort {
		e, on := EntryOf(c, from)
		switch e {
		case Over25:
			n.Over25 = append(n.Over25, c.ID)
			continue
		case EntersLater:
			n.EnterLater++
			if !end.IsZero() && !on.Before(end) {
				n.EnterAfterEnd++
			}
		}
		if c.Nationality == "" {
			n.NoNationality++
		}
	}
	return n
}

// forecastItem is one young person to sample: a row of the cohort, or a
// place an arrival can take.
type forecastItem struct {
	c      Case
	from   Date
	person int          // index in the forecast's young people, by id; -1 for an arrival
	slot   *arrivalSlot // nil for a row of the cohort
}

// CohortFacts are what a forecast needs to know of its whole cohort besides
// each young person's own draws: every shard works them out from the whole
// cohort, and a merge checks that they agree.
type CohortFacts struct {
	Counts      CohortCounts `json:"counts"`
	People      int          `json:"people"`       // rows in the forecast: the rows less those left out
	LookedAfter int64        `json:"looked_after"` // UASC looked after on the start date, which decide the higher nightly rate
}

// ForecastSums are a forecast's integer sums over the draws, before they
// are summarised: money numerators (pence, × 7 for weekly rates, × 365 for
// monthly ones) and head-count units. Sums of shards add up, cell by cell,
// to the sums of the whole cohort.
type ForecastSums struct {
	Totals    []int64 // by year, category and draw: the money numerators of each draw
	Heads     []int64 // by year and group (status groups, then age groups)
	Places    []int64 // by year, placement and age band: young people on the year's first day
	Quarters  []int64 // by year, quarter and category
	ByPlace   []int64 // by year and placement: placement and accommodation money
	Nights    []int64 // by year, placement and age band
	GrantDays []int64 // by year: nights of the UASC grant, then days of the care-leaver grant
	Priors    []PriorUse
	Persons   []PersonCost // the young people of the cohort the sums cover, by id
}

// forecastSetup is what a forecast works out before it samples anyone.
type forecastSetup struct {
	p         *Policy
	opts      ForecastOptions
	first     int
	end       Date
	rates     *rateTable
	cells     int
	snapshots []Date
	snapDays  []int
	f         *Forecast // the header: options, policy, cohort, arrivals
	counts    [][]int   // arrivals by year and draw
	slots     []arrivalSlot
	items     []forecastItem
}

// RunForecast samples every young person's future opts.Draws times and
// gathers the money by financial year, payer and category. A young person's
// draws depend only on the seed and their id, arrivals only on the seed,
// and totals are sums of integers, so the result is the same on any number
// of workers and in any row order. Memory grows with draws × cells, not
// with the cohort.
func RunForecast(cohort []Case, p *Policy, opts ForecastOptions) (*Forecast, error) {
	fs, err := newCohortSetup(cohort, p, opts)
	if err != nil {
		return nil, err
	}
	sums, err := fs.sample(Shard{})
	if err != nil {
		return nil, err
	}
	return fs.finish(sums), nil
}

// newCohortSetup prepares a forecast of a cohort.
func newCohortSetup(cohort []Case, p *Policy, opts ForecastOptions) (*forecastSetup, error) {
	if opts.Draws < 1 || opts.Years < 1 {
		return nil, fmt.Errorf("forecast needs at least one draw and one year, got %d draws and %d years", opts.Draws, opts.Years)
	}
	if err := checkForecastInput(cohort, p, opts); err != nil {
		return nil, err
	}
	first := opts.From.FinancialYear()
	end := NewDate(first+opts.Years, time.April, 1)
	// Who is in the forecast, and from when; the UASC in care on the start
	// date, which decide the higher nightly rate.
	facts := CohortFacts{Counts: CountCohort(cohort, opts.From, end)}
	var items []forecastItem
	for _, c := range cohort {
		e, on := EntryOf(c, opts.From)
		if e == Over25 {
			continue
		}
		if LookedAfterOn(c, opts.From) {
			facts.LookedAfter++
		}
		items = append(items, forecastItem{c: c, from: on})
	}
	facts.People = len(items)
	fs, err := newSetup(p, opts, facts)
	if err != nil {
		return nil, err
	}
	// The cohort's order must not matter: young people are numbered in
	// the order of their ids.
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(items[a].c.ID, items[b].c.ID) })
	for rank, i := range order {
		items[i].person = rank
	}
	for i := range fs.slots {
		s := &fs.slots[i]
		items = append(items, forecastItem{c: s.c, from: s.c.Care.LookedAfterSince, person: -1, slot: s})
	}
	fs.items = items
	// The places arrivals can take are young people too.
	if err := checkSums(p, len(items), opts.Draws); err != nil {
		return nil, err
	}
	return fs, nil
}

// newSetup prepares a forecast from what it knows of the whole cohort: the
// header of the result, the rates, and the arrivals.
func newSetup(p *Policy, opts ForecastOptions, facts CohortFacts) (*forecastSetup, error) {
	first := opts.From.FinancialYear()
	end := NewDate(first+opts.Years, time.April, 1)
	rates, err := newRateTable(p, opts.From, end)
	if err != nil {
		return nil, err
	}
	spreadP, err := p.Lookup("wait.spread", opts.From)
	if err != nil {
		return nil, err
	}
	fs := &forecastSetup{p: p, opts: opts, first: first, end: end, rates: rates, cells: opts.Years * len(Categories)}
	fs.snapshots = make([]Date, opts.Years)
	fs.snapDays = make([]int, opts.Years)
	for y := range fs.snapshots {
		fs.snapshots[y] = MaxDate(opts.From, NewDate(first+y, time.April, 1))
		fs.snapDays[y] = fs.snapshots[y].days()
	}
	f := &Forecast{Options: opts, Policy: p.Name, Spread: spreadP.Value.InexactFloat64(), FirstYear: first, Cohort: facts.Counts, People: facts.People}
	f.Options.Done = nil
	f.Options.Shard = Shard{}
	if f.Higher, err = HigherRateOn(p, opts.From, facts.LookedAfter); err != nil {
		return nil, err
	}
	if f.Arrivals, fs.counts, fs.slots, err = planArrivals(opts.Arrivals, p, opts, facts.LookedAfter); err != nil {
		return nil, err
	}
	fs.f = f
	return fs, nil
}

// tally is one worker's sums.
type tally struct {
	totals []int64
	heads  []int64
	places []int64
	priors priorSet
	ledger *ledger // keeps the sums by quarter, placement and grant across draws
	acc    []int64 // the young person's numerators over their draws
	ages   []int
	// Lent to each young person's sampler in turn.
	mplan *moneyPlan
	memo  []numMemo
	err   error
}

// nGroups is the number of head-count groups a year has.
var nGroups = len(StatusGroups) + len(AgeGroups)

func (fs *forecastSetup) newTally() *tally {
	opts := fs.opts
	t := &tally{
		totals: make([]int64, opts.Draws*fs.cells),
		heads:  make([]int64, opts.Years*nGroups),
		places: make([]int64, opts.Years*nPlacements*nBands),
		priors: priorSet{},
		acc:    make([]int64, fs.cells),
		ages:   make([]int, opts.Years),
		mplan:  &moneyPlan{},
	}
	t.ledger = newLedger(fs.rates, fs.p, fs.first, opts.Years, false)
	t.ledger.keepTotals()
	t.ledger.acc = t.acc
	t.ledger.deferred = true
	t.ledger.num, t.ledger.draws = t.totals, opts.Draws
	return t
}

// sample draws the futures of the young people and arrivals in a shard
// (all of them for the zero Shard) and returns their sums.
func (fs *forecastSetup) sample(shard Shard) (*ForecastSums, error) {
	opts := fs.opts
	var items []*forecastItem
	for i := range fs.items {
		if it := &fs.items[i]; shard.Has(opts.Seed, it.c.ID) {
			items = append(items, it)
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, len(items)), 1) // more would sit idle
	persons := make([]PersonCost, fs.f.People)
	tallies := make([]*tally, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for wi := range tallies {
		t := fs.newTally()
		tallies[wi] = t
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					t.err = fmt.Errorf("internal error in a forecast worker: %v", r)
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(items) {
					return
				}
				it := items[i]
				if t.err = fs.person(t, it); t.err != nil {
					return
				}
				if it.person >= 0 {
					persons[it.person] = personCost(it.c.ID, t.acc, opts.Years, opts.Draws)
					if opts.Done != nil {
						opts.Done.Add(1) // young people of the cohort, whom a progress bar counts
					}
				}
			}
		}()
	}
	wg.Wait()
	sums := &ForecastSums{
		Totals:    make([]int64, opts.Draws*fs.cells),
		Heads:     make([]int64, opts.Years*nGroups),
		Places:    make([]int64, opts.Years*nPlacements*nBands),
		Quarters:  make([]int64, opts.Years*4*len(Categories)),
		ByPlace:   make([]int64, opts.Years*nPlacements),
		Nights:    make([]int64, opts.Years*nPlacements*nBands),
		GrantDays: make([]int64, opts.Years*2),
	}
	priors := priorSet{}
	for _, t := range tallies {
		if t.err != nil {
			return nil, t.err
		}
		priors.add(t.priors.list())
		addInto(sums.Totals, t.totals)
		addInto(sums.Heads, t.heads)
		addInto(sums.Places, t.places)
		addInto(sums.Quarters, t.ledger.quarters)
		addInto(sums.ByPlace, t.ledger.byPlace)
		addInto(sums.Nights, t.ledger.nights)
		addInto(sums.GrantDays, t.ledger.grantDays)
	}
	sums.Priors = priors.list()
	for _, it := range items {
		if it.person >= 0 {
			sums.Persons = append(sums.Persons, persons[it.person])
		}
	}
	slices.SortStableFunc(sums.Persons, func(a, b PersonCost) int { return strings.Compare(a.ID, b.ID) })
	return sums, nil
}

// person samples one young person's draws into a worker's sums.
func (fs *forecastSetup) person(t *tally, it *forecastItem) error {
	c := it.c
	s := newSampler(c, fs.p, it.from, fs.opts.Seed, fs.f.Spread)
	s.w.higher = fs.f.Higher.Applies
	t.memo = newMemo(t.memo)
	t.mplan.ready = false
	s.w.memo, s.w.mplan = t.memo, t.mplan
	t.priors.add(s.Priors())
	for y, at := range fs.snapshots {
		t.ages[y] = ageGroup(c.DateOfBirth.AgeOn(at))
	}
	clear(t.acc)
	from := it.from.days()
	for d := range fs.opts.Draws {
		if err := fs.draw(t, s, it, from, d, true); err != nil {
			return fmt.Errorf("%s: %w", c.ID, err)
		}
	}
	s.w.flushMoney(t.ledger)
	return nil
}

// draw samples one draw of a young person: their path, its money, and
// (heads) where they are on the first day of each year.
func (fs *forecastSetup) draw(t *tally, s *Sampler, it *forecastItem, from, d int, heads bool) error {
	b, err := s.draw()
	if err != nil {
		return err
	}
	if it.slot != nil && it.slot.k >= fs.counts[it.slot.year][d] {
		return nil // this arrival does not come in this draw
	}
	l := t.ledger
	l.d = d
	s.w.money(b, l, fs.end)
	if heads {
		fs.heads(t, s.w, from)
	}
	return nil
}

// heads counts where a young person is on the first day of each year of a
// draw: their standing (from the periods money just read), age band and
// placement.
func (fs *forecastSetup) heads(t *tally, w *walker, from int) {
	ages := t.ages
	pd, ss := &w.pathDays, &w.stays
	pi, si := -1, 0
	for y, at := range fs.snapDays {
		if at < from {
			continue // not yet arrived
		}
		var g int8
		if pd.inOrder {
			for pi+1 < len(pd.ps) && pd.ps[pi+1].from <= at {
				pi++
			}
			if pi >= 0 {
				g = pd.ps[pi].group
			}
		} else {
			if p := pd.at(at); p != nil {
				g = p.group
			}
		}
		st := int(g)
		if ages[y] == len(AgeGroups)-1 {
			st = len(StatusGroups) - 1 // over 25
		} else if st != sgDeparted {
			for si+1 < ss.n && ss.s[si+1].from <= at { // the placement on day at (stays.on)
				si++
			}
			t.places[(y*nPlacements+ss.s[si].place)*nBands+ages[y]]++
		}
		t.heads[y*nGroups+st]++
		t.heads[y*nGroups+len(StatusGroups)+ages[y]]++
	}
}

// finish summarises a forecast's sums.
func (fs *forecastSetup) finish(sums *ForecastSums) *Forecast {
	f, opts, first := fs.f, fs.opts, fs.first
	f.Priors = sums.Priors
	f.Persons = sums.Persons
	totals, heads, places := sums.Totals, sums.Heads, sums.Places
	values := make([]int64, opts.Draws) // pence, one per draw
	payerTotal := make([]int64, opts.Draws)
	net := make([]int64, opts.Draws)
	for y := 0; y < opts.Years; y++ {
		clear(net)
		for _, payer := range Payers {
			clear(payerTotal)
			for ci, pc := range Categories {
				if pc.Payer != payer {
					continue
				}
				div := divOf(pc.Category)
				for d := range values {
					v := roundDiv(totals[(y*len(Categories)+ci)*opts.Draws+d], div)
					values[d] = v
					payerTotal[d] += v
					switch {
					case payer == LocalAuthority:
						net[d] += v
					case IsGrant(pc.Category):
						net[d] -= v
					}
				}
				f.Rows = append(f.Rows, summarise(first+y, payer, pc.Category, values))
			}
			f.Rows = append(f.Rows, summarise(first+y, payer, CatTotal, payerTotal))
		}
		f.Rows = append(f.Rows, summarise(first+y, LocalAuthority, CatNetCost, net))
		for g, name := range StatusGroups {
			f.Heads = append(f.Heads, HeadCount{first + y, "status", name, meanOf(heads[y*nGroups+g], opts.Draws)})
		}
		for g, name := range AgeGroups {
			f.Heads = append(f.Heads, HeadCount{first + y, "age", name, meanOf(heads[y*nGroups+len(StatusGroups)+g], opts.Draws)})
		}
	}
	f.Quarters = quarterRows(f, sums.Quarters)
	draws := decimal.NewFromInt(int64(opts.Draws))
	for y := 0; y < opts.Years; y++ {
		for pl, place := range Placements {
			py := PlacementYear{Year: first + y, Placement: place,
				Cost: decimal.NewFromInt(sums.ByPlace[y*nPlacements+pl]).Div(decimal.NewFromInt(7 * int64(opts.Draws))).Shift(-2).Round(2)}
			for b := range nBands {
				py.Nights[b] = meanOf(sums.Nights[(y*nPlacements+pl)*nBands+b], opts.Draws)
				py.Heads[b] = meanOf(places[(y*nPlacements+pl)*nBands+b], opts.Draws)
			}
			f.Placement = append(f.Placement, py)
		}
		f.Grants = append(f.Grants, GrantDays{Year: first + y,
			UASCNights:      meanOf(sums.GrantDays[y*2], opts.Draws),
			CareLeaverWeeks: decimal.NewFromInt(sums.GrantDays[y*2+1]).Div(draws.Mul(decimal.NewFromInt(7))).Round(2)})
	}
	for y := range f.Arrivals {
		n := slices.Clone(fs.counts[y])
		slices.Sort(n)
		var total int64
		for _, v := range n {
			total += int64(v)
		}
		f.Arrivals[y].Mean = meanOf(total, opts.Draws)
		f.Arrivals[y].P10, f.Arrivals[y].P90 = n[nearestRank(0.10, len(n))], n[nearestRank(0.90, len(n))]
	}
	return f
}

func addInto(dst, src []int64) {
	for j, v := range src {
		dst[j] += v
	}
}

// personCost turns a young person's numerators over their draws into the
// mean pence the authority spends and receives, by year. Each category's
// mean is rounded to the penny, then added.
func personCost(id string, acc []int64, years, draws int) PersonCost {
	pc := PersonCost{ID: id, Spending: make([]int64, years), Grants: make([]int64, years)}
	for y := range years {
		for ci, c := range Categories {
			v := roundDiv(acc[y*len(Categories)+ci], divOf(c.Category)*int64(draws))
			switch {
			case c.Payer == LocalAuthority:
				pc.Spending[y] += v
			case IsGrant(c.Category):
				pc.Grants[y] += v
			}
		}
	}
	return pc
}

// quarterRows gives the mean money by quarter. Each category's first three
// quarters are their own means, rounded to the penny; the fourth takes the
// rest of the year's mean, so that the quarters add up to the year. Totals
// and the net cost are sums of those.
func quarterRows(f *Forecast, quarters []int64) []QuarterRow {
	year := map[[2]int]decimal.Decimal{} // (year, category index) → the year's mean
	for _, r := range f.Rows {
		if i, ok := categoryOrder[r.Category]; ok && r.Category != CatTotal && r.Category != CatNetCost {
			year[[2]int{r.Year, i}] = r.Mean
		}
	}
	draws := int64(f.Options.Draws)
	var out []QuarterRow
	for y := 0; y < f.Options.Years; y++ {
		fy := f.FirstYear + y
		var means [4][]decimal.Decimal
		for q := range 4 {
			means[q] = make([]decimal.Decimal, len(Categories))
		}
		for ci, c := range Categories {
			rest := year[[2]int{fy, ci}]
			for q := range 3 {
				v := decimal.New(roundDiv(quarters[(y*4+q)*len(Categories)+ci], divOf(c.Category)*draws), -2)
				means[q][ci] = v
				rest = rest.Sub(v)
			}
			means[3][ci] = rest
		}
		for q := range 4 {
			net := decimal.Zero
			for _, payer := range Payers {
				total := decimal.Zero
				for ci, c := range Categories {
					if c.Payer != payer {
						continue
					}
					v := means[q][ci]
					out = append(out, QuarterRow{fy, q + 1, payer, c.Category, v})
					total = total.Add(v)
					switch {
					case payer == LocalAuthority:
						net = net.Add(v)
					case IsGrant(c.Category):
						net = net.Sub(v)
					}
				}
				out = append(out, QuarterRow{fy, q + 1, payer, CatTotal, total})
			}
			out = append(out, QuarterRow{fy, q + 1, LocalAuthority, CatNetCost, net})
		}
	}
	return out
}

// nearestRank is the index, in n sorted values, of the nearest-rank
// percentile q: the smallest value with at least that share at or below it.
func nearestRank(q float64, n int) int {
	return max(int(math.Ceil(q*float64(n)))-1, 0)
}

func meanOf(sum int64, n int) decimal.Decimal {
	return decimal.NewFromInt(sum).DivRound(decimal.NewFromInt(int64(n)), 2)
}

// summarise gives the mean and percentiles of per-draw totals in pence. The
// percentiles are nearest-rank: the smallest draw with at least that share
// of draws at or below it, so each is a total some draw actually had.
func summarise(year int, payer Payer, c Category, pence []int64) ForecastRow {
	sorted := slices.Clone(pence)
	slices.Sort(sorted)
	rank := func(q float64) decimal.Decimal {
		return decimal.New(sorted[nearestRank(q, len(sorted))], -2)
	}
	mean := meanPence(pence)
	return ForecastRow{Year: year, Payer: payer, Category: c, Mean: mean, P10: rank(0.10), P50: rank(0.50), P90: rank(0.90)}
}

// ageGroup returns the index in AgeGroups of an age.
func ageGroup(a int) int {
	switch {
	case a < 16:
		return 0
	case a < 18:
		return 1
	case a < 21:
		return 2
	case a < 25:
		return 3
	}
	return 4
}

// Difference is a scenario's forecast less the base's, cell by cell: each
// row's mean, P10, P50 and P90 less the base's. The two must have the same
// rows: the same years, payers and categories.
func Difference(base, scenario *Forecast) ([]ForecastRow, error) {
	if len(base.Rows) != len(scenario.Rows) {
		return nil, fmt.Errorf("the scenario's forecast has %d rows, the base's %d", len(scenario.Rows), len(base.Rows))
	}
	out := make([]ForecastRow, len(base.Rows))
	for i, b := range base.Rows {
		s := scenario.Rows[i]
		if s.Year != b.Year || s.Payer != b.Payer || s.Category != b.Category {
			return nil, fmt.Errorf("row %d: the scenario has %s %s %s, the base %s %s %s", i+1,
				FinancialYearLabel(s.Year), s.Payer, s.Category, FinancialYearLabel(b.Year), b.Payer, b.Category)
		}
		out[i] = ForecastRow{Year: b.Year, Payer: b.Payer, Category: b.Category,
			Mean: s.Mean.Sub(b.Mean), P10: s.P10.Sub(b.P10), P50: s.P50.Sub(b.P50), P90: s.P90.Sub(b.P90)}
	}
	return out, nil
}
