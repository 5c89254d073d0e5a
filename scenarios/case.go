package scenarios

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"

	"pathway/sim"
)

// ParseCase reads one case file (product.md §1) and validates it. file names
// the input in problems. asOf is the date the case is planned from; when it
// is zero the file's review_date stands in. The returned Case keeps the
// file's own review_date, zero if it gives none.
//
// Bad input gives a Problems error listing everything wrong with the file,
// in line order. Other errors (reading r) are returned wrapped.
func ParseCase(r io.Reader, file string, asOf sim.Date) (sim.Case, error) {
	return ReadCase(r, file, asOf, DefaultPolicy())
}

// ReadCase is ParseCase with the policy a planned return is checked
// against: its reintegration budget within the cap and cash limit in force on
// the departure date, and a planned contact within the contact window.
func ReadCase(r io.Reader, file string, asOf sim.Date, policy *sim.Policy) (sim.Case, error) {
	src, err := readTOML(r, file)
	if err != nil {
		return sim.Case{}, err
	}
	var doc map[string]any
	if _, err := toml.Decode(string(src), &doc); err != nil {
		return sim.Case{}, Problems{syntaxProblem(file, err)}
	}
	cr := &caseReader{file: file, doc: doc, at: keyPositions(string(src))}
	c := cr.read(asOf)
	cr.checkLimits(c, asOf)
	if len(cr.probs) == 0 {
		cr.policyChecks(c, policy)
	}
	if c.Return != nil && len(cr.probs) == 0 {
		for _, rp := range sim.CheckReturn(*c.Return, policy) {
			k := keyPath("return", "budget", rp.Field)
			switch rp.Field {
			case "budget", "departure", "reintegration_contact":
				k = keyPath("return", rp.Field)
			}
			cr.add(k, rp.Value, rp.Allowed)
		}
	}
	if err := cr.probs.orNil(); err != nil {
		return sim.Case{}, err
	}
	return c, nil
}

// syntaxProblem turns a TOML decoding error into a problem at its line.
func syntaxProblem(file string, err error) Problem {
	p := Problem{File: file}
	msg := err.Error()
	var pe toml.ParseError
	if errors.As(err, &pe) {
		p.Line = pe.Position.Line
		msg = pe.Message
	}
	msg = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(msg), "toml: "), ".")
	if r, n := utf8.DecodeRuneInString(msg); n > 0 && unicode.IsUpper(r) {
		msg = string(unicode.ToLower(r)) + msg[n:]
	}
	p.Allowed = "not valid TOML: " + msg
	return p
}

// caseKeys lists, for each table of a case file, the keys it may hold, in
// the order product.md gives them. "" is the top level.
var caseKeys = map[string][]string{
	"":                             {"id", "name", "date_of_birth", "nationality", "trafficked", "review_date", "care", "asylum", "leaving_care", "schedule3", "return", "trafficking", "pronouns", "adviser"},
	"care":                         {"looked_after_since", "placement", "left_care"},
	"asylum":                       {"claim_date", "status", "decision_date", "expected_decision", "outcome_probabilities", "group", "certified", "fresh_claim_date"},
	"trafficking":                  {"nrm_referral", "reasonable_grounds", "conclusive_grounds", "conclusive_outcome"},
	"asylum.outcome_probabilities": {"refugee_status", "humanitarian_protection", "uasc_leave", "refused"},
	"schedule3":                    {"support_continues", "reason"},
	"leaving_care":                 {"education_after_21", "adviser_on_request", "higher_education_start", "higher_education_end", "first_home"},
	"return":                       {"departure", "reintegration_contact", "budget"},
	"return.budget":                sim.BudgetCategories,
	"adviser":                      {"first_name", "phone"},
}

// What each kind of value may be, in words.
const (
	allowDate        = "a date without a time, like 2008-03-10"
	allowID          = "a pseudonymous reference such as YP-0001, never a name: 1 to 64 letters, digits, '-', '_' or '.'"
	allowName        = "text of at most 100 characters on one line"
	allowNationality = "an ISO 3166-1 alpha-3 country code in capitals, like AFG"
	allowBool        = "true or false"
	allowProbability = "a number from 0 to 1, like 0.55"
	allowReason      = "text saying why support continues"
	allowMoney       = `pounds and pence in quotes, like "500.00"`
	allowFirstName   = "the adviser's first name: 1 to 40 letters, with spaces, hyphens, apostrophes or full stops"
	allowPhone       = "a phone number like 020 7946 0000 or +44 20 7946 0000: 7 to 15 digits, with spaces, hyphens or brackets"
)

// caseReader reads a decoded case file, collecting every problem.
type caseReader struct {
	file  string
	doc   map[string]any
	at    map[string]keyPos // where each key is written, by toml.Key.String
	probs Problems
}

