package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"pathway/scenarios/store"
)

// served is a `pathway serve` running as a subprocess (the test binary,
// through TestMain), as an adviser would run it.
type served struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer // what it printed after its first line
	done chan error
}

var servingLine = regexp.MustCompile(`^pathway serve: (http://127\.0\.0\.1:\d+)/ \(database (.*)\); Ctrl-C stops it$`)

func startServe(t *testing.T, env []string, args ...string) *served {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(append(os.Environ(), "PATHWAY_TEST_RUN_MAIN=1"), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, out: &bytes.Buffer{}, done: make(chan error, 1)}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.done
		}
	})
	first := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		first <- strings.TrimSpace(line)
		io.Copy(s.out, r)
		s.done <- cmd.Wait()
	}()
	select {
	case line := <-first:
		m := servingLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("serve printed %q (stderr %s)", line, stderr.String())
		}
		s.base = m[1]
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start: %s", stderr.String())
	}
	return s
}

// stop sends sig and waits for the process to end.
func (s *served) stop(t *testing.T, sig os.Signal) error {
	t.Helper()
	s.cmd.Process.Signal(sig)
	select {
	case err := <-s.done:
		return err
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop")
	}
	return nil
}

var client = &http.Client{
	Timeout:       20 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// addPerson posts the case form of a young person with reference ref; it
// returns the status, or 0 when no answer came (the server was killed).
func addPerson(base, ref string) int {
	form := url.Values{
		"id": {ref}, "date_of_birth": {"2008-03-10"}, "nationality": {"AFG"}, "review_date": {"2025-06-01"},
		"care.looked_after_since": {"2023-11-01"}, "care.placement": {"foster"},
		"asylum.claim_date": {"2023-11-20"}, "asylum.status": {"pending"},
	}
	resp, err := client.PostForm(base+"/young-people", form)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// writer adds young people YP-1, YP-2, ... one after another until stop
// is closed or the server stops answering, and records which were
// acknowledged (303: committed).
type writer struct {
	prefix string // "YP-" when empty
	mu     sync.Mutex
	acked  []string
	wg     sync.WaitGroup
}

func (w *writer) run(base string, stop <-chan struct{}) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for i := 1; i <= 5000; i++ {
			select {
			case <-stop:
				return
			default:
			}
			prefix := w.prefix
			if prefix == "" {
				prefix = "YP-"
			}
			ref := fmt.Sprintf("%s%d", prefix, i)
			code := addPerson(base, ref)
			if code == 0 {
				return
			}
			if code == http.StatusSeeOther {
				w.mu.Lock()
				w.acked = append(w.acked, ref)
				w.mu.Unlock()
			}
		}
	}()
}

func (w *writer) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

// waitFor waits until the writer has n acknowledged writes.
func (w *writer) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for w.count() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes acknowledged", w.count())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkDB opens the database, checks its integrity, and returns the
// references it holds.
func checkDB(t *testing.T, path string) map[string]bool {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if res, err := st.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("PRAGMA integrity_check: %q, %v", res, err)
	}
	people, err := st.People(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for _, p := range people {
		refs[p.Ref] = true
		if p.Values["id"] != p.Ref || p.Values["asylum.status"] != "pending" {
			t.Errorf("%s: record not whole: %v", p.Ref, p.Values)
		}
	}
	return refs
}

