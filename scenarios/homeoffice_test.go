package scenarios

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"pathway/sim"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/homeoffice/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func importFixture(t *testing.T, name string) *PriorsImport {
	t.Helper()
	imp, err := ImportHomeOffice(readFixture(t, name), name, DefaultPriorMethod, "ASY_D02")
	if err != nil {
		t.Fatalf("ImportHomeOffice(%s): %v", name, err)
	}
	return imp
}

// findRow returns the import's row for a place, age group and start date.
func findRow(imp *PriorsImport, nat, region string, uasc bool, from string) (sim.Prior, bool) {
	for _, pr := range imp.Priors {
		if pr.Nationality == nat && pr.Region == region && pr.UASC == uasc && pr.From.String() == from {
			return pr, true
		}
	}
	return sim.Prior{}, false
}

func shares(pr sim.Prior) [4]string {
	return [4]string{pr.Probs.RefugeeStatus.StringFixed(4), pr.Probs.HumanitarianProtection.StringFixed(4),
		pr.Probs.UASCLeave.StringFixed(4), pr.Probs.Refused.StringFixed(4)}
}

// The fixture is a small extract in Asy_D02's published layout (a title
// row, the header on row 2, notes below), as CSV and as a workbook with
// the sheet "Data - Asy_D02". The expected rows are worked by hand from it.
func TestImportAsyD02(t *testing.T) {
	csvImp := importFixture(t, "asy_d02_small.csv")
	xlsxImp := importFixture(t, "asy_d02_small.xlsx")
	if len(csvImp.Priors) != len(xlsxImp.Priors) {
		t.Fatalf("CSV gives %d rows, the workbook %d", len(csvImp.Priors), len(xlsxImp.Priors))
	}
	for i := range csvImp.Priors {
		a, b := csvImp.Priors[i], xlsxImp.Priors[i]
		if a.Name() != b.Name() || a.From != b.From || a.To != b.To || shares(a) != shares(b) || a.Decisions != b.Decisions {
			t.Errorf("row %d: CSV %s from %s %v, workbook %s from %s %v", i, a.Name(), a.From, shares(a), b.Name(), b.From, shares(b))
		}
	}
	for _, imp := range []*PriorsImport{csvImp, xlsxImp} {
		for _, tc := range []struct {
			name, nat, region string
			uasc              bool
			from, to          string
			want              [4]string
			decisions         int
		}{
			// Afghan children in 2024 Q3, main applicants' asylum cases:
			// 60 refugee permission, 4 HP, 20 UASC leave, 36 refused (the
			// 7 withdrawn are left out): 120 decisions. 60/120 = 0.5,
			// 4/120 = 0.03333, 20/120 = 0.16667, 36/120 = 0.3; cut to 5000,
			// 333, 1666, 3000, UASC leave (.67) takes the missing unit.
			{"Afghan children 2024 Q3", "AFG", "", true, "2024-07-01", "", [4]string{"0.5000", "0.0333", "0.1667", "0.3000"}, 120},
			// All ages in 2024 Q3: children's and adults' (150 refugee
			// permission, 10 HP, 5 discretionary leave, 215 refused; the
			// administrative outcome, the dependant and the resettlement
			// case are left out): 249 granted, 251 refused, 500 decisions;
			// g = 0.498. Grants of protection 224, of them HP 14: h = 1/16.
			// Refugee status 0.498 × 15/16 = 0.466875, HP 0.031125, UASC
			// leave 0.502 × 17/44 = 0.193955, refused 0.502 × 27/44 =
			// 0.308045; cut to 4668, 311, 1939, 3080, refugee status (.75)
			// and UASC leave (.55) round up. The last quarter runs on.
			{"Afghans of all ages 2024 Q3", "AFG", "", false, "2024-07-01", "", [4]string{"0.4669", "0.0311", "0.1940", "0.3080"}, 500},
			// 2024 Q2: 110 granted (all refugee permission, so h = 0) and
			// 50 refused, 160 decisions; g = 0.6875. UASC leave 0.3125 ×
			// 17/44 = 0.120739, refused 0.3125 × 27/44 = 0.191761; cut to
			// 6875, 0, 1207, 1917, refused (.61) rounds up.
			{"Afghans of all ages 2024 Q2", "AFG", "", false, "2024-04-01", "2024-06-30", [4]string{"0.6875", "0.0000", "0.1207", "0.1918"}, 160},
			// Asia Central in 2024 Q3: Afghanistan's 500 and Turkmenistan's
			// 8 (3 granted, 5 refused): 252 granted (227 protection, 14 HP),
			// 256 refused. g = 252/508, h = 14/227: 0.465469, 0.030594,
			// 0.194703, 0.309234; cut to 4654, 305, 1947, 3092; HP (.94)
			// and refugee status (.69) round up.
			{"Asia Central 2024 Q3", "", "Asia Central", false, "2024-07-01", "", [4]string{"0.4655", "0.0306", "0.1947", "0.3092"}, 508},
		} {
			pr, ok := findRow(imp, tc.nat, tc.region, tc.uasc, tc.from)
			if !ok {
				t.Errorf("%s: %s: no row", imp.File, tc.name)
				continue
			}
			if shares(pr) != tc.want || pr.Decisions != tc.decisions || pr.To.String() != tc.to && !(tc.to == "" && pr.To.IsZero()) {
				t.Errorf("%s: %s: got %v, %d decisions, to %s; want %v, %d, %q", imp.File, tc.name, shares(pr), pr.Decisions, pr.To, tc.want, tc.decisions, tc.to)
			}
			if pr.Source != "ASY_D02" || pr.Period == "" {
				t.Errorf("%s: %s: source %q, period %q", imp.File, tc.name, pr.Source, pr.Period)
			}
		}
		// Too few decisions: Turkmenistan (2 in Q2, 8 in Q3) and Afghan
		// children in Q2 (40) have no row; nor has Albania's 10 children.
		for _, k := range []struct {
			nat  string
			uasc bool
			from string
		}{{"TKM", false, "2024-07-01"}, {"TKM", false, "2024-04-01"}, {"AFG", true, "2024-04-01"}, {"ALB", true, "2024-07-01"}} {
			if pr, ok := findRow(imp, k.nat, "", k.uasc, k.from); ok {
				t.Errorf("%s: unexpected row %s from %s (%d decisions)", imp.File, pr.Name(), pr.From, pr.Decisions)
			}
		}
		if imp.Rows != 26 || imp.Kept != 22 || imp.Skipped != 6 {
			t.Errorf("%s: %d data rows, %d kept, %d skipped; want 26, 22, 6 (title, blank, 4 notes)", imp.File, imp.Rows, imp.Kept, imp.Skipped)
		}
		for _, reason := range []string{dropOtherCase, dropDependant, dropWithdrawn, dropAdminOther} {
			if imp.Dropped[reason] != 1 {
				t.Errorf("%s: dropped for %q: %d, want 1", imp.File, reason, imp.Dropped[reason])
			}
		}
		if imp.Uncoded["Stateless"] != 20 || len(imp.Unknown) != 0 {
			t.Errorf("%s: uncoded %v, unknown %v; want Stateless (20) and none unknown", imp.File, imp.Uncoded, imp.Unknown)
		}
		if imp.Regions["XKK"] != "Europe Other" || imp.Regions["AFG"] != "Asia Central" {
			t.Errorf("%s: regions %v", imp.File, imp.Regions)
		}
		if imp.First != "2024 Q2" || imp.Last != "2024 Q3" {
			t.Errorf("%s: quarters %s to %s", imp.File, imp.First, imp.Last)
		}
	}
}

