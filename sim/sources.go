package sim

import (
	"strings"
)

// Source is a public source a policy value rests on, named by a short tag
// in the policy file (such as "S13") and shown by its title and address.
type Source struct {
	ID    string
	Title string
	URL   string
}

// SourceRefs turns a policy value's source text ("S13; guidance para 58")
// into references people can follow: a paragraph of the 2014 guidance, or
// the title and address of a public source the policy lists. A part the
// policy does not list is kept as a title, as written.
func (p *Policy) SourceRefs(text string) []SourceRef {
	var out []SourceRef
	for _, part := range strings.Split(text, ";") {
		part = strings.TrimSpace(part)
		switch {
		case part == "" || part == "none" || part == "test":
		case strings.HasPrefix(part, "guidance para"):
			paras := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(part, "guidance paras"), "guidance para"))
			out = append(out, SourceRef{GuidancePara: paras})
		default:
			if s, ok := p.sources[part]; ok {
				out = append(out, SourceRef{Title: s.Title, URL: s.URL})
			} else {
				out = append(out, SourceRef{Title: part})
			}
		}
	}
	return out
}

// Sources returns the public sources the policy lists, by tag.
func (p *Policy) Sources() []Source {
	out := make([]Source, 0, len(p.sources))
	for _, k := range sortedKeys(p.sources) {
		out = append(out, p.sources[k])
	}
	return out
}

// Guidance returns references to paragraphs of the 2014 guidance, such as
// Guidance("58", "60").
func Guidance(paras ...string) []SourceRef {
	out := make([]SourceRef, len(paras))
	for i, p := range paras {
		out[i] = SourceRef{GuidancePara: p}
	}
	return out
}

// String writes a reference in words: "guidance para 58", "appeal.window_days
// (value from 2000-01-01)", or the source's title.
func (r SourceRef) String() string {
	switch {
	case r.GuidancePara != "":
		if strings.ContainsAny(r.GuidancePara, "–-,") {
			return "guidance paras " + r.GuidancePara
		}
		return "guidance para " + r.GuidancePara
	case r.PolicyKey != "":
		return r.PolicyKey + " (value from " + r.On.String() + ")"
	}
	return r.Title
}
