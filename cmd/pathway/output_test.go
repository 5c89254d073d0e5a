package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const sample = "../../scenarios/samples/refused-alb.toml"

// copyFile copies src into dir and returns the copy's path.
func copyFile(t *testing.T, src, dir string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// names lists a folder's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range entries {
		ns = append(ns, e.Name())
	}
	return ns
}

// An -o naming an input, by its name, another spelling of it, a hard link
// or a symbolic link, exits 2 and leaves the input byte for byte as it was,
// with no temporary file beside it.
func TestOutputIsAnInput(t *testing.T) {
	dir := t.TempDir()
	caseFile := copyFile(t, sample, dir)
	link := filepath.Join(dir, "hard.toml")
	if err := os.Link(caseFile, link); err != nil {
		t.Fatal(err)
	}
	sym := filepath.Join(dir, "sym.toml")
	if err := os.Symlink(caseFile, sym); err != nil {
		t.Fatal(err)
	}
	cohort := synthCohort(t, "5")
	policy := filepath.Join(dir, "policy.toml")
	os.WriteFile(policy, []byte("name = \"local\"\n"), 0o644)
	ddmm := t.TempDir()
	for _, f := range []string{"Episodes.csv", "Header.csv", "OC3.csv", "UASC.csv", "status.csv"} {
		copyFile(t, filepath.Join("../../testdata/ssda903/ddmm", f), ddmm)
	}
	status := filepath.Join(ddmm, "status.csv")
	earlier := filepath.Join(dir, "earlier.toml")
	os.WriteFile(earlier, []byte(strings.Replace(string(namedCase), "2025-06-01", "2025-01-15", 1)), 0o644)
	named := filepath.Join(dir, "named.toml")
	os.WriteFile(named, namedCase, 0o644)

	for _, tc := range []struct {
		name  string
		input string // the file that must stay as it was
		args  []string
	}{
		{"plan, same name", caseFile, []string{"plan", caseFile, "-o", caseFile}},
		{"plan, another spelling", caseFile, []string{"plan", caseFile, "-o", filepath.Join(dir, ".", "..", filepath.Base(dir), filepath.Base(caseFile))}},
		{"plan, hard link", caseFile, []string{"plan", caseFile, "-o", link}},
		{"plan, symbolic link", caseFile, []string{"plan", sym, "-o", caseFile}},
		{"plan, the policy", policy, []string{"plan", caseFile, "--policy", policy, "-o", policy}},
		{"report, the previous review", earlier, []string{"report", named, "--audience", "adviser", "--previous", earlier, "-o", earlier}},
		{"forecast", cohort, []string{"forecast", cohort, "--from", "2025-06-01", "--draws", "5", "-o", cohort}},
		{"import-903, the status file", status, []string{"import-903", ddmm, "--status", status, "--as-of", "2025-06-01", "-o", status}},
		{"import-903, a 903 table", filepath.Join(ddmm, "UASC.csv"), []string{"import-903", ddmm, "--status", status, "--as-of", "2025-06-01", "-o", filepath.Join(ddmm, "UASC.csv")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, err := os.ReadFile(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			entries := len(names(t, filepath.Dir(tc.input)))
			code, _, stderr := pathway(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, "would replace it") {
				t.Errorf("exit %d, stderr %q; want 2 and a message that it would replace the input", code, stderr)
			}
			if tc.args[0] == "forecast" && strings.Contains(stderr, "forecast: ") {
				t.Errorf("the forecast ran before -o was refused: %q", stderr)
			}
			after, _ := os.ReadFile(tc.input)
			if !bytes.Equal(before, after) {
				t.Errorf("%s changed", tc.input)
			}
			if n := len(names(t, filepath.Dir(tc.input))); n != entries {
				t.Errorf("the folder held %d entries and now holds %d: %v", entries, n, names(t, filepath.Dir(tc.input)))
			}
		})
	}
}

// -o naming a character device writes to the device and leaves it a device.
func TestOutputToDevice(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a device node needs root")
	}
	dir := t.TempDir()
	dev := filepath.Join(dir, "null")
	// A device like /dev/null (major 1, minor 3), made in a temporary folder.
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("cannot make a device node here: %v", err)
	}
	code, stdout, stderr := pathway(t, "plan", sample, "-o", dev)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	st, err := os.Lstat(dev)
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("%s is no longer a character device: %v %v", dev, st.Mode(), err)
	}
	if ns := names(t, dir); len(ns) != 1 {
		t.Errorf("the folder holds %v, want only the device", ns)
	}
}