// The written file is a policy file --policy accepts, and its rows are
// the import's.
func TestImportWritesAPolicyFile(t *testing.T) {
	imp := importFixture(t, "asy_d02_small.xlsx")
	var b bytes.Buffer
	if err := WritePriorsTOML(&b, imp); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPolicy(DefaultPolicy(), bytes.NewReader(b.Bytes()), "priors.toml")
	if err != nil {
		t.Fatalf("LoadPolicy: %v\n%s", err, b.String())
	}
	if p.Name != "england+asy-d02-2024-q3" {
		t.Errorf("name %q", p.Name)
	}
	pr, basis := p.Prior("AFG", policyDate("2024-08-15"), true)
	if shares(pr) != [4]string{"0.5000", "0.0333", "0.1667", "0.3000"} || basis != sim.BasisNationality || len(pr.Refs) != 1 ||
		!strings.Contains(pr.Refs[0].Title, "asy_d02_small.xlsx") {
		t.Errorf("Afghan child in 2024 Q3: got %v (%s), refs %v", shares(pr), basis, pr.Refs)
	}
	// From the file's first date, 1 Apr 2024, its Afghan rows replace the
	// built-in ones: 2025 takes the file's last quarter, not the built-in
	// 37%; 2023 keeps the built-in row.
	pr, _ = p.Prior("AFG", policyDate("2025-06-15"), false)
	if shares(pr)[0] != "0.4669" {
		t.Errorf("Afghan adult in 2025: got %v, want the file's 2024 Q3 row", shares(pr))
	}
	pr, _ = p.Prior("AFG", policyDate("2023-06-15"), false)
	if shares(pr)[0] != "0.9459" {
		t.Errorf("Afghan adult in 2023 Q2: got %v, want the built-in row", shares(pr))
	}
}

