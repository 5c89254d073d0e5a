package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"pathway/scenarios"
	"pathway/sim"
)

// A part is what `forecast --shard K/N` writes and `merge` reads: the
// run's settings and the inputs' fingerprints, so that a merge can tell
// parts of one run from parts of another and write what the whole run
// writes, and for the base (and the --compare scenario) the shard's
// integer sums. A policy or scenario file's text travels in the part, so
// the merge needs no file but the parts.

// partFormat names the format of a part; a change to it is a new name.
const partFormat = "pathway forecast part 1"

type partFile struct {
	Format   string       `json:"format"`
	Shard    string       `json:"shard"` // "K/N"
	Cohort   partCohort   `json:"cohort"`
	Settings partSettings `json:"settings"`
	Runs     []partRun    `json:"runs"` // the base, then the --compare scenario
}

type partCohort struct {
	File   string `json:"file"`   // the cohort file's name
	SHA256 string `json:"sha256"` // its checksum
}

// partSettings are the flags of the run that change its output.
type partSettings struct {
	From     sim.Date    `json:"from"`
	Years    int         `json:"years"`
	Draws    int         `json:"draws"`
	Seed     uint64      `json:"seed"`
	Arrivals string      `json:"arrivals,omitempty"`
	Policy   *partSource `json:"policy,omitempty"`
	Compare  *partSource `json:"compare,omitempty"`
}

// partSource is a --policy or --compare argument: a built-in scenario's
// name, or a file's name as given and its text.
type partSource struct {
	Arg     string `json:"arg"`
	BuiltIn bool   `json:"built_in,omitempty"`
	Text    string `json:"text,omitempty"`
}

type partRun struct {
	Name   string `json:"name"`   // "base" or the scenario's
	Policy string `json:"policy"` // the policy's name
	// PolicySHA256 fingerprints the policy as the shard had it, built-in
	// values included: a merge by a pathway with other built-in values
	// is refused.
	PolicySHA256 string          `json:"policy_sha256"`
	Facts        sim.CohortFacts `json:"facts"`
	Sums         partSums        `json:"sums"`
}

type partSums struct {
	Totals    []int64          `json:"totals"`
	Heads     []int64          `json:"heads"`
	Places    []int64          `json:"places"`
	Quarters  []int64          `json:"quarters"`
	ByPlace   []int64          `json:"by_place"`
	Nights    []int64          `json:"nights"`
	GrantDays []int64          `json:"grant_days"`
	Priors    []sim.PriorRef   `json:"priors"`
	Persons   []sim.PersonCost `json:"persons"`
}

func newPartRun(s *scenarios.Setup, pt *sim.ForecastPart) partRun {
	r := partRun{Name: s.Name, Policy: s.Policy.Name, PolicySHA256: s.Policy.Fingerprint(), Facts: pt.Facts}
	sums := pt.Sums
	r.Sums = partSums{Totals: sums.Totals, Heads: sums.Heads, Places: sums.Places, Quarters: sums.Quarters,
		ByPlace: sums.ByPlace, Nights: sums.Nights, GrantDays: sums.GrantDays, Persons: sums.Persons}
	r.Sums.Priors = make([]sim.PriorRef, len(sums.Priors))
	for i, u := range sums.Priors {
		r.Sums.Priors[i] = u.Ref()
	}
	if r.Sums.Persons == nil {
		r.Sums.Persons = []sim.PersonCost{}
	}
	return r
}

// forecastPart turns a part's run back into the engine's, with its prior
// rows found again in the policy.
func (r *partRun) forecastPart(p *sim.Policy, shard sim.Shard) (*sim.ForecastPart, error) {
	s := &r.Sums
	sums := &sim.ForecastSums{Totals: s.Totals, Heads: s.Heads, Places: s.Places, Quarters: s.Quarters,
		ByPlace: s.ByPlace, Nights: s.Nights, GrantDays: s.GrantDays, Persons: s.Persons}
	for _, ref := range s.Priors {
		u, err := p.PriorUse(ref)
		if err != nil {
			return nil, err
		}
		sums.Priors = append(sums.Priors, u)
	}
	return &sim.ForecastPart{Shard: shard, Facts: r.Facts, Sums: sums}, nil
}

func writePart(w io.Writer, p *partFile) error {
	enc := json.NewEncoder(w)
	return enc.Encode(p)
}

// readPart reads a part, strictly: unknown fields are errors.
func readPart(data []byte, name string) (*partFile, sim.Shard, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p partFile
	if err := dec.Decode(&p); err != nil {
		return nil, sim.Shard{}, badUsage("%s: not a part written by pathway forecast --shard: %v", name, err)
	}
	if dec.More() {
		return nil, sim.Shard{}, badUsage("%s: not a part written by pathway forecast --shard: more after the part's end", name)
	}
	if p.Format != partFormat {
		return nil, sim.Shard{}, badUsage("%s: format %q, want %q (a part written by pathway forecast --shard)", name, p.Format, partFormat)
	}
	s, err := parseShard(p.Shard)
	if err != nil {
		return nil, sim.Shard{}, badUsage("%s: shard %q: %v", name, p.Shard, err)
	}
	return &p, s, nil
}

// shardFlag is --shard K/N.
type shardFlag struct{ s sim.Shard }

func (f *shardFlag) String() string {
	if f.s.IsZero() {
		return ""
	}
	return f.s.String()
}

func (f *shardFlag) Set(v string) error {
	s, err := parseShard(v)
	if err != nil {
		return err
	}
	f.s = s
	return nil
}

// maxShards is the most shards a run may be split into.
const maxShards = 100_000

func parseShard(v string) (sim.Shard, error) {
	k, n, ok := strings.Cut(v, "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || ni < 1 || ni > maxShards || ki < 1 || ki > ni {
		return sim.Shard{}, fmt.Errorf("allowed is K/N: N shards from 1 to %d, K from 1 to N, such as 2/8", maxShards)
	}
	return sim.Shard{K: ki, N: ni}, nil
}
