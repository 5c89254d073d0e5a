package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Uplift raises a money value by a percentage each financial year of a
// forecast after the first, compounded (product.md §6b): a scenario's
// inflation or a planned rise in a local cost.
type Uplift struct {
	Key     string
	Percent decimal.Decimal // may be negative, above -100
}

// Uplifted returns p with each uplifted key's values raised: from 1 April
// of the n-th financial year after first, every value in force is
// multiplied by (1 + Percent/100)^n and rounded to the penny (half away
// from zero). Values before the second financial year are unchanged; the
// last year's factor holds after the forecast. Each raised value keeps its
// source and confidence and says in its note how it was raised.
func Uplifted(p *Policy, ups []Uplift, first, years int) (*Policy, error) {
	if len(ups) == 0 {
		return p, nil
	}
	by := map[string]Uplift{}
	for _, u := range ups {
		spec, ok := Keys[u.Key]
		switch {
		case !ok:
			return nil, fmt.Errorf("uplift %s: not a policy key", u.Key)
		case !strings.HasPrefix(string(spec.Unit), string(Pounds)):
			return nil, fmt.Errorf("uplift %s: not an amount of money (its unit is %s)", u.Key, spec.Unit)
		case !u.Percent.GreaterThan(decimal.NewFromInt(-100)):
			return nil, fmt.Errorf("uplift %s: %s%% a year would leave nothing", u.Key, u.Percent)
		}
		if _, dup := by[u.Key]; dup {
			return nil, fmt.Errorf("uplift %s: given twice", u.Key)
		}
		by[u.Key] = u
	}
	var bounds []Date // 1 April of each financial year after the first
	for n := 1; n < years; n++ {
		bounds = append(bounds, NewDate(first+n, time.April, 1))
	}
	var params []Param
	for _, v := range p.Params() {
		u, ok := by[v.Key]
		if !ok {
			params = append(params, v)
			continue
		}
		step := decimal.NewFromInt(1).Add(u.Percent.Div(decimal.NewFromInt(100)))
		factor := decimal.NewFromInt(1)
		for n := 0; n <= len(bounds); n++ {
			if n > 0 {
				factor = factor.Mul(step)
			}
			from, to := v.From, v.To
			if n > 0 {
				from = MaxDate(from, bounds[n-1])
			}
			if n < len(bounds) {
				last := bounds[n].AddDays(-1)
				if to.IsZero() || to.After(last) {
					to = last
				}
			}
			if !to.IsZero() && to.Before(from) {
				continue
			}
			w := v
			w.From, w.To = from, to
			if n > 0 {
				w.Value = v.Value.Mul(factor).Round(2)
				note := fmt.Sprintf("%s raised %s%% a year from %s: × %s", v.Value.StringFixed(2), u.Percent, FinancialYearLabel(first+1), factor.String())
				if v.Note != "" {
					note = v.Note + "; " + note
				}
				w.Note = note
			}
			params = append(params, w)
		}
	}
	return NewPolicyFrom(PolicyData{Name: p.Name, Params: params, Priors: p.Priors(), Regions: p.Regions(), Pauses: p.Pauses(), Sources: p.Sources()})
}
