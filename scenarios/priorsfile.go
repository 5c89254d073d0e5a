package scenarios

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"pathway/sim"
)

// asyD02URL is where the Home Office publishes table Asy_D02.
const asyD02URL = "https://www.gov.uk/government/statistical-data-sets/asylum-and-resettlement-datasets"

// PolicyName is the name of the policy file an import writes, from the
// layout and its last quarter, such as "asy-d02-2025-q2".
func (imp *PriorsImport) PolicyName() string {
	layout := "asy-d02"
	if imp.Layout == "grant rates" {
		layout = "grant-rates"
	}
	return layout + "-" + strings.ToLower(strings.ReplaceAll(imp.Last, " ", "-"))
}

// WritePriorsTOML writes an import as a policy file that --policy accepts:
// its source, the region of each nationality, and the dated [[prior]] rows.
func WritePriorsTOML(w io.Writer, imp *PriorsImport) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, `# Outcome priors from %s (%s table), %s to %s, made by "pathway priors import".
#
# Pass this file with --policy. For each nationality, region and the default
# (all nationalities) it gives rows for, its rows replace the built-in rows
# from its first date on; earlier built-in rows stay.
#
# Method (README, "Priors"): a quarter's row gives the chances for decisions
# dated in that quarter, from that quarter's decisions on main applicants'
# asylum claims (withdrawals and administrative outcomes left out); with
# fewer than %d decisions the quarters before it are added, up to %d in all;
# still fewer, and there is no row, so the region's row applies, then all
# nationalities'. The last quarter's row runs on with no end date. Rows with
# uasc = true are unaccompanied children's decisions (refugee status, HP,
# other leave as UASC leave, refused); the others are all ages: the grant
# share as protection, split as the table splits grants of protection, the
# rest 17 : 27 between UASC leave and refusal (S80).

name = %s

[[source]]
id = %s
title = %s
url = %s
`, imp.File, imp.Layout, imp.First, imp.Last, DefaultPriorMethod.MinDecisions, DefaultPriorMethod.WindowQuarters,
		strconv.Quote(imp.PolicyName()), strconv.Quote(imp.SourceID), strconv.Quote(imp.SourceTitle), strconv.Quote(asyD02URL))

	byRegion := map[string][]string{}
	for nat, region := range imp.Regions {
		byRegion[region] = append(byRegion[region], nat)
	}
	for _, region := range slices.Sorted(maps.Keys(byRegion)) {
		nats := byRegion[region]
		slices.Sort(nats)
		quoted := make([]string, len(nats))
		for i, n := range nats {
			quoted[i] = strconv.Quote(n)
		}
		fmt.Fprintf(b, "\n[[region]]\nname = %s\nnationalities = [%s]\n", strconv.Quote(region), strings.Join(quoted, ", "))
	}
	for _, pr := range imp.Priors {
		writePriorTOML(b, pr)
	}
	return b.Flush()
}

func writePriorTOML(b *bufio.Writer, pr sim.Prior) {
	b.WriteString("\n[[prior]]\n")
	switch {
	case pr.Nationality != "":
		fmt.Fprintf(b, "nationality = %s\n", strconv.Quote(pr.Nationality))
	case pr.Region != "":
		fmt.Fprintf(b, "region = %s\n", strconv.Quote(pr.Region))
	default:
		b.WriteString("nationality = \"default\"\n")
	}
	if pr.UASC {
		b.WriteString("uasc = true\n")
	}
	if !pr.From.IsZero() {
		fmt.Fprintf(b, "from = %s\n", pr.From)
	}
	if !pr.To.IsZero() {
		fmt.Fprintf(b, "to = %s\n", pr.To)
	}
	fmt.Fprintf(b, "refugee_status = %q\nhumanitarian_protection = %q\nuasc_leave = %q\nrefused = %q\n",
		pr.Probs.RefugeeStatus.StringFixed(4), pr.Probs.HumanitarianProtection.StringFixed(4),
		pr.Probs.UASCLeave.StringFixed(4), pr.Probs.Refused.StringFixed(4))
	if pr.Period != "" {
		fmt.Fprintf(b, "period = %s\n", strconv.Quote(pr.Period))
	}
	if pr.Decisions > 0 {
		fmt.Fprintf(b, "decisions = %d\n", pr.Decisions)
	}
	fmt.Fprintf(b, "source = %s\nconfidence = %s\n", strconv.Quote(pr.Source), strconv.Quote(pr.Confidence))
}