func (cr *caseReader) read(asOf sim.Date) sim.Case {
	cr.unknownKeys(nil, cr.doc)

	var c sim.Case
	c.ID = cr.id()
	c.Name = cr.name()
	c.DateOfBirth = cr.requiredDate("date_of_birth")
	c.Nationality = cr.nationality()
	c.Trafficked, _ = cr.boolean("trafficked")
	c.ReviewDate, _ = cr.date("review_date")

	if asOf.IsZero() {
		asOf = c.ReviewDate
		if _, given := cr.lookup("review_date"); !given {
			cr.missing(keyPath("review_date"), "give review_date or --as-of")
		}
	}

	cr.table("care")
	c.Care.LookedAfterSince = cr.requiredDate("care", "looked_after_since")
	c.Care.Placement = sim.Placement(cr.enum(keyPath("care", "placement"), enumNames(sim.Placements)))
	c.Care.LeftCare, _ = cr.date("care", "left_care")

	cr.table("asylum")
	c.Asylum.ClaimDate = cr.requiredDate("asylum", "claim_date")
	c.Asylum.Status = sim.Status(cr.enum(keyPath("asylum", "status"), enumNames(sim.Statuses)))
	c.Asylum.DecisionDate = cr.decisionDate(c.Asylum.Status)
	c.Asylum.ExpectedDecision = cr.expectedDecision(c.Asylum.Status)
	c.Asylum.Probabilities = cr.probabilities()
	c.Asylum.Group = cr.group()
	c.Asylum.Certified, _ = cr.boolean("asylum", "certified")
	c.Asylum.FreshClaimDate, _ = cr.date("asylum", "fresh_claim_date")

	if _, ok := cr.table("leaving_care"); ok {
		c.LeavingCare.EducationAfter21, _ = cr.boolean("leaving_care", "education_after_21")
		c.LeavingCare.AdviserOnRequest, _ = cr.boolean("leaving_care", "adviser_on_request")
		c.LeavingCare.HigherEducationStart, _ = cr.date("leaving_care", "higher_education_start")
		c.LeavingCare.HigherEducationEnd, _ = cr.date("leaving_care", "higher_education_end")
		c.LeavingCare.FirstHome, _ = cr.date("leaving_care", "first_home")
	}
	c.Trafficking = cr.trafficking(c.Trafficked)
	c.Schedule3 = cr.schedule3()
	c.Return = cr.plannedReturn()
	c.Pronouns = cr.pronouns()
	c.Adviser = cr.adviser()

	cr.checkDates(c, asOf)
	return c
}

// policyChecks checks what depends on the rules in force: UASC leave is
// not granted on or after the age limit (17½ since 2007), and Group 2 exists
// only for claims under the temporary protection rules.
func (cr *caseReader) policyChecks(c sim.Case, policy *sim.Policy) {
	if c.Asylum.Status == sim.StatusUASCLeave {
		d := c.Asylum.DecisionDate
		if v, err := policy.Lookup("leave.uasc_age_limit_months", d); err == nil {
			limit := c.DateOfBirth.AddMonths(v.Int())
			if !d.Before(limit) {
				cr.notAllowed(keyPath("asylum", "decision_date"), fmt.Sprintf("a date before %s, when the young person turned %s: UASC leave is not granted from that age (Immigration Rules 352ZD–ZF), so a decision on %s gave another status",
					limit, sim.AgeWords(v.Int()), d))
			}
		}
	}
	if c.Asylum.Group == 2 {
		if v, err := policy.Lookup("protection.temporary_claims", c.Asylum.ClaimDate); err == nil && !v.Value.IsPositive() {
			from := "no date in this policy"
			for _, p := range policy.Params() {
				if p.Key == v.Key && p.Value.IsPositive() {
					from = "claims lodged from " + p.From.Long()
					break
				}
			}
			cr.notAllowed(keyPath("asylum", "group"), fmt.Sprintf("1 for a claim lodged on %s: the groups apply only to claims under the temporary protection rules (%s)", c.Asylum.ClaimDate.Long(), from))
		}
	}
}

// group reads asylum.group: 1 or 2, the Nationality and Borders Act 2022
// group of a claim; 0 when not given (group 1).
func (cr *caseReader) group() int {
	k := keyPath("asylum", "group")
	v, ok := cr.lookup(k...)
	if !ok {
		return 0
	}
	n, ok := v.(int64)
	if !ok || (n != 1 && n != 2) {
		cr.bad(k, v, "1 or 2: the group of a claim lodged from 28 June 2022 (Group 2 refugees got 30 months' temporary refugee permission)")
		return 0
	}
	return int(n)
}

// trafficking reads the [trafficking] table: the National Referral
// Mechanism's dates, for a trafficked young person only.
func (cr *caseReader) trafficking(trafficked bool) sim.Trafficking {
	var t sim.Trafficking
	if _, ok := cr.table("trafficking"); !ok {
		return t
	}
	if !trafficked {
		cr.notAllowed(keyPath("trafficking"), "a [trafficking] table only when trafficked = true")
		return t
	}
	t.NRMReferral, _ = cr.date("trafficking", "nrm_referral")
	t.ReasonableGrounds, _ = cr.date("trafficking", "reasonable_grounds")
	t.ConclusiveGrounds, _ = cr.date("trafficking", "conclusive_grounds")
	k := keyPath("trafficking", "conclusive_outcome")
	if _, given := cr.lookup(k...); given {
		t.ConclusiveOutcome = cr.enum(k, []string{sim.ConclusivePositive, sim.ConclusiveNegative})
	}
	return t
}

