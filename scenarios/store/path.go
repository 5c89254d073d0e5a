package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPath is where the workspace keeps its database when none is
// named: pathway/pathway.db in the user's data folder, which is
// $XDG_DATA_HOME when set, and otherwise ~/.local/share on Linux and other
// Unix systems, ~/Library/Application Support on macOS and %LocalAppData%
// on Windows.
func DefaultPath() (string, error) {
	home, _ := os.UserHomeDir()
	return defaultPath(runtime.GOOS, os.Getenv, home)
}

func defaultPath(goos string, getenv func(string) string, home string) (string, error) {
	join := func(dir string) string { return filepath.Join(dir, "pathway", "pathway.db") }
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return join(d), nil
	}
	switch goos {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return join(d), nil
		}
	case "darwin", "ios":
		if home != "" {
			return join(filepath.Join(home, "Library", "Application Support")), nil
		}
	default:
		if home != "" {
			return join(filepath.Join(home, ".local", "share")), nil
		}
	}
	return "", errors.New("cannot find the user's data folder: set XDG_DATA_HOME or give --db FILE")
}
