package sim

// MeanPence exposes meanPence to the external tests.
var MeanPence = meanPence

// CheckSums exposes checkSums to the external tests.
var CheckSums = checkSums

// DrawBench is one young person's forecast, for the benchmarks: Draw does
// what the forecast does for each draw: the path and its money, and with
// heads, where the young person is on the first day of each year.
type DrawBench struct {
	fs    *forecastSetup
	Heads bool // Draw also counts the young person on the first day of each year
	t     *tally
	s     *Sampler
	it    *forecastItem
	from  int
}

// NewDrawBench prepares the forecast of one young person.
func NewDrawBench(c Case, p *Policy, opts ForecastOptions) (*DrawBench, error) {
	fs, err := newCohortSetup([]Case{c}, p, opts)
	if err != nil {
		return nil, err
	}
	it := &fs.items[0]
	s := newSampler(it.c, p, it.from, opts.Seed, fs.f.Spread)
	s.w.higher = fs.f.Higher.Applies
	t := fs.newTally()
	t.memo = newMemo(t.memo)
	s.w.memo, s.w.mplan = t.memo, t.mplan
	return &DrawBench{fs: fs, t: t, s: s, it: it, from: it.from.days()}, nil
}

// Draw samples draw d (modulo the forecast's draws); after the last of the
// forecast's draws it adds up the young person's sums, as the forecast does
// once per young person.
func (b *DrawBench) Draw(d int) error {
	n := b.fs.opts.Draws
	if err := b.fs.draw(b.t, b.s, b.it, b.from, d%n, b.Heads); err != nil {
		return err
	}
	if d%n == n-1 {
		b.s.w.flushMoney(b.t.ledger)
	}
	return nil
}

// PathDraws returns, for each of n draws, the uniform and normal numbers
// the young person's path drew, besides the placement draws (LifeDraws).
func (b *DrawBench) PathDraws(n int) ([][2]int, error) {
	out := make([][2]int, n)
	for i := range out {
		before := b.s.w.drawn
		if _, err := b.s.Draw(); err != nil {
			return nil, err
		}
		out[i] = [2]int{b.s.w.drawn[0] - before[0], b.s.w.drawn[1] - before[1]}
	}
	return out, nil
}

// Spread is the log-normal sigma of waiting times.
func (b *DrawBench) Spread() float64 { return b.fs.f.Spread }

// LifeDraws is how many uniform numbers each draw takes for placements
// and support after 21.
const LifeDraws = lifeDraws
