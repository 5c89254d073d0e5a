package sim

import (
	"fmt"
	"math"
	"runtime"
	"slices"
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
	Done    *atomic.Int64 // if set, counts young people finished, for a progress bar
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

// Forecast is a cohort's forecast.
type Forecast struct {
	Options   ForecastOptions
	Policy    string
	People    int
	Spread    float64 // the waiting-time spread used
	FirstYear int
	Rows      []ForecastRow
	Heads     []HeadCount
	Priors    []PriorUse // the prior rows the cohort's decisions may be drawn from, with the first date each applies
}

// Head-count groups.
var (
	StatusGroups = []string{"asylum_seeker", "leave", "no_leave", "settled", "departed", "over_25"}
	AgeGroups    = []string{"under_16", "16_17", "18_20", "21_24", "25_plus"}
)

// RunForecast samples every young person's future opts.Draws times and
// gathers the money by financial year, payer and category. A young person's
// draws depend only on the seed and their id, and totals are sums of
// integers, so the result is the same on any number of workers and in any
// row order. Memory grows with draws × cells, not with the cohort.
func RunForecast(cohort []Case, p *Policy, opts ForecastOptions) (*Forecast, error) {
	if opts.Draws < 1 || opts.Years < 1 {
		return nil, fmt.Errorf("forecast needs at least one draw and one year, got %d draws and %d years", opts.Draws, opts.Years)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(min(workers, len(cohort)), 1) // more would sit idle
	if err := checkForecastInput(cohort, p, opts); err != nil {
		return nil, err
	}
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
	spread := spreadP.Value.InexactFloat64()
	cells := opts.Years * len(Categories)
	snapshots := make([]Date, opts.Years)
	snapDays := make([]int, opts.Years)
	for y := range snapshots {
		snapshots[y] = MaxDate(opts.From, NewDate(first+y, time.April, 1))
		snapDays[y] = snapshots[y].days()
	}

	type partial struct {
		totals []int64 // draws × cells numerators
		heads  []int64 // years × (status groups + age groups)
		priors priorSet
		err    error
	}
	nGroups := len(StatusGroups) + len(AgeGroups)
	parts := make([]partial, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for wi := range parts {
		wg.Add(1)
		go func(part *partial) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					part.err = fmt.Errorf("internal error in a forecast worker: %v", r)
				}
			}()
			part.totals = make([]int64, opts.Draws*cells)
			part.heads = make([]int64, opts.Years*nGroups)
			part.priors = priorSet{}
			l := newLedger(rates, p, first, opts.Years, false)
			ages := make([]int, opts.Years)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cohort) {
					return
				}
				c := cohort[i]
				s := NewSampler(c, p, opts.From, opts.Seed, spread)
				part.priors.add(s.Priors())
				for y, at := range snapshots {
					ages[y] = ageGroup(c.DateOfBirth.AgeOn(at))
				}
				for d := 0; d < opts.Draws; d++ {
					b, err := s.Draw()
					if err != nil {
						part.err = fmt.Errorf("%s: %w", c.ID, err)
						return
					}
					l.reset()
					s.w.money(&b, l, end)
					row := part.totals[d*cells : (d+1)*cells]
					for j, v := range l.num {
						row[j] += v
					}
					for y, at := range snapDays {
						st := statusGroup(&s.w.pathDays, at) // the periods money just read
						if ages[y] == len(AgeGroups)-1 {
							st = len(StatusGroups) - 1 // over 25
						}
						part.heads[y*nGroups+st]++
						part.heads[y*nGroups+len(StatusGroups)+ages[y]]++
					}
				}
				if opts.Done != nil {
					opts.Done.Add(1)
				}
			}
		}(&parts[wi])
	}
	wg.Wait()
	totals := make([]int64, opts.Draws*cells)
	heads := make([]int64, opts.Years*nGroups)
	priors := priorSet{}
	for _, part := range parts {
		if part.err != nil {
			return nil, part.err
		}
		priors.add(part.priors.list())
		for j, v := range part.totals {
			totals[j] += v
		}
		for j, v := range part.heads {
			heads[j] += v
		}
	}

	f := &Forecast{Options: opts, Policy: p.Name, People: len(cohort), Spread: spread, FirstYear: first, Priors: priors.list()}
	f.Options.Done = nil
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
					v := roundDiv(totals[d*cells+y*len(Categories)+ci], div)
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
	return f, nil
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
		i := int(math.Ceil(q*float64(len(sorted)))) - 1
		return decimal.New(sorted[max(i, 0)], -2)
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

// statusGroup returns the index in StatusGroups of the standing on a path
// on day number at.
func statusGroup(pd *pathDays, at int) int {
	st, _ := pd.on(at)
	switch st {
	case WithLeave:
		return 1
	case WithoutLeave:
		return 2
	case Indefinite:
		return 3
	case Departed:
		return 4
	}
	return 0
}