// keyPath is a key path: keyPath("asylum", "status") is asylum.status.
func keyPath(parts ...string) toml.Key { return toml.Key(parts) }

// add records a problem with key k, giving the line where k (or, when k is
// missing, the nearest table around it) is written.
func (cr *caseReader) add(k toml.Key, value, allowed string) {
	cr.probs = append(cr.probs, Problem{
		File:    cr.file,
		Line:    cr.line(k),
		Key:     k.String(),
		Value:   value,
		Allowed: allowed,
	})
}

// bad records a problem with the value v found at k.
func (cr *caseReader) bad(k toml.Key, v any, allowed string) {
	cr.add(k, cr.written(k, v), allowed)
}

func (cr *caseReader) line(k toml.Key) int {
	n := len(k)
	if _, given := cr.lookup(k...); !given {
		// A missing key may still be written somewhere that does not count,
		// such as under [[care]]: give the line of its table.
		n--
	}
	for ; n > 0; n-- {
		if p, ok := cr.at[k[:n].String()]; ok {
			return p.line
		}
	}
	return 0
}

// written gives the value v at k as the file writes it: a string's text, or
// the source text of any other value. Long values are cut short.
func (cr *caseReader) written(k toml.Key, v any) string {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case map[string]any, []map[string]any:
		return ""
	default:
		if p, ok := cr.at[k.String()]; ok && p.raw != "" {
			s = p.raw
		} else {
			s = fmt.Sprint(v)
		}
	}
	const limit = 80
	if utf8.RuneCountInString(s) > limit {
		r := []rune(s)
		s = string(r[:limit-1]) + "…"
	}
	return s
}

// lookup returns the value at k, if the file gives one. A table written as
// something other than a table holds no keys.
func (cr *caseReader) lookup(k ...string) (any, bool) {
	var v any = cr.doc
	for _, part := range k {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[part]; !ok {
			return nil, false
		}
	}
	return v, true
}

// table returns the table at path, if the file gives one. Anything else
// written there is a problem.
func (cr *caseReader) table(path ...string) (map[string]any, bool) {
	v, ok := cr.lookup(path...)
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		k := keyPath(path...)
		cr.bad(k, v, fmt.Sprintf("a table, [%s], with the keys %s", k, strings.Join(caseKeys[k.String()], ", ")))
		return nil, false
	}
	return m, true
}

// unknownKeys reports every key in table m (at path) that a case file does
// not have. Keys inside an unknown key are not reported again.
//
// The file is decoded into maps and checked here rather than decoded into a
// struct and checked with MetaData.Undecoded, because BurntSushi/toml matches
// struct fields without regard to case: it would take ID for id and, with
// both in a file, keep either one, as map order falls.
func (cr *caseReader) unknownKeys(path toml.Key, m map[string]any) {
	allowed := caseKeys[path.String()]
	for _, k := range sortedKeys(m) {
		child := append(slices.Clone(path), k)
		if !slices.Contains(allowed, k) {
			cr.add(child, "", unknownKey(path, k, allowed))
			continue
		}
		if sub, ok := m[k].(map[string]any); ok {
			if _, isTable := caseKeys[child.String()]; isTable {
				cr.unknownKeys(child, sub)
			}
		}
	}
}

func unknownKey(path toml.Key, k string, allowed []string) string {
	var b strings.Builder
	b.WriteString("unknown key")
	if s := nearest(k, allowed); s != "" {
		fmt.Fprintf(&b, " (did you mean %s)", s)
	}
	var names []string
	for _, a := range allowed {
		if _, isTable := caseKeys[append(slices.Clone(path), a).String()]; isTable && len(path) == 0 {
			a = "[" + a + "]"
		}
		names = append(names, a)
	}
	if len(path) == 0 {
		fmt.Fprintf(&b, "; the top level allows %s", strings.Join(names, ", "))
	} else {
		fmt.Fprintf(&b, "; [%s] allows %s", path, strings.Join(names, ", "))
	}
	return b.String()
}

