package scenarios

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// homeOfficeNames are the Home Office's nationality names (as in table
// Asy_D02) that are not the English country names of the Unicode CLDR,
// with their ISO 3166-1 alpha-3 codes. "" marks a name with no country
// code: its decisions count towards its region and all nationalities, but
// it has no row of its own.
var homeOfficeNames = map[string]string{
	"American Samoa (United States)":   "ASM",
	"Antigua and Barbuda":              "ATG",
	"Bahamas, The":                     "BHS",
	"Bermuda (British)":                "BMU",
	"Bosnia and Herzegovina":           "BIH",
	"Christmas Island (Australian)":    "CXR",
	"Congo":                            "COG",
	"Congo (Democratic Republic)":      "COD",
	"East Timor":                       "TLS",
	"Eswatini":                         "SWZ",
	"French Guiana (French)":           "GUF",
	"Gambia, The":                      "GMB",
	"Guadeloupe (French)":              "GLP",
	"Hong Kong":                        "HKG",
	"Ivory Coast":                      "CIV",
	"Macau":                            "MAC",
	"North Macedonia":                  "MKD",
	"Occupied Palestinian Territories": "PSE",
	"Sao Tome and Principe":            "STP",
	"São Tomé and Príncipe":            "STP",
	"St Helena, Ascension and Tristan da Cunha (British)": "SHN",
	"St Kitts and Nevis":                 "KNA",
	"St Lucia":                           "LCA",
	"St Pierre and Miquelon (French)":    "SPM",
	"St Vincent and the Grenadines":      "VCT",
	"Trinidad and Tobago":                "TTO",
	"Turks and Caicos Islands (British)": "TCA",
	"Virgin Islands (United States)":     "VIR",

	// No country code.
	"British overseas citizens": "",
	"Cyprus (Northern part of)": "",
	"Other and unknown":         "",
	"Refugee":                   "",
	"Serbia and Montenegro":     "", // a former state: its code was withdrawn in 2006
	"Stateless":                 "",
}

// cldrNames maps lower-case CLDR English country names to alpha-3 codes.
var cldrNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() || r.Canonicalize() != r {
				continue
			}
			if n := display.English.Regions().Name(r); n != "" {
				m[strings.ToLower(n)] = r.ISO3()
			}
		}
	}
	return m
})

// nationalityCode returns the ISO 3166-1 alpha-3 code for a Home Office
// nationality name. known is false for a name it does not know at all;
// code is "" for a known name with no country code (such as "Stateless").
func nationalityCode(name string) (code string, known bool) {
	name = strings.Join(strings.Fields(name), " ")
	if c, ok := homeOfficeNames[name]; ok {
		return c, true
	}
	c, ok := cldrNames()[strings.ToLower(name)]
	return c, ok
}