// -o naming a folder exits 2 with a message saying so, and writes nothing.
func TestOutputToFolder(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := pathway(t, "plan", sample, "-o", dir)
	if code != 2 || !strings.Contains(stderr, "is a folder") {
		t.Errorf("exit %d, stderr %q; want 2 and \"is a folder\"", code, stderr)
	}
	if ns := names(t, dir); len(ns) != 0 {
		t.Errorf("the folder holds %v", ns)
	}
	code, _, stderr = pathway(t, "plan", sample, "-o", filepath.Join(dir, "no-such-folder", "plan.txt"))
	if code != 2 || !strings.Contains(stderr, "no such file or directory") {
		t.Errorf("-o in a missing folder: exit %d, stderr %q", code, stderr)
	}
}

// A new file gets mode 0600, narrowed further by the umask, never widened;
// a file replaced keeps its mode.
func TestOutputModes(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		umask int
		want  os.FileMode
	}{{0o022, 0o600}, {0o000, 0o600}, {0o077, 0o600}, {0o277, 0o400}} {
		old := syscall.Umask(tc.umask)
		out := filepath.Join(dir, "new.txt")
		os.Remove(out)
		code, _, stderr := pathway(t, "plan", sample, "-o", out)
		syscall.Umask(old)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		st, err := os.Stat(out)
		if err != nil || st.Mode().Perm() != tc.want {
			t.Errorf("umask %04o: new file mode %v, want %v", tc.umask, st.Mode().Perm(), tc.want)
		}
	}
	kept := filepath.Join(dir, "kept.txt")
	os.WriteFile(kept, []byte("old"), 0o640)
	os.Chmod(kept, 0o640)
	if code, _, stderr := pathway(t, "plan", sample, "-o", kept); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	st, _ := os.Stat(kept)
	data, _ := os.ReadFile(kept)
	if st.Mode().Perm() != 0o640 || !strings.HasPrefix(string(data), "Pathway plan for") {
		t.Errorf("replaced file: mode %v, starts %.20q; want 0640 and the plan", st.Mode().Perm(), data)
	}
	// A symbolic link stays a link, to the file now holding the plan.
	link := filepath.Join(dir, "link.txt")
	os.Symlink(kept, link)
	if code, _, stderr := pathway(t, "plan", sample, "--format", "json", "-o", link); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link", link)
	}
	if data, _ := os.ReadFile(kept); !strings.HasPrefix(string(data), "{") {
		t.Errorf("the link's target does not hold the JSON plan: %.20q", data)
	}
}

// A panic while writing is an internal error: exit 1, "internal error" and
// the input's name, no goroutine dump, and no temporary file left.
func TestInternalErrorWhileWriting(t *testing.T) {
	dir := t.TempDir()
	slowWriteHook = func(string) { panic("a fault in a renderer") }
	defer func() { slowWriteHook = nil }()
	code, _, stderr := pathway(t, "plan", sample, "-o", filepath.Join(dir, "plan.txt"))
	if code != 1 || !strings.Contains(stderr, "internal error") || !strings.Contains(stderr, sample) ||
		!strings.Contains(stderr, "a fault in a renderer") || strings.Contains(stderr, "goroutine") {
		t.Errorf("exit %d, stderr %q; want 1, internal error, the input's name and the fault", code, stderr)
	}
	if ns := names(t, dir); len(ns) != 0 {
		t.Errorf("left behind: %v", ns)
	}
}

