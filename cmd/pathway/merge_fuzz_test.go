package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzMergePart feeds `merge` a part of any shape: it either merges it or
// refuses it as bad input (exit 2), never fails inside or falls over. The
// seed is a real part: the whole of a small run as shard 1/1.
func FuzzMergePart(f *testing.F) {
	dir := f.TempDir()
	cohort := filepath.Join(dir, "cohort.csv")
	part := filepath.Join(dir, "part.json")
	for _, args := range [][]string{
		{"synth", "--n", "3", "--seed", "2", "--as-of", "2026-04-01", "-o", cohort},
		{"forecast", cohort, "--draws", "2", "--years", "1", "--from", "2026-04-01", "--shard", "1/1", "-o", part},
		{"forecast", cohort, "--draws", "2", "--years", "1", "--from", "2026-04-01", "--shard", "1/1", "--arrivals", "2", "--compare", "arrivals+20", "-o", part + "2"},
	} {
		var stderr bytes.Buffer
		if code := exitCode(run(context.Background(), args, io.Discard, &stderr), &stderr); code != 0 {
			f.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
	}
	for _, name := range []string{part, part + "2"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(t.TempDir(), "part.json")
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		code := exitCode(run(context.Background(), []string{"merge", name}, io.Discard, &stderr), &stderr)
		if code != 0 && code != 2 {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	})
}
