package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"pathway/sim"
)

// table is money laid out by row label and financial year.
type table struct {
	years []int
	rows  []tableRow
}

type tableRow struct {
	label  string
	byYear map[int]decimal.Decimal
	strong bool // a total
}

// fundingTable lays funding rows out by category and year, with each
// payer's total, and the authority's net cost (its spending minus the Home
// Office grants) when withNet is set. Totals are sums of the rows shown, so
// the table adds up to the penny.
func fundingTable(rows []sim.Funding, withNet bool) table {
	yearSet := map[int]bool{}
	cells := map[string]map[int]decimal.Decimal{}
	for _, f := range rows {
		yearSet[f.Year] = true
		k := string(f.Payer) + "/" + string(f.Category)
		if cells[k] == nil {
			cells[k] = map[int]decimal.Decimal{}
		}
		cells[k][f.Year] = cells[k][f.Year].Add(f.Amount)
	}
	var t table
	for y := range yearSet {
		t.years = append(t.years, y)
	}
	sort.Ints(t.years)
	for _, payer := range sim.Payers {
		total := map[int]decimal.Decimal{}
		any := false
		for _, pc := range sim.Categories {
			if pc.Payer != payer {
				continue
			}
			c := cells[string(payer)+"/"+string(pc.Category)]
			if c == nil {
				continue
			}
			any = true
			t.rows = append(t.rows, tableRow{label: categoryLabel(pc.Payer, pc.Category), byYear: c})
			for y, v := range c {
				total[y] = total[y].Add(v)
			}
		}
		if any {
			t.rows = append(t.rows, tableRow{label: payerLabel[payer] + " total", byYear: total, strong: true})
		}
	}
	if withNet {
		t.rows = append(t.rows, tableRow{label: "Authority net cost", byYear: sim.NetCost(rows), strong: true})
	}
	return t
}

var payerLabel = map[sim.Payer]string{
	sim.LocalAuthority: "Local authority",
	sim.HomeOffice:     "Home Office",
	sim.DWP:            "DWP",
}

var categoryLabels = map[sim.Category]string{
	sim.CatPlacement:           "placement",
	sim.CatStayingPut:          "Staying Put",
	sim.CatAccommodation:       "accommodation",
	sim.CatAllowance:           "leaving-care allowance",
	sim.CatSocialWork:          "social work",
	sim.CatLeavingCareStaffing: "leaving-care staffing",
	sim.CatAdviser:             "personal adviser",
	sim.CatCouncilTax:          "council tax discount",
	sim.CatSettingUpHome:       "setting-up-home allowance",
	sim.CatHEBursary:           "HE bursary",
	sim.CatUASCGrant:           "UASC grant (nightly)",
	sim.CatCareLeaverGrant:     "care-leaver grant (weekly)",
	sim.CatAVRCash:             "AVR cash on departure",
	sim.CatAVRInKind:           "AVR reintegration in kind",
	sim.CatUniversalCredit:     "Universal Credit",
}

func categoryLabel(p sim.Payer, c sim.Category) string {
	return payerLabel[p] + ": " + categoryLabels[c]
}

// writeText renders the table with a column per financial year.
func (t table) writeText(b *strings.Builder, indent string) {
	if len(t.rows) == 0 {
		fmt.Fprintf(b, "%sno money in the plan period\n", indent)
		return
	}
	width := 0
	for _, r := range t.rows {
		width = max(width, len(r.label))
	}
	fmt.Fprintf(b, "%s%-*s", indent, width, "£")
	for _, y := range t.years {
		fmt.Fprintf(b, " %11s", sim.FinancialYearLabel(y))
	}
	b.WriteString("\n")
	for _, r := range t.rows {
		fmt.Fprintf(b, "%s%-*s", indent, width, r.label)
		for _, y := range t.years {
			v, ok := r.byYear[y]
			cell := "-"
			if ok {
				cell = pounds(v)
			}
			fmt.Fprintf(b, " %11s", cell)
		}
		b.WriteString("\n")
	}
}

// pounds writes an amount with thousands separators and two decimals.
func pounds(d decimal.Decimal) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var out []byte
	for i := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, whole[i])
	}
	r := string(out) + "." + frac
	if neg {
		r = "-" + r
	}
	return r
}
