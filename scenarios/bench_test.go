package scenarios

import "testing"

// BenchmarkLoadDefaultPolicy is what every command pays once: policy.toml
// read and checked, and the built-in priors made from the embedded table.
func BenchmarkLoadDefaultPolicy(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadDefault(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuiltinPriors is the part of it that makes the priors: about
// 10,700 rows of quarterly counts read and turned into dated rows.
func BenchmarkBuiltinPriors(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BuiltinPriors(); err != nil {
			b.Fatal(err)
		}
	}
}
