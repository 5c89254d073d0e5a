package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
)

// A forecast can be split into shards by young person and merged exactly
// (product.md §6b): each shard samples the young people whose random
// stream falls in it, and writes its integer sums; the sums of all shards
// add up, cell by cell, to the sums of the whole cohort, and the merge
// summarises them as the whole run does.
//
// A young person's draws come from a stream keyed by the seed and their id
// (NewSampler); their shard is a hash of the same two, so a shard's work
// does not depend on the order of the cohort's rows or on how many rows
// there are. An arrival is a place with an id of its own
// ("ARRIVAL-2026-27-0001", the first arrival of a financial year), whose
// draws depend only on the seed; it goes to a shard by the same rule, so
// each arrival is sampled in exactly one shard. Facts about the whole
// cohort (its counts, the UASC looked after on the start date, which
// decide the higher nightly rate and arrivals held at the transfer
// scheme's share) come from every shard's reading of the whole file.

// Shard is shard K of N, K from 1; the zero Shard is the whole forecast.
type Shard struct{ K, N int }

// IsZero reports whether s is the whole forecast.
func (s Shard) IsZero() bool { return s.N == 0 }

// String writes the shard as "K/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// Valid reports whether s is a shard: N from 1, K from 1 to N.
func (s Shard) Valid() bool { return s.N >= 1 && s.K >= 1 && s.K <= s.N }

// Has reports whether the young person (or arrival) with id falls in the
// shard under a seed; every id falls in the whole forecast.
func (s Shard) Has(seed uint64, id string) bool {
	return s.IsZero() || ShardOf(seed, id, s.N) == s.K
}

// ShardOf returns the shard, 1 to n, of the young person (or arrival) with
// id under a seed: the FNV-1a hash of the id (the key of their random
// stream) mixed with the seed by SplitMix64's finaliser, modulo n.
func ShardOf(seed uint64, id string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(id))
	x := seed ^ h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return int(x%uint64(n)) + 1
}

// ForecastPart is one shard's forecast: what it knows of the whole cohort,
// and the sums of its own young people and arrivals.
type ForecastPart struct {
	Shard Shard
	Facts CohortFacts
	Sums  *ForecastSums
}

// RunForecastPart samples the young people and arrivals of opts.Shard.
func RunForecastPart(cohort []Case, p *Policy, opts ForecastOptions) (*ForecastPart, error) {
	if !opts.Shard.Valid() {
		return nil, fmt.Errorf("shard %s: want K/N with N at least 1 and K from 1 to N", opts.Shard)
	}
	fs, err := newCohortSetup(cohort, p, opts)
	if err != nil {
		return nil, err
	}
	sums, err := fs.sample(opts.Shard)
	if err != nil {
		return nil, err
	}
	facts := CohortFacts{Counts: fs.f.Cohort, People: fs.f.People, LookedAfter: fs.f.Higher.LookedAfter}
	return &ForecastPart{Shard: opts.Shard, Facts: facts, Sums: sums}, nil
}

// MergeError is a problem with the parts given to MergeForecast: they are
// not the shards of one run. It is bad input.
type MergeError struct{ Msg string }

func (e *MergeError) Error() string { return e.Msg }

func mergeErrorf(format string, args ...any) error {
	return &MergeError{fmt.Sprintf(format, args...)}
}

// MergeForecast adds up the parts of a forecast, one for each of its N
// shards, and summarises them as RunForecast does: the result is the same
// as the unsharded run's. The parts must be of the same run: opts and p as
// the shards had them (the caller checks the inputs' fingerprints), the
// same facts about the cohort, every shard once. names label the parts in
// errors.
func MergeForecast(p *Policy, opts ForecastOptions, parts []*ForecastPart, names []string) (*Forecast, error) {
	if len(parts) == 0 {
		return nil, mergeErrorf("no parts to merge")
	}
	if opts.Draws < 1 || opts.Years < 1 {
		return nil, mergeErrorf("forecast needs at least one draw and one year, got %d draws and %d years", opts.Draws, opts.Years)
	}
	n := parts[0].Shard.N
	byK := make([]int, n+1)
	for i, pt := range parts {
		switch {
		case !pt.Shard.Valid():
			return nil, mergeErrorf("%s: shard %s is not a shard K/N with K from 1 to N", names[i], pt.Shard)
		case pt.Shard.N != n:
			return nil, mergeErrorf("%s: shard %s, but %s is shard %s: the parts split the run differently", names[i], pt.Shard, names[0], parts[0].Shard)
		case byK[pt.Shard.K] != 0:
			return nil, mergeErrorf("%s and %s are both shard %s", names[byK[pt.Shard.K]-1], names[i], pt.Shard)
		case !factsEqual(pt.Facts, parts[0].Facts):
			return nil, mergeErrorf("%s: its cohort counts differ from %s's: the parts are not from one run", names[i], names[0])
		}
		byK[pt.Shard.K] = i + 1
	}
	var missing []string
	for k := 1; k <= n; k++ {
		if byK[k] == 0 {
			missing = append(missing, fmt.Sprint(k))
		}
	}
	if len(missing) > 0 {
		return nil, mergeErrorf("shard %s of %d missing: give every part of the run once", strings.Join(missing, ", "), n)
	}
	fs, err := newSetup(p, opts, parts[0].Facts)
	if err != nil {
		return nil, err
	}
	years := opts.Years
	sum := ForecastSums{
		Totals: make([]int64, opts.Draws*fs.cells), Heads: make([]int64, years*nGroups),
		Places: make([]int64, years*nPlacements*nBands), Quarters: make([]int64, years*4*len(Categories)),
		ByPlace: make([]int64, years*nPlacements), Nights: make([]int64, years*nPlacements*nBands),
		GrantDays: make([]int64, years*2),
	}
	priors := priorSet{}
	seen := map[string]string{}
	for i, pt := range parts {
		s := pt.Sums
		if s == nil {
			return nil, mergeErrorf("%s: no sums", names[i])
		}
		for _, c := range []struct {
			name      string
			dst, from []int64
		}{
			{"totals", sum.Totals, s.Totals}, {"heads", sum.Heads, s.Heads}, {"places", sum.Places, s.Places},
			{"quarters", sum.Quarters, s.Quarters}, {"by_place", sum.ByPlace, s.ByPlace},
			{"nights", sum.Nights, s.Nights}, {"grant_days", sum.GrantDays, s.GrantDays},
		} {
			if len(c.from) != len(c.dst) {
				return nil, mergeErrorf("%s: %s has %d values, want %d for %d draws and %d years", names[i], c.name, len(c.from), len(c.dst), opts.Draws, years)
			}
			addInto(c.dst, c.from)
		}
		priors.add(s.Priors)
		for _, pc := range s.Persons {
			if other, ok := seen[pc.ID]; ok {
				return nil, mergeErrorf("%s: young person %s is also in %s", names[i], pc.ID, other)
			}
			if len(pc.Spending) != years || len(pc.Grants) != years {
				return nil, mergeErrorf("%s: young person %s has money for %d years, want %d", names[i], pc.ID, len(pc.Spending), years)
			}
			seen[pc.ID] = names[i]
			sum.Persons = append(sum.Persons, pc)
		}
	}
	if len(sum.Persons) != parts[0].Facts.People {
		return nil, mergeErrorf("the parts have %d young people between them, but the cohort has %d", len(sum.Persons), parts[0].Facts.People)
	}
	slices.SortStableFunc(sum.Persons, func(a, b PersonCost) int { return strings.Compare(a.ID, b.ID) })
	sum.Priors = priors.list()
	return fs.finish(&sum), nil
}

