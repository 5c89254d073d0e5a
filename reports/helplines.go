package reports

import (
	_ "embed"
	"fmt"
	"regexp"
	"time"

	"github.com/BurntSushi/toml"
)

// helpline is a national service the young person can reach themselves.
type helpline struct {
	ID        string    `toml:"id"`
	Name      string    `toml:"name"`
	Phone     string    `toml:"phone"`
	URL       string    `toml:"url"`
	Under     int       `toml:"under"`      // shown only under this age; 0 for everyone
	CheckedOn time.Time `toml:"checked_on"` // a TOML local date
	Source    string    `toml:"source"`
}

//go:embed helplines.toml
var helplinesTOML string

var phoneChars = regexp.MustCompile(`^[0-9 ]{3,16}$`)

// helplines reads the shipped list, checking each entry.
func helplines() ([]helpline, error) {
	var f struct {
		Line []helpline `toml:"line"`
	}
	md, err := toml.Decode(helplinesTOML, &f)
	if err != nil {
		return nil, fmt.Errorf("helplines.toml: %w", err)
	}
	if u := md.Undecoded(); len(u) > 0 {
		return nil, fmt.Errorf("helplines.toml: unknown key %s", u[0])
	}
	for _, l := range f.Line {
		switch {
		case l.ID == "" || l.Name == "":
			return nil, fmt.Errorf("helplines.toml: a line without id or name")
		case l.Phone != "" && !phoneChars.MatchString(l.Phone):
			return nil, fmt.Errorf("helplines.toml: %s: phone %q is not digits and spaces", l.ID, l.Phone)
		case l.Phone == "" && l.URL == "":
			return nil, fmt.Errorf("helplines.toml: %s: no phone and no address", l.ID)
		case l.Source == "":
			return nil, fmt.Errorf("helplines.toml: %s: no source", l.ID)
		}
		if l.CheckedOn.IsZero() {
			return nil, fmt.Errorf("helplines.toml: %s: no checked_on date", l.ID)
		}
	}
	return f.Line, nil
}

// tel writes a phone number as a tel: address.
func tel(phone string) string {
	out := make([]byte, 0, len(phone))
	for i := 0; i < len(phone); i++ {
		if c := phone[i]; c == '+' || ('0' <= c && c <= '9') {
			out = append(out, c)
		}
	}
	return "tel:" + string(out)
}
