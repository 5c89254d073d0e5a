package scenarios

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"pathway/sim"
)

// A case file as a form sees it: every key of caseKeys that holds a value
// (not a table), in one fixed order, each with its value as text. The
// workspace's case form has one field per key, named by its dotted path
// ("asylum.status"); CaseValues.TOML writes the fields as a case file, so
// that the form is checked by ReadCase, the same reader as the command
// line, and its problems name the same keys.
//
// The writer is canonical: keys in CaseFields order, top-level keys first,
// then each table that holds a value under its header, one blank line
// before each header, no comments. Import reads a file's values into
// CaseValues; export writes them back. So a file the exporter wrote
// re-imports and re-exports byte for byte; a hand-written file keeps its
// values (the same sim.Case), not its comments, order or spacing.

// FieldKind is the kind of value a case-file key holds.
type FieldKind string

const (
	KindText    FieldKind = "text"    // a string; "" is not given
	KindDate    FieldKind = "date"    // a TOML local date, 2008-03-10
	KindBool    FieldKind = "bool"    // true or false
	KindEnum    FieldKind = "enum"    // a string from Options
	KindNumber  FieldKind = "number"  // a TOML float or integer (a probability)
	KindInteger FieldKind = "integer" // a TOML integer (the claim's group)
	KindMoney   FieldKind = "money"   // pounds as a quoted string, "500.00"
)

// CaseField is one key of a case file that holds a value.
type CaseField struct {
	Key     string // dotted path, as problems name it: "asylum.status"
	Table   string // the table it is in; "" for the top level
	Name    string // the last part of Key
	Kind    FieldKind
	Options []string // the values allowed, for KindEnum
}

// fieldKinds gives the kind of every key of caseKeys that is not a table.
// A key added to caseKeys without a kind here makes CaseFields panic, which
// TestCaseFieldsCoverEveryKey catches.
var fieldKinds = map[string]FieldKind{
	"id": KindText, "name": KindText, "date_of_birth": KindDate, "nationality": KindText,
	"trafficked": KindBool, "review_date": KindDate, "pronouns": KindEnum,
	"adviser.first_name": KindText, "adviser.phone": KindText,

	"care.looked_after_since": KindDate, "care.placement": KindEnum, "care.left_care": KindDate,

	"asylum.claim_date": KindDate, "asylum.status": KindEnum, "asylum.decision_date": KindDate,
	"asylum.expected_decision": KindDate, "asylum.group": KindInteger, "asylum.certified": KindBool,
	"asylum.fresh_claim_date": KindDate,

	"asylum.outcome_probabilities.refugee_status":          KindNumber,
	"asylum.outcome_probabilities.humanitarian_protection": KindNumber,
	"asylum.outcome_probabilities.uasc_leave":              KindNumber,
	"asylum.outcome_probabilities.refused":                 KindNumber,

	"trafficking.nrm_referral": KindDate, "trafficking.reasonable_grounds": KindDate,
	"trafficking.conclusive_grounds": KindDate, "trafficking.conclusive_outcome": KindEnum,

	"schedule3.support_continues": KindBool, "schedule3.reason": KindText,

	"leaving_care.education_after_21": KindBool, "leaving_care.adviser_on_request": KindBool,
	"leaving_care.higher_education_start": KindDate, "leaving_care.higher_education_end": KindDate,
	"leaving_care.first_home": KindDate,

	"return.departure": KindDate, "return.reintegration_contact": KindDate,
}

// enumOptions gives the values of each KindEnum key.
var enumOptions = map[string][]string{
	"care.placement":                 enumNames(sim.Placements),
	"asylum.status":                  enumNames(sim.Statuses),
	"trafficking.conclusive_outcome": {sim.ConclusivePositive, sim.ConclusiveNegative},
	"pronouns":                       enumNames(sim.PronounSets),
}

// caseTables lists the tables in the order the writer puts them: each
// table of the top level in caseKeys order, with its sub-tables after it.
func caseTables() []string {
	var out []string
	var walk func(path string)
	walk = func(path string) {
		out = append(out, path)
		for _, k := range caseKeys[path] {
			child := joinKey(path, k)
			if _, isTable := caseKeys[child]; isTable {
				walk(child)
			}
		}
	}
	walk("")
	return out
}

func joinKey(table, k string) string {
	if table == "" {
		return k
	}
	return table + "." + k
}

// CaseFields returns every key of a case file that holds a value, in the
// order the canonical writer writes them.
func CaseFields() []CaseField {
	var out []CaseField
	for _, table := range caseTables() {
		for _, k := range caseKeys[table] {
			key := joinKey(table, k)
			if _, isTable := caseKeys[key]; isTable {
				continue
			}
			kind, ok := fieldKinds[key]
			if !ok && table == "return.budget" {
				kind, ok = KindMoney, true
			}
			if !ok {
				panic("scenarios: case key " + key + " has no kind in fieldKinds")
			}
			out = append(out, CaseField{Key: key, Table: table, Name: k, Kind: kind, Options: enumOptions[key]})
		}
	}
	return out
}

// CaseValues are a case file's values by dotted key, as text: a date as
// 2008-03-10, a boolean as true or false, a number as written, a string or
// an amount of money as its text. A key that is absent or "" is not given.
type CaseValues map[string]string