func TestImportListsEveryBadRow(t *testing.T) {
	_, err := ImportHomeOffice(readFixture(t, "asy_d02_bad.csv"), "bad.csv", DefaultPriorMethod, "ASY_D02")
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("got %v, want Problems", err)
	}
	want := []string{
		`bad.csv:3: Quarter: "2024 Q5": a quarter such as 2024 Q3`,
		`bad.csv:4: Nationality: missing: the nationality, as the Home Office names it`,
		`bad.csv:5: Decisions: "many": a whole number of decisions, 0 or more (NA or empty for none)`,
		`bad.csv:6: Applicant type: "Child": Main applicant or Dependant`,
		`bad.csv:7: Case outcome group: "Granted": Grant of Protection, Grant of Other Leave, Refused, Withdrawn or Administrative Outcome`,
		`bad.csv:8: UASC: "maybe": UASC or Non-UASC (Unknown, Total and empty count as not UASC)`,
		`bad.csv:9: Decisions: "-3": a whole number of decisions, 0 or more (NA or empty for none)`,
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

// A name the policy reader would refuse is refused at the import, with its
// line and column, so the import never writes a policy file that cannot be
// loaded (a NUL in a region's name once did).
func TestImportRefusesControlCharacters(t *testing.T) {
	data := []byte("Quarter,Nationality,Region,Grant,Refused\n" +
		"2024 Q2,Iran,\x00,27,1\n" +
		"2024 Q2,Ir\u202Ean,Middle East,27,1\n" +
		"2024 Q2,Iran,\x88,27,1\n" +
		"2024 Q2,Iran,Middle East,27,1\n")
	_, err := ImportHomeOffice(data, "c.csv", DefaultPriorMethod, "X")
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("got %v, want Problems", err)
	}
	want := []string{
		`c.csv:2: Region: "\x00": text on one line without control characters (it holds U+0000)`,
		`c.csv:3: Nationality: "Ir\u202ean": text without bidirectional formatting characters (it holds U+202E), which can show a reader other words than the file holds`,
		`c.csv:4: Region: "\x88": text in UTF-8 (byte 1 is 0x88, which UTF-8 does not allow there)`,
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

// All nationalities' rows are every young person's last fallback, so a
// table with a year or more of no decisions at all is refused, naming the
// gap. A quarter's row pools at most four quarters, so 2020 Q2–Q4 draw on
// 2020 Q1's decisions; 2021 Q1 (pooling 2020 Q2–2021 Q1) to 2021 Q4 have
// none, and with no decisions again until 2022 Q1, nothing covers 1 Jan to
// 31 Dec 2021.
func TestImportRefusesAGapInAllDecisions(t *testing.T) {
	data := []byte("Quarter,Nationality,Region,Grant,Refused\n" +
		"2020 Q1,Iran,Middle East,40,60\n" +
		"2022 Q1,Iran,Middle East,40,60\n")
	_, err := ImportHomeOffice(data, "gap.csv", DefaultPriorMethod, "X")
	want := "gap.csv: decisions in every year the table covers: it has none from 1 Jan 2021 to 31 Dec 2021"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	// Three quarters without decisions are covered by pooling a year.
	data = []byte("Quarter,Nationality,Region,Grant,Refused\n" +
		"2020 Q1,Iran,Middle East,40,60\n" +
		"2021 Q1,Iran,Middle East,40,60\n")
	if _, err := ImportHomeOffice(data, "ok.csv", DefaultPriorMethod, "X"); err != nil {
		t.Fatalf("three empty quarters: %v", err)
	}
	// A year outside 1900–2200 is not a quarter, however it is written.
	for _, q := range []string{"7000 Q1", "7000Q1", "1899 Q4"} {
		if _, ok := parseQuarter(q); ok {
			t.Errorf("%q read as a quarter", q)
		}
	}
}

func TestImportRejectsOtherTables(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"no header", []byte("a,b,c\n1,2,3\n"), "no header row: want, within the first 10 rows, one naming the columns Quarter, Nationality"},
		{"missing columns", []byte("title\nQuarter,Nationality,Region,Case type,Decisions\n2024 Q3,Iran,Middle East,Asylum Case,3\n"),
			"t.csv:2: the header lacks the column(s) Case outcome group, Case outcome, Applicant type, UASC; a Asy_D02 table has"},
		{"not a workbook", []byte("PK\x03\x04not really"), "not a workbook that can be read"},
		{"nothing to count", []byte("Quarter,Nationality,Region,Grant,Refused\n2024 Q3,Iran,Middle East,NA,NA\n"), "no decisions to count"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ImportHomeOffice(tc.data, "t.csv", DefaultPriorMethod, "X")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// A workbook without the sheet "Data - Asy_D02" is named as such.
func TestImportNeedsTheDataSheet(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "Data - Asy_D01")
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	_, err := ImportHomeOffice(b.Bytes(), "d01.xlsx", DefaultPriorMethod, "X")
	if err == nil || err.Error() != `d01.xlsx: sheet: a sheet named "Data - Asy_D02"; the workbook has Data - Asy_D01` {
		t.Errorf("got %v", err)
	}
}

// The nationality names of the embedded table all map to a code, or are
// known to have none.
func TestHomeOfficeNamesAreKnown(t *testing.T) {
	imp, err := BuiltinPriors()
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Unknown) > 0 {
		t.Errorf("names not recognised: %v", imp.Unknown)
	}
	for name, code := range map[string]string{"Afghanistan": "AFG", "Iran": "IRN", "Syria": "SYR", "Eritrea": "ERI", "Vietnam": "VNM",
		"Congo (Democratic Republic)": "COD", "Ivory Coast": "CIV", "Occupied Palestinian Territories": "PSE", "Kosovo": "XKK",
		"Myanmar (Burma)": "MMR", "Stateless": ""} {
		if got, known := nationalityCode(name); got != code || !known {
			t.Errorf("nationalityCode(%q) = %q, %t; want %q", name, got, known, code)
		}
	}
}

func FuzzImportHomeOffice(f *testing.F) {
	f.Add(readFixtureF(f, "asy_d02_small.csv"))
	f.Add(readFixtureF(f, "asy_d02_bad.csv"))
	f.Add([]byte("Quarter,Nationality,Region,Grant,Refused\n2024 Q3,Iran,Middle East,40,60\n2024 Q2,Iran,Middle East,NA,200\n"))
	f.Add([]byte("Quarter,Nationality,Region,Grant,Refused\n2024 Q2,Iran,\x00,27,1\n"))
	f.Add([]byte("Quarter,Nationality,Region,Grant,Refused\n7000 Q1,0000000000000000,00,10\n2000 Q1,0000000000000000000000,00,1000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := ImportHomeOffice(data, "fuzz.csv", DefaultPriorMethod, "X")
		if err != nil {
			return
		}
		for _, pr := range imp.Priors {
			if !pr.Probs.Sum().Equal(decimal.NewFromInt(1)) {
				t.Fatalf("row %s from %s sums to %s", pr.Name(), pr.From, pr.Probs.Sum())
			}
			for _, x := range []string{pr.Probs.RefugeeStatus.String(), pr.Probs.HumanitarianProtection.String(), pr.Probs.UASCLeave.String(), pr.Probs.Refused.String()} {
				if strings.HasPrefix(x, "-") {
					t.Fatalf("row %s from %s has a negative share %s", pr.Name(), pr.From, x)
				}
			}
		}
		var b bytes.Buffer
		if err := WritePriorsTOML(&b, imp); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadPolicy(DefaultPolicy(), bytes.NewReader(b.Bytes()), "fuzz.toml"); err != nil {
			t.Fatalf("the import does not load as a policy file: %v\n%s", err, b.String())
		}
	})
}

func readFixtureF(f *testing.F, name string) []byte {
	b, err := os.ReadFile("../testdata/homeoffice/" + name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// Counts too large for 64-bit products give the same shares as the same
// fractions in small numbers: Afghanistan's 2024 Q3, 503 of 941, and the
// same counts a hundred million times over.
func TestSplitGrantLargeCounts(t *testing.T) {
	small := splitGrant(503, 941, 2, 56)
	large := splitGrant(503e8, 941e8, 2e8, 56e8)
	want := [4]string{"0.5155", "0.0191", "0.1798", "0.2856"}
	if got := shares(sim.Prior{Probs: small}); got != want {
		t.Errorf("small: %v, want %v", got, want)
	}
	if got := shares(sim.Prior{Probs: large}); got != want {
		t.Errorf("large: %v, want %v", got, want)
	}
}