func TestServeRefusesNonLoopback(t *testing.T) {
	dir := t.TempDir()
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.168.1.10:8080", "[::]:8080", "example.org:80"} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"serve", "--listen", addr, "--db", filepath.Join(dir, "x.db")}, &stdout, &stderr)
		if code := exitCode(err, &stderr); code != 2 {
			t.Errorf("--listen %s: exit %d, want 2", addr, code)
		}
		if !strings.Contains(stderr.String(), "needs accounts") {
			t.Errorf("--listen %s: %q does not say a shared server needs accounts", addr, stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a refused serve created its database")
	}
}

// TestServeSurvivesKillAndRestart: the server, in the user's data folder
// (XDG_DATA_HOME) with a private database file, takes a stream of new
// records and is killed with SIGKILL in the middle of it. Every record it
// acknowledged is in the database, which passes PRAGMA integrity_check;
// restarted on the same file it serves them; SIGTERM then stops it with
// exit status 0 once the writes under way are done, and again every
// acknowledged record is there.
func TestServeSurvivesKillAndRestart(t *testing.T) {
	data := t.TempDir()
	env := []string{"XDG_DATA_HOME=" + data}
	s := startServe(t, env)
	path := filepath.Join(data, "pathway", "pathway.db")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("database at %s: %v, mode %v; want 0600", path, err, st.Mode().Perm())
	}
	var w writer
	stop := make(chan struct{})
	w.run(s.base, stop)
	w.waitFor(t, 30)
	s.cmd.Process.Signal(syscall.SIGKILL) // while the writer is still sending
	<-s.done
	close(stop)
	w.wg.Wait()
	refs := checkDB(t, path)
	for _, ref := range w.acked {
		if !refs[ref] {
			t.Errorf("%s was acknowledged but is not in the database after kill -9", ref)
		}
	}
	last := w.acked[len(w.acked)-1]

	s = startServe(t, env)
	resp, err := client.Get(s.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), ">"+last+"<") {
		t.Errorf("after restart the caseload lacks %s, the last acknowledged record", last)
	}

	// SIGTERM while writing: no acknowledged write is lost, exit 0.
	w2 := writer{prefix: "YQ-"}
	stop2 := make(chan struct{})
	w2.run(s.base, stop2)
	w2.waitFor(t, 5)
	if err := s.stop(t, syscall.SIGTERM); err != nil {
		t.Errorf("SIGTERM: %v, want exit 0", err)
	}
	close(stop2)
	w2.wg.Wait()
	if !strings.Contains(s.out.String(), "stopped; every change made is saved") {
		t.Errorf("after SIGTERM serve printed %q", s.out.String())
	}
	refs = checkDB(t, path)
	for _, ref := range w2.acked {
		if !refs[ref] {
			t.Errorf("%s was acknowledged before SIGTERM but is not in the database", ref)
		}
	}
}

// TestBackupWhileServing: pathway backup copies the database while the
// server runs and writes; the copy opens, passes the integrity check and
// shows the same records as the database once the writes are done.
func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	s := startServe(t, nil, "--db", db)
	var w writer
	stop := make(chan struct{})
	w.run(s.base, stop)
	w.waitFor(t, 10)
	mid := filepath.Join(dir, "mid.db")
	var stdout, stderr bytes.Buffer
	if code := exitCode(run(context.Background(), []string{"backup", "--db", db, mid}, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("backup while writing: exit %d: %s", code, stderr.String())
	}
	close(stop)
	w.wg.Wait()
	got := checkDB(t, mid)
	if len(got) < 10 {
		t.Errorf("the backup holds %d records; at least 10 were acknowledged before it began", len(got))
	}
	final := filepath.Join(dir, "final.db")
	if code := exitCode(run(context.Background(), []string{"backup", "--db", db, final}, &stdout, &stderr), &stderr); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, stderr.String())
	}
	if st, _ := os.Stat(final); st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", st.Mode().Perm())
	}
	want := checkDB(t, db)
	restored := checkDB(t, final)
	if len(restored) != len(want) {
		t.Errorf("restored backup has %d records, the database %d", len(restored), len(want))
	}
	for ref := range want {
		if !restored[ref] {
			t.Errorf("%s is not in the restored backup", ref)
		}
	}
	// The backup may not replace the database, nor be a folder.
	for _, bad := range []string{db, db + "-wal", dir} {
		stderr.Reset()
		if code := exitCode(run(context.Background(), []string{"backup", "--db", db, bad}, &stdout, &stderr), &stderr); code != 2 {
			t.Errorf("backup to %s: exit %d, want 2", bad, code)
		}
	}
	stderr.Reset()
	if code := exitCode(run(context.Background(), []string{"backup", "--db", filepath.Join(dir, "none.db"), filepath.Join(dir, "x.db")}, &stdout, &stderr), &stderr); code != 2 {
		t.Errorf("backup of a missing database: exit %d, want 2", code)
	}
	if err := s.stop(t, syscall.SIGINT); err != nil {
		t.Errorf("SIGINT: %v, want exit 0", err)
	}
}