func factsEqual(a, b CohortFacts) bool {
	return a.People == b.People && a.LookedAfter == b.LookedAfter && a.Counts.Rows == b.Counts.Rows &&
		a.Counts.EnterLater == b.Counts.EnterLater && a.Counts.EnterAfterEnd == b.Counts.EnterAfterEnd &&
		a.Counts.NoNationality == b.Counts.NoNationality && slices.Equal(a.Counts.Over25, b.Counts.Over25)
}

// Fingerprint is a checksum of everything a forecast reads from a policy:
// its name, every dated value, prior, pause, region and source. Shards and
// their merge must have the same.
func (p *Policy) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "policy %q\n", p.Name)
	for _, v := range p.Params() {
		fmt.Fprintf(h, "param %q %s %s %s %q %q %q %v %q\n", v.Key, v.From, v.To, v.Value, v.Unit, v.Source, v.Confidence, v.Unconfirmed, v.Note)
	}
	for _, pr := range p.Priors() {
		fmt.Fprintf(h, "prior %q %q %v %s %s %s %s %s %s %q %d %q %q %q\n", pr.Nationality, pr.Region, pr.UASC, pr.From, pr.To,
			pr.Probs.RefugeeStatus, pr.Probs.HumanitarianProtection, pr.Probs.UASCLeave, pr.Probs.Refused, pr.Period, pr.Decisions, pr.Source, pr.Confidence, pr.Note)
	}
	for _, ps := range p.Pauses() {
		fmt.Fprintf(h, "pause %q %s %s %q %q %q %q\n", ps.Nationality, ps.From, ps.To, ps.Reason, ps.Source, ps.Confidence, ps.Note)
	}
	for _, k := range sortedKeys(p.regions) {
		fmt.Fprintf(h, "region %q %q\n", k, p.regions[k])
	}
	for _, k := range sortedKeys(p.sources) {
		fmt.Fprintf(h, "source %q %+v\n", k, p.sources[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// PriorRef names a prior row a forecast's decisions may be drawn from,
// with the first date it applies: a PriorUse without the row's figures,
// which PriorUse looks up again in the policy.
type PriorRef struct {
	Nationality string     `json:"nationality,omitempty"`
	Region      string     `json:"region,omitempty"`
	UASC        bool       `json:"uasc,omitempty"`
	From        Date       `json:"from"`
	Basis       PriorBasis `json:"basis"`
	On          Date       `json:"on"`
}

// Ref returns the row's reference.
func (u PriorUse) Ref() PriorRef {
	return PriorRef{Nationality: u.Prior.Nationality, Region: u.Prior.Region, UASC: u.Prior.UASC, From: u.Prior.From, Basis: u.Basis, On: u.On}
}

// PriorUse finds a referenced row in the policy.
func (p *Policy) PriorUse(r PriorRef) (PriorUse, error) {
	for _, pr := range p.priors[priorSeries{priorPlace{r.Nationality, r.Region}, r.UASC}] {
		if pr.From == r.From {
			return PriorUse{On: r.On, Basis: r.Basis, Prior: pr}, nil
		}
	}
	return PriorUse{}, fmt.Errorf("policy %s has no prior %s from %s", p.Name, Prior{Nationality: r.Nationality, Region: r.Region, UASC: r.UASC}.Name(), fromText(r.From))
}
