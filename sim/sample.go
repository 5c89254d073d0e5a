package sim

import (
	"hash/fnv"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Sampler draws one possible future at a time for one young person: the same
// rules as the plan's tree, with each branching point decided at random by
// its probabilities and each wait drawn around its policy median. Its draws
// depend only on the seed and the young person's id (product.md §5).
type Sampler struct {
	w       *walker // its spans give the chances of a decision by its date
	path    []Outcome
	periods []Period
}

// NewSampler returns a sampler for case c seen from asOf. spread is the
// log-normal sigma of waiting times; 0 makes every wait its median.
func NewSampler(c Case, p *Policy, asOf Date, seed uint64, spread float64) *Sampler {
	s := newSampler(c, p, asOf, seed, spread)
	s.w.planHigherRate()
	s.w.memo = newMemo(nil)
	return s
}

// newMemo returns an empty memo of policy values, reusing buf.
func newMemo(buf []numMemo) []numMemo {
	if len(buf) != len(keyNames) {
		buf = make([]numMemo, len(keyNames))
	}
	for i := range buf {
		buf[i] = numMemo{from: 1, to: 0} // empty
	}
	return buf
}

// newSampler is NewSampler without the plan's test for the higher nightly
// rate, which a forecast makes once for its whole cohort.
func newSampler(c Case, p *Policy, asOf Date, seed uint64, spread float64) *Sampler {
	h := fnv.New64a()
	h.Write([]byte(c.ID))
	src := rand.NewPCG(seed, h.Sum64())
	w := newWalker(c, p, asOf)
	w.rng, w.spread = rand.New(src), spread
	w.life = rand.New(rand.NewPCG(seed, h.Sum64()^lifeStream))
	w.norm = distuv.Normal{Mu: 0, Sigma: 1, Src: src}
	w.spans = w.priorSpans()
	if own := c.Asylum.Probabilities; own != nil {
		w.firstF, w.ownFirst = floats(*own), true
	}
	return &Sampler{w: w}
}

func floats(p Probabilities) [4]float64 {
	return [4]float64{p.RefugeeStatus.InexactFloat64(), p.HumanitarianProtection.InexactFloat64(),
		p.UASCLeave.InexactFloat64(), p.Refused.InexactFloat64()}
}

// lifeStream sets a young person's second random stream apart from the
// first: placement moves and support after 21 are drawn from it, so that a
// scenario that changes their chances leaves the asylum paths as they were.
const lifeStream = 0x6c69666521

// Draw samples one path: its outcomes, periods and departure, without
// events or money, and the young person's placements and support after 21
// for that draw. The path shares buffers with the next Draw: use it first.
func (s *Sampler) Draw() (Branch, error) {
	b, err := s.draw()
	if err != nil {
		return Branch{}, err
	}
	return *b, nil
}

// draw is Draw without copying the path, which is valid until the next draw.
func (s *Sampler) draw() (*Branch, error) {
	w := s.w
	w.out = w.out[:0]
	a := &w.c.Asylum
	w.begin(&state{b: walkBranch{Path: s.path[:0], Periods: s.periods[:0]}, quiet: true, claim: a.ClaimDate, certified: a.Certified, firstDecision: true})
	if w.err != nil {
		return nil, w.err
	}
	b := &w.out[0]
	s.path, s.periods = b.Path, b.Periods // reuse the buffers next time
	w.drawLife()
	return b, nil
}

// Priors returns the prior rows the sampler may draw decisions from: those
// in force for the young person's nationality from the as-of date to the
// 25th birthday, each with the first date it applies.
func (s *Sampler) Priors() []PriorUse {
	out := make([]PriorUse, len(s.w.spans))
	for i, sp := range s.w.spans {
		out[i] = sp.use
	}
	return out
}
