package scenarios

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed samples/*.toml
var samples embed.FS

// Sample is an embedded sample case file for the demo.
type Sample struct {
	Name string // file name, e.g. "pending-afg.toml"
	Data []byte
}

// Samples returns the embedded sample cases, by file name. They cover every
// asylum status, a trafficked child and a 2014 case.
func Samples() []Sample {
	entries, err := fs.ReadDir(samples, "samples")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	var out []Sample
	for _, e := range entries {
		data, err := samples.ReadFile("samples/" + e.Name())
		if err != nil {
			panic(err)
		}
		out = append(out, Sample{Name: e.Name(), Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