// nearest returns the allowed key that k is most likely a misspelling of, or
// "" if none is close.
func nearest(k string, allowed []string) string {
	best, bestDist := "", 3
	for _, a := range allowed {
		if strings.EqualFold(a, k) || strings.EqualFold(strings.ReplaceAll(a, "_", ""), strings.NewReplacer("_", "", "-", "", " ", "").Replace(k)) {
			return a
		}
		if d := editDistance(strings.ToLower(k), a); d < bestDist {
			best, bestDist = a, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return math.MaxInt
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// str returns the string at k. A value of another type is a problem.
func (cr *caseReader) str(k toml.Key, allowed string) (string, bool) {
	v, ok := cr.lookup(k...)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		cr.bad(k, v, allowed)
		return "", false
	}
	return s, true
}

func (cr *caseReader) boolean(k ...string) (b, given bool) {
	v, ok := cr.lookup(k...)
	if !ok {
		return false, false
	}
	b, ok = v.(bool)
	if !ok {
		cr.bad(keyPath(k...), v, allowBool)
	}
	return b, true
}

// date returns the date at k: a TOML local date or a quoted YYYY-MM-DD.
// given reports whether the file gives k at all, valid or not.
func (cr *caseReader) date(k ...string) (d sim.Date, given bool) {
	v, ok := cr.lookup(k...)
	if !ok {
		return sim.Date{}, false
	}
	var s string
	switch v := v.(type) {
	case time.Time:
		// BurntSushi/toml gives a local date (no time, no offset) this
		// zone; a datetime, a local datetime or a time gets another.
		if v.Location().String() == "date-local" {
			s = v.Format("2006-01-02")
		}
	case string:
		s = v
	}
	d, err := sim.ParseDate(s)
	if err != nil {
		cr.bad(keyPath(k...), v, allowDate)
		return sim.Date{}, true
	}
	return d, true
}

func (cr *caseReader) requiredDate(k ...string) sim.Date {
	d, given := cr.date(k...)
	if !given {
		cr.missing(keyPath(k...), "give "+allowDate)
	}
	return d
}

// enum returns the value at k, which must be one of values.
func (cr *caseReader) enum(k toml.Key, names []string) string {
	allowed := "one of " + strings.Join(names, ", ")
	s, ok := cr.str(k, allowed)
	if !ok {
		if _, given := cr.lookup(k...); !given {
			cr.missing(k, "give "+allowed)
		}
		return ""
	}
	if !slices.Contains(names, s) {
		if n := nearest(s, names); n != "" {
			allowed = fmt.Sprintf("%s (did you mean %s)", allowed, n)
		}
		cr.bad(k, s, allowed)
		return ""
	}
	return s
}

func enumNames[T ~string](values []T) []string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return s
}

// missing records that the file does not give k, unless k's table is
// itself written as something other than a table, which is reported once.
func (cr *caseReader) missing(k toml.Key, what string) {
	for n := 1; n < len(k); n++ {
		if v, given := cr.lookup(k[:n]...); given {
			if _, ok := v.(map[string]any); !ok {
				return
			}
		}
	}
	cr.add(k, "", "missing: "+what)
}

// required records a problem if the file does not give k.
func (cr *caseReader) required(k toml.Key, allowed string) {
	if _, given := cr.lookup(k...); !given {
		cr.missing(k, "give "+allowed)
	}
}

// notAllowed records a problem with the value the file gives at k.
func (cr *caseReader) notAllowed(k toml.Key, allowed string) {
	v, _ := cr.lookup(k...)
	cr.bad(k, v, allowed)
}

func (cr *caseReader) id() string {
	k := keyPath("id")
	s, ok := cr.str(k, allowID)
	if !ok {
		cr.required(k, allowID)
		return ""
	}
	if !validID(s) {
		cr.bad(k, s, allowID)
		return ""
	}
	return s
}

func validID(s string) bool {
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	return true
}

func (cr *caseReader) name() string {
	k := keyPath("name")
	s, ok := cr.str(k, allowName)
	if !ok {
		return ""
	}
	if utf8.RuneCountInString(s) > 100 || strings.ContainsFunc(s, unicode.IsControl) {
		cr.bad(k, s, allowName)
		return ""
	}
	return s
}

func (cr *caseReader) nationality() string {
	k := keyPath("nationality")
	s, ok := cr.str(k, allowNationality)
	if !ok {
		cr.required(k, allowNationality)
		return ""
	}
	code, ok := countryCode(s)
	switch {
	case ok && code == s:
		return s
	case ok:
		cr.bad(k, s, "the ISO 3166-1 alpha-3 code in capitals, "+code)
	default:
		cr.bad(k, s, allowNationality)
	}
	return ""
}

// countryCode returns the current ISO 3166-1 alpha-3 code of the country s
// names, given as an alpha-3 or alpha-2 code in either case.
func countryCode(s string) (string, bool) {
	if len(s) != 2 && len(s) != 3 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return "", false
		}
	}
	r, err := language.ParseRegion(strings.ToUpper(s))
	if err != nil || !r.IsCountry() {
		return "", false
	}
	if c := r.Canonicalize(); c.IsCountry() {
		r = c
	}
	return r.ISO3(), true
}

func (cr *caseReader) decisionDate(status sim.Status) sim.Date {
	k := keyPath("asylum", "decision_date")
	if status == sim.Pending {
		if _, given := cr.lookup(k...); given {
			cr.notAllowed(k, "no decision date while status is pending: give expected_decision for the coming decision, or change status")
		}
		return sim.Date{}
	}
	d, given := cr.date(k...)
	if !given && status != "" {
		cr.missing(k, "give the date of the decision that gave status "+string(status))
	}
	return d
}

func (cr *caseReader) expectedDecision(status sim.Status) sim.Date {
	k := keyPath("asylum", "expected_decision")
	if status != "" && status != sim.Pending {
		if _, given := cr.lookup(k...); given {
			cr.notAllowed(k, fmt.Sprintf("an expected decision only while status is pending, not %s", status))
		}
		return sim.Date{}
	}
	d, _ := cr.date(k...)
	return d
}