// Clone returns a copy of v.
func (v CaseValues) Clone() CaseValues {
	out := make(CaseValues, len(v))
	for k, s := range v {
		out[k] = s
	}
	return out
}

var (
	tomlInteger = regexp.MustCompile(`^[+-]?(0|[1-9][0-9]*)$`)
	tomlNumber  = regexp.MustCompile(`^[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	isoDate     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// TOML writes the values as a case file, canonically. Every value is
// written so that the file is valid TOML whatever the text: a value that is
// not of its key's kind (a date "2025-02-30", a boolean "yes") is written
// as a string, which ReadCase then reports with the same words as for a
// hand-written file. Keys not in CaseFields are left out.
func (v CaseValues) TOML() []byte {
	var b bytes.Buffer
	fields := CaseFields()
	for _, table := range caseTables() {
		var lines []string
		for _, f := range fields {
			if f.Table != table {
				continue
			}
			s, given := v[f.Key]
			if !given || s == "" {
				continue
			}
			lines = append(lines, f.Name+" = "+tomlValue(f.Kind, s)) // every case key is bare
		}
		if len(lines) == 0 {
			continue
		}
		if table != "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString("[" + table + "]\n")
		}
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
	}
	return b.Bytes()
}

func tomlValue(kind FieldKind, s string) string {
	switch kind {
	case KindDate:
		if isoDate.MatchString(s) {
			if _, err := sim.ParseDate(s); err == nil {
				return s
			}
		}
	case KindBool:
		if s == "true" || s == "false" {
			return s
		}
	case KindNumber:
		// A number TOML cannot hold (1e400, or an integer past int64) is
		// written as a string too.
		_, err := strconv.ParseFloat(s, 64)
		if !strings.ContainsAny(s, ".eE") {
			_, err = strconv.ParseInt(s, 10, 64)
		}
		if err == nil && tomlNumber.MatchString(s) {
			return s
		}
	case KindInteger:
		if _, err := strconv.ParseInt(s, 10, 64); err == nil && tomlInteger.MatchString(s) {
			return s
		}
	}
	return basicString(s)
}

// basicString writes s as a TOML basic string.
func basicString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else if r == utf8.RuneError {
				b.WriteString(`\uFFFD`)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// ImportCase reads a case file as ReadCase does, planned from its own
// review_date, and returns its values for the workspace. A file with any
// problem is refused with the problems ReadCase gives.
func ImportCase(r io.Reader, file string, policy *sim.Policy) (CaseValues, sim.Case, error) {
	src, err := readTOML(r, file)
	if err != nil {
		return nil, sim.Case{}, err
	}
	c, err := ReadCase(bytes.NewReader(src), file, sim.Date{}, policy)
	if err != nil {
		return nil, sim.Case{}, err
	}
	var doc map[string]any
	if _, err := toml.Decode(string(src), &doc); err != nil {
		return nil, sim.Case{}, Problems{syntaxProblem(file, err)}
	}
	return valuesOf(doc), c, nil
}

// ParseCaseValues reads the values of a case file without checking them,
// for a file the workspace wrote itself (a stored snapshot).
func ParseCaseValues(src []byte) (CaseValues, error) {
	var doc map[string]any
	if _, err := toml.Decode(string(src), &doc); err != nil {
		return nil, err
	}
	return valuesOf(doc), nil
}

// valuesOf flattens a decoded case file to its values as text.
func valuesOf(doc map[string]any) CaseValues {
	out := CaseValues{}
	for _, f := range CaseFields() {
		var v any = doc
		for _, part := range strings.Split(f.Key, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = m[part]
		}
		if v == nil {
			continue
		}
		out[f.Key] = valueText(v)
	}
	return out
}

// valueText writes a decoded TOML value as the form shows it. A float is
// written in its shortest form, which is how ReadCase reads its decimal
// value (0.55 stays 0.55), and always with a point (1.0, not 1).
func valueText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		f := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.Contains(f, ".") {
			f += ".0" // still a float: 1e20 is not an integer TOML can hold
		}
		return f
	case time.Time:
		if v.Location().String() == "date-local" {
			return v.Format("2006-01-02")
		}
		return v.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

// FieldKeys returns the dotted keys of CaseFields, in order.
func FieldKeys() []string {
	fs := CaseFields()
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Key
	}
	return out
}

// IsCaseKey reports whether k is a key of a case file that holds a value.
func IsCaseKey(k string) bool { return slices.Contains(FieldKeys(), k) }

// UnknownKeyProblem is the problem ReadCase reports for a key a case file
// does not have, for a form field named key: the same words, with a
// suggestion where one is close.
func UnknownKeyProblem(file, key string) Problem {
	parts := strings.Split(key, ".")
	var path toml.Key
	for len(parts) > 1 {
		if _, isTable := caseKeys[append(slices.Clone(path), parts[0]).String()]; !isTable {
			break
		}
		path = append(path, parts[0])
		parts = parts[1:]
	}
	return Problem{File: file, Key: key, Allowed: unknownKey(path, parts[0], caseKeys[path.String()])}
}