// TestMain runs the command itself when the test binary is started as a
// subprocess by TestSignalRemovesTemporaryFile; otherwise it runs the tests.
func TestMain(m *testing.M) {
	if os.Getenv("PATHWAY_TEST_RUN_MAIN") == "1" {
		// Test only: announce the temporary file and stall mid-write, so
		// that the test can stop the process there.
		slowWriteHook = func(tmp string) {
			os.Stderr.WriteString("writing " + tmp + "\n")
			time.Sleep(time.Minute)
		}
		os.Args = append([]string{"pathway"}, os.Args[1:]...)
		main()
		return
	}
	if os.Getenv("PATHWAY_TEST_AS_PATHWAY") == "1" { // the command itself, as a separate process
		os.Args = append([]string{"pathway"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

// SIGTERM or SIGINT in the middle of writing -o removes the temporary file
// (which may hold a child's name) and leaves nothing at the target.
func TestSignalRemovesTemporaryFile(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			named := filepath.Join(t.TempDir(), "named.toml")
			os.WriteFile(named, namedCase, 0o644)
			cmd := exec.Command(os.Args[0], "report", named, "--audience", "adviser", "--format", "md", "-o", filepath.Join(dir, "pack.md"))
			cmd.Env = append(os.Environ(), "PATHWAY_TEST_RUN_MAIN=1")
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(stderr).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, "writing ") {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("no sign of writing: %q %v", line, err)
			}
			tmp := strings.TrimSpace(strings.TrimPrefix(line, "writing "))
			if _, err := os.Stat(tmp); err != nil {
				t.Errorf("the temporary file %s is not there mid-write: %v", tmp, err)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the command did not stop on the signal")
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 128+int(sig) {
				t.Errorf("exit: %v; want status %d", err, 128+int(sig))
			}
			if ns := names(t, dir); len(ns) != 0 {
				t.Errorf("left behind after %v: %v", sig, ns)
			}
		})
	}
}

// demo refuses a folder holding someone else's files unless --force, and
// writes again into a folder it wrote.
func TestDemoFolder(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "cohort.csv")
	os.WriteFile(mine, []byte("my own cohort\n"), 0o644)
	code, stdout, stderr := pathway(t, "demo", "-o", dir)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "not empty") || !strings.Contains(stderr, "--force") {
		t.Errorf("exit %d, stderr %q; want 2 naming --force", code, stderr)
	}
	if data, _ := os.ReadFile(mine); string(data) != "my own cohort\n" {
		t.Errorf("cohort.csv was replaced")
	}
	if ns := names(t, dir); len(ns) != 1 {
		t.Errorf("the folder holds %v", ns)
	}
	if code, _, stderr := pathway(t, "demo", "-o", dir, "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	own := filepath.Join(t.TempDir(), "demo")
	for i := 0; i < 2; i++ {
		if code, _, stderr := pathway(t, "demo", "-o", own); code != 0 {
			t.Fatalf("run %d into its own folder: exit %d: %s", i+1, code, stderr)
		}
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if code, _, stderr := pathway(t, "demo", "-o", file); code != 2 || !strings.Contains(stderr, "not a folder") {
		t.Errorf("-o a file: exit %d, %q", code, stderr)
	}
}

// failWriter fails every write, as stdout does on a full disk.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// A full disk on stdout is a failure to write (exit 1), not bad input, for
// the commands that print their output and for validate and demo, which
// print a summary.
func TestStdoutCannotBeWritten(t *testing.T) {
	demoDir := filepath.Join(t.TempDir(), "demo")
	for _, args := range [][]string{
		{"plan", sample},
		{"plan", sample, "--format", "json"},
		{"validate", sample},
		{"demo", "-o", demoDir},
		{"synth", "--n", "3"},
		{"help"},
		{"plan", "--help"},
	} {
		var errOut bytes.Buffer
		err := run(t.Context(), args, failWriter{}, &errOut)
		code := exitCode(err, &errOut)
		if code != 1 || !strings.Contains(errOut.String(), "cannot write to standard output: no space left on device") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and the reason", args, code, errOut.String())
		}
	}
}

// --help prints the command's usage and flags to stdout and exits 0.
func TestHelp(t *testing.T) {
	for _, c := range commands {
		for _, flag := range []string{"--help", "-h"} {
			code, stdout, stderr := pathway(t, append(strings.Fields(c.name), flag)...)
			if code != 0 || !strings.HasPrefix(stdout, "usage: "+c.usage+"\n") || stderr != "" {
				t.Errorf("%s %s: exit %d, stdout %.80q, stderr %q", c.name, flag, code, stdout, stderr)
			}
		}
	}
	code, stdout, _ := pathway(t, "--help")
	if code != 0 || strings.Count(stdout, "\n  pathway ") != len(commands) {
		t.Errorf("pathway --help: exit %d, %q", code, stdout)
	}
	code, _, stderr := pathway(t, "plan", "--no-such-flag")
	if code != 2 || !strings.Contains(stderr, "no-such-flag") || !strings.Contains(stderr, "pathway plan --help") {
		t.Errorf("an unknown flag: exit %d, %q", code, stderr)
	}
}