func (cr *caseReader) probabilities() *sim.Probabilities {
	m, ok := cr.table("asylum", "outcome_probabilities")
	if !ok {
		return nil
	}
	var p sim.Probabilities
	fields := []struct {
		name string
		dst  *decimal.Decimal
	}{
		{"refugee_status", &p.RefugeeStatus},
		{"humanitarian_protection", &p.HumanitarianProtection},
		{"uasc_leave", &p.UASCLeave},
		{"refused", &p.Refused},
	}
	complete := true
	for _, f := range fields {
		k := keyPath("asylum", "outcome_probabilities", f.name)
		v, given := m[f.name]
		if !given {
			cr.missing(k, "give all four of refugee_status, humanitarian_protection, uasc_leave and refused")
			complete = false
			continue
		}
		d, ok := probability(v)
		if !ok {
			cr.bad(k, v, allowProbability)
			complete = false
			continue
		}
		*f.dst = d
	}
	if !complete {
		return nil
	}
	if sum := p.Sum(); sum.Sub(decimal.NewFromInt(1)).Abs().GreaterThan(probabilityTolerance) {
		cr.add(keyPath("asylum", "outcome_probabilities"), "",
			fmt.Sprintf("four probabilities that add up to 1; these add up to %s", sum))
		return nil
	}
	return &p
}

var probabilityTolerance = decimal.New(1, -9)

// probability converts a TOML number to a decimal in [0, 1], exactly as
// written for any float that round-trips (0.55 is 0.55, not its binary
// approximation).
func probability(v any) (decimal.Decimal, bool) {
	var d decimal.Decimal
	switch v := v.(type) {
	case int64:
		d = decimal.NewFromInt(v)
	case float64:
		var err error
		if d, err = decimal.NewFromString(strconv.FormatFloat(v, 'f', -1, 64)); err != nil {
			return decimal.Decimal{}, false
		}
	default:
		return decimal.Decimal{}, false
	}
	if d.IsNegative() || d.GreaterThan(decimal.NewFromInt(1)) {
		return decimal.Decimal{}, false
	}
	return d, true
}

func (cr *caseReader) schedule3() *sim.Schedule3 {
	if _, ok := cr.table("schedule3"); !ok {
		return nil
	}
	var s sim.Schedule3
	k := keyPath("schedule3", "support_continues")
	var given bool
	s.SupportContinues, given = cr.boolean(k...)
	if !given {
		cr.missing(k, "give true if the human rights assessment found support must continue, false if not")
	}
	rk := keyPath("schedule3", "reason")
	s.Reason, _ = cr.str(rk, allowReason)
	if s.SupportContinues && strings.TrimSpace(s.Reason) == "" {
		if _, given := cr.lookup(rk...); given {
			cr.notAllowed(rk, allowReason+", such as a fresh claim lodged or no safe route home")
		} else {
			cr.missing(rk, "give the reason support continues, such as a fresh claim lodged or no safe route home")
		}
	}
	return &s
}

func (cr *caseReader) plannedReturn() *sim.Return {
	if _, ok := cr.table("return"); !ok {
		return nil
	}
	var ret sim.Return
	ret.Departure = cr.requiredDate("return", "departure")
	ret.ReintegrationContact, _ = cr.date("return", "reintegration_contact")
	budget, ok := cr.table("return", "budget")
	if !ok {
		return &ret
	}
	for _, cat := range sim.BudgetCategories {
		v, given := budget[cat]
		if !given {
			continue
		}
		k := keyPath("return", "budget", cat)
		s, ok := v.(string)
		if !ok {
			switch v.(type) {
			case int64, float64:
				cr.bad(k, v, `the amount in quotes, like "500.00", so that it stays exact`)
			default:
				cr.bad(k, v, allowMoney)
			}
			continue
		}
		amount, problem := parseMoney(s)
		if problem != "" {
			cr.bad(k, s, problem)
			continue
		}
		if ret.Budget == nil {
			ret.Budget = make(map[string]decimal.Decimal)
		}
		ret.Budget[cat] = amount
	}
	return &ret
}

// parseMoney reads an amount of pounds such as "500" or "500.00". It returns
// what is allowed when s is not one.
func parseMoney(s string) (decimal.Decimal, string) {
	digits := strings.TrimPrefix(s, "-")
	whole, pence, hasPoint := strings.Cut(digits, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" ||
		(hasPoint && (pence == "" || strings.Trim(pence, "0123456789") != "")) {
		return decimal.Decimal{}, allowMoney
	}
	if len(pence) > 2 {
		return decimal.Decimal{}, "at most 2 decimal places (whole pence), like \"500.00\""
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, allowMoney
	}
	if d.IsNegative() {
		return decimal.Decimal{}, "an amount of 0 or more"
	}
	return d, ""
}

// checkDates checks that the case's dates come in an order that can happen,
// and that the young person is of an age pathway plans for.
func (cr *caseReader) checkDates(c sim.Case, asOf sim.Date) {
	dob := c.DateOfBirth
	bad := func(k toml.Key, format string, args ...any) {
		cr.notAllowed(k, fmt.Sprintf(format, args...))
	}
	known := func(ds ...sim.Date) bool {
		for _, d := range ds {
			if d.IsZero() {
				return false
			}
		}
		return true
	}

	kDOB := keyPath("date_of_birth")
	if known(dob, asOf) {
		if !dob.Before(asOf) {
			bad(kDOB, "a date before the as-of date %s", asOf)
		} else if age := dob.AgeOn(asOf); age >= 25 {
			bad(kDOB, "a date that makes the young person under 25 on the as-of date %s (this date makes them %d): a personal adviser's support ends at 25", asOf, age)
		}
	}

	kLAS := keyPath("care", "looked_after_since")
	las := c.Care.LookedAfterSince
	if known(dob, las) {
		if !dob.Before(las) {
			bad(kLAS, "a date after date_of_birth (%s)", dob)
		} else if dob.AgeOn(las) >= 18 {
			bad(kLAS, "a date before the young person turned 18 on %s: a looked-after child is under 18", dob.Birthday(18))
		}
	}
	if known(las, asOf) && las.After(asOf) {
		bad(kLAS, "a date on or before the as-of date %s", asOf)
	}

	kClaim := keyPath("asylum", "claim_date")
	claim := c.Asylum.ClaimDate
	if known(dob, claim) && !dob.Before(claim) {
		bad(kClaim, "a date after date_of_birth (%s)", dob)
	}
	if known(claim, asOf) && claim.After(asOf) {
		bad(kClaim, "a date on or before the as-of date %s", asOf)
	}

	kDecision := keyPath("asylum", "decision_date")
	decision := c.Asylum.DecisionDate
	if known(claim, decision) && decision.Before(claim) {
		bad(kDecision, "a date on or after claim_date (%s)", claim)
	}
	if known(decision, asOf) && decision.After(asOf) {
		bad(kDecision, "a date on or before the as-of date %s", asOf)
	}

	kExpected := keyPath("asylum", "expected_decision")
	expected := c.Asylum.ExpectedDecision
	if known(expected, asOf) && expected.Before(asOf) {
		bad(kExpected, "a date on or after the as-of date %s (if the decision has come, give status and decision_date)", asOf)
	}
	if known(claim, expected) && !expected.After(claim) {
		bad(kExpected, "a date after claim_date (%s)", claim)
	}

	if c.Return != nil && known(c.Return.Departure, asOf) && c.Return.Departure.Before(asOf) {
		bad(keyPath("return", "departure"), "a date on or after the as-of date %s", asOf)
	}

	if left := c.Care.LeftCare; !left.IsZero() {
		k := keyPath("care", "left_care")
		switch {
		case known(las) && !left.After(las):
			bad(k, "a date after looked_after_since (%s)", las)
		case known(dob) && !left.Before(dob.Birthday(18)):
			bad(k, "a date before the 18th birthday (%s): leave it out when the young person was looked after until 18", dob.Birthday(18))
		case known(asOf) && left.After(asOf):
			bad(k, "a date on or before the as-of date %s", asOf)
		}
	}

	kFresh := keyPath("asylum", "fresh_claim_date")
	if fc := c.Asylum.FreshClaimDate; !fc.IsZero() {
		switch {
		case c.Asylum.Status != "" && c.Asylum.Status != sim.StatusARE:
			bad(kFresh, "a fresh claim only while status is appeal_rights_exhausted, not %s", c.Asylum.Status)
		case known(decision) && fc.Before(decision):
			bad(kFresh, "a date on or after decision_date (%s), when appeal rights were exhausted", decision)
		case known(asOf) && fc.After(asOf):
			bad(kFresh, "a date on or before the as-of date %s", asOf)
		}
	}
	if c.Asylum.Certified && c.Asylum.Status != "" && c.Asylum.Status != sim.Pending && c.Asylum.Status != sim.StatusRefused {
		bad(keyPath("asylum", "certified"), "certified only while status is pending or refused, not %s", c.Asylum.Status)
	}

	lc := c.LeavingCare
	if end := lc.HigherEducationEnd; !end.IsZero() {
		switch {
		case lc.HigherEducationStart.IsZero():
			bad(keyPath("leaving_care", "higher_education_end"), "an end only with higher_education_start")
		case !end.After(lc.HigherEducationStart):
			bad(keyPath("leaving_care", "higher_education_end"), "a date after higher_education_start (%s)", lc.HigherEducationStart)
		}
	}
	if fh := lc.FirstHome; !fh.IsZero() && known(dob) && fh.Before(dob.Birthday(16)) {
		bad(keyPath("leaving_care", "first_home"), "a date on or after the 16th birthday (%s)", dob.Birthday(16))
	}

	t := c.Trafficking
	order := []struct {
		key  string
		d    sim.Date
		what string
	}{{"nrm_referral", t.NRMReferral, "the referral"}, {"reasonable_grounds", t.ReasonableGrounds, "the reasonable-grounds decision"}, {"conclusive_grounds", t.ConclusiveGrounds, "the conclusive-grounds decision"}}
	var prev sim.Date
	prevWhat := ""
	for _, o := range order {
		if o.d.IsZero() {
			continue
		}
		k := keyPath("trafficking", o.key)
		switch {
		case known(asOf) && o.d.After(asOf):
			bad(k, "a date on or before the as-of date %s", asOf)
		case known(dob) && !o.d.After(dob):
			bad(k, "a date after date_of_birth (%s)", dob)
		case !prev.IsZero() && o.d.Before(prev):
			bad(k, "a date on or after %s (%s)", prevWhat, prev)
		}
		prev, prevWhat = o.d, o.what
	}
	if (t.ConclusiveOutcome != "") != !t.ConclusiveGrounds.IsZero() {
		if t.ConclusiveOutcome == "" {
			cr.missing(keyPath("trafficking", "conclusive_outcome"), "give positive or negative with conclusive_grounds")
		} else {
			cr.missing(keyPath("trafficking", "conclusive_grounds"), "give the date of the conclusive-grounds decision with conclusive_outcome")
		}
	}
}

// keyPos is where a key is written: its line and, unless it is a table, its
// value as written.
type keyPos struct {
	line int
	raw  string
}

// keyPositions finds where each key of a TOML document is written, by key
// path (toml.Key.String), so that problems can name a line. BurntSushi/toml
// v1.6.0 tracks key positions but does not export them, so this reads the
// source again. It expects a document the library has already accepted; on
// anything else it gives up quietly, and problems fall back to the line of
// the enclosing table or to no line.
func keyPositions(src string) map[string]keyPos {
	s := keyScanner{src: strings.TrimPrefix(src, "\uFEFF"), line: 1, at: make(map[string]keyPos)}
	s.document()
	return s.at
}

type keyScanner struct {
	src  string
	i    int
	line int
	at   map[string]keyPos
}

func (s *keyScanner) peek(off int) byte {
	if j := s.i + off; j >= 0 && j < len(s.src) {
		return s.src[j]
	}
	return 0
}

func (s *keyScanner) advance(n int) { s.i = min(s.i+n, len(s.src)) }

func (s *keyScanner) done() bool { return s.i >= len(s.src) }

// record notes the first place k is written.
func (s *keyScanner) record(k toml.Key, line int, raw string) {
	if len(k) == 0 {
		return
	}
	if _, seen := s.at[k.String()]; !seen {
		s.at[k.String()] = keyPos{line: line, raw: raw}
	}
}

// recordWithParents records k and, where not yet seen, the tables that a
// header or dotted key opens implicitly.
func (s *keyScanner) recordWithParents(k toml.Key, line int, raw string) {
	for n := 1; n < len(k); n++ {
		s.record(k[:n], line, "")
	}
	s.record(k, line, raw)
}

func (s *keyScanner) document() {
	var table toml.Key
	for !s.done() {
		start := s.i
		s.skipBlank()
		switch c := s.peek(0); c {
		case '\n':
			s.advance(1)
			s.line++
		case '#':
			s.skipLine()
		case '[':
			s.advance(1)
			if s.peek(0) == '[' {
				s.advance(1)
			}
			table = s.readKey()
			s.recordWithParents(table, s.line, "")
			s.skipLine()
		default:
			line := s.line
			k := s.readKey()
			if len(k) == 0 {
				s.skipLine()
				break
			}
			s.skipBlank()
			if s.peek(0) == '=' {
				s.advance(1)
			}
			s.keyValue(append(slices.Clone(table), k...), line, true)
			s.skipLine()
		}
		if s.i == start {
			s.advance(1)
		}
	}
}

// keyValue reads the value of key k, written on line, recording k when rec
// is set (keys inside arrays are not recorded).
func (s *keyScanner) keyValue(k toml.Key, line int, rec bool) {
	s.skipBlank()
	start := s.i
	s.value(k, rec)
	if rec {
		s.recordWithParents(k, line, strings.TrimSpace(s.src[start:s.i]))
	}
}

func (s *keyScanner) value(k toml.Key, rec bool) {
	switch s.peek(0) {
	case '"', '\'':
		s.str()
	case '[':
		s.array()
	case '{':
		s.inlineTable(k, rec)
	default:
		s.scalar()
	}
}

func (s *keyScanner) array() {
	s.advance(1)
	for !s.done() {
		s.skipSpace()
		switch s.peek(0) {
		case ']':
			s.advance(1)
			return
		case ',':
			s.advance(1)
			continue
		}
		start := s.i
		s.value(nil, false)
		if s.i == start {
			s.advance(1)
		}
	}
}

func (s *keyScanner) inlineTable(table toml.Key, rec bool) {
	s.advance(1)
	for !s.done() {
		s.skipSpace()
		switch s.peek(0) {
		case '}':
			s.advance(1)
			return
		case ',':
			s.advance(1)
			continue
		}
		start, line := s.i, s.line
		k := s.readKey()
		s.skipBlank()
		if s.peek(0) == '=' {
			s.advance(1)
		}
		s.keyValue(append(slices.Clone(table), k...), line, rec && len(k) > 0)
		if s.i == start {
			s.advance(1)
		}
	}
}

// str skips a string of any of TOML's four kinds, counting lines.
func (s *keyScanner) str() {
	q := s.peek(0)
	triple := string([]byte{q, q, q})
	multi := strings.HasPrefix(s.src[s.i:], triple)
	if multi {
		s.advance(3)
	} else {
		s.advance(1)
	}
	for !s.done() {
		switch c := s.peek(0); {
		case c == '\\' && q == '"':
			if s.peek(1) == '\n' {
				s.line++
			}
			s.advance(2)
		case c == '\n':
			if !multi {
				return
			}
			s.line++
			s.advance(1)
		case multi && strings.HasPrefix(s.src[s.i:], triple):
			s.advance(3)
			// Up to two more quotes belong to the string.
			for n := 0; n < 2 && s.peek(0) == q; n++ {
				s.advance(1)
			}
			return
		case !multi && c == q:
			s.advance(1)
			return
		default:
			s.advance(1)
		}
	}
}

// scalar skips a number, boolean or date-time.
func (s *keyScanner) scalar() {
	start := s.i
	for !s.done() && !strings.ContainsRune(" \t\r\n,]}#", rune(s.peek(0))) {
		s.advance(1)
	}
	// A date-time may separate date and time with a space.
	if s.i-start == 10 && s.src[start+4] == '-' && s.peek(0) == ' ' && isASCIIDigit(s.peek(1)) && isASCIIDigit(s.peek(2)) && s.peek(3) == ':' {
		s.advance(1)
		s.scalar()
	}
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// readKey reads a bare, quoted or dotted key.
func (s *keyScanner) readKey() toml.Key {
	var k toml.Key
	for {
		s.skipBlank()
		switch c := s.peek(0); {
		case c == '"' || c == '\'':
			start := s.i
			s.str()
			k = append(k, unquoteKey(s.src[start:s.i]))
		case isBare(c):
			start := s.i
			for isBare(s.peek(0)) {
				s.advance(1)
			}
			k = append(k, s.src[start:s.i])
		default:
			return k
		}
		s.skipBlank()
		if s.peek(0) != '.' {
			return k
		}
		s.advance(1)
	}
}

func isBare(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isASCIIDigit(c) || c == '_' || c == '-'
}

// unquoteKey gives the name a quoted key stands for. Escapes TOML has but Go
// lacks are rare in keys; such a key keeps its text.
func unquoteKey(q string) string {
	if len(q) < 2 {
		return q
	}
	if q[0] == '\'' {
		return q[1 : len(q)-1]
	}
	if u, err := strconv.Unquote(q); err == nil {
		return u
	}
	return q[1 : len(q)-1]
}

func (s *keyScanner) skipBlank() {
	for c := s.peek(0); !s.done() && (c == ' ' || c == '\t' || c == '\r'); c = s.peek(0) {
		s.advance(1)
	}
}

// skipSpace skips blanks, newlines and comments inside an array or inline
// table.
func (s *keyScanner) skipSpace() {
	for !s.done() {
		switch s.peek(0) {
		case ' ', '\t', '\r':
			s.advance(1)
		case '\n':
			s.line++
			s.advance(1)
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

// skipLine moves to the end of the line, leaving the newline.
func (s *keyScanner) skipLine() {
	for !s.done() && s.peek(0) != '\n' {
		s.advance(1)
	}
}

// pronouns reads pronouns: how the young person is addressed, which sets
// the grammatical gender of their page in languages that mark it. Not
// given is neutral wording.
func (cr *caseReader) pronouns() sim.Pronouns {
	k := keyPath("pronouns")
	if _, given := cr.lookup(k...); !given {
		return sim.PronounsUnknown
	}
	return sim.Pronouns(cr.enum(k, enumNames(sim.PronounSets)))
}

// adviser reads [adviser]: the personal adviser's first name and phone
// number, for "Who can help" on the young person's page. Both optional.
func (cr *caseReader) adviser() sim.Adviser {
	var a sim.Adviser
	if _, ok := cr.table("adviser"); !ok {
		return a
	}
	k := keyPath("adviser", "first_name")
	if s, ok := cr.str(k, allowFirstName); ok {
		if validFirstName(s) {
			a.FirstName = s
		} else {
			cr.bad(k, s, allowFirstName)
		}
	}
	k = keyPath("adviser", "phone")
	if s, ok := cr.str(k, allowPhone); ok {
		if validPhone(s) {
			a.Phone = s
		} else {
			cr.bad(k, s, allowPhone)
		}
	}
	return a
}

func validFirstName(s string) bool {
	n := utf8.RuneCountInString(s)
	if n < 1 || n > 40 || strings.TrimSpace(s) != s {
		return false
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			letters++
		case r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.':
		default:
			return false
		}
	}
	return letters > 0
}

func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case '0' <= r && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}
