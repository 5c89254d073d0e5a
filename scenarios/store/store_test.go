package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"pathway/scenarios"
	"pathway/sim"
)

func values(ref string) scenarios.CaseValues {
	return scenarios.CaseValues{
		"id": ref, "name": "Amir", "date_of_birth": "2008-03-10", "nationality": "AFG", "review_date": "2025-06-01",
		"care.looked_after_since": "2023-11-01", "care.placement": "foster",
		"asylum.claim_date": "2023-11-20", "asylum.status": "pending",
	}
}

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "ws", "pathway.db"))
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenCreatesAPrivateFileAndMigrates(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "pathway")
	path := filepath.Join(dir, "pathway.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPerson(ctx, "tester", values("YP-1"), "add young person"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := st.Mode().Perm(); m != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), m)
		}
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", st.Mode().Perm())
	}
	var version int
	var mode string
	var fk int
	s.db.QueryRow("PRAGMA user_version").Scan(&version)
	s.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if version != SchemaVersion() || mode != "wal" || fk != 1 {
		t.Errorf("user_version %d, journal_mode %s, foreign_keys %d; want %d, wal, 1", version, mode, fk, SchemaVersion())
	}
	// A value for a young person who does not exist breaks a foreign key.
	if _, err := s.db.Exec(`INSERT INTO case_values (young_person_id, key, value) VALUES (99, 'id', 'x')`); err == nil {
		t.Error("foreign keys not enforced")
	}
	s.Close()

	// Opening again applies nothing and keeps the record.
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.People(ctx)
	if err != nil || len(ps) != 1 || ps[0].Ref != "YP-1" {
		t.Fatalf("after reopening: %v, %v", ps, err)
	}
	// A database from a newer program is refused, not downgraded.
	s.db.Exec("PRAGMA user_version = 999")
	s.Close()
	if _, err := Open(ctx, path); !errors.Is(err, ErrNewerStore) {
		t.Errorf("newer schema: got %v, want ErrNewerStore", err)
	}
}

func TestPeople(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	v := values("YP-1")
	id, err := s.AddPerson(ctx, "pa1", v, "add young person")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPerson(ctx, "pa1", values("YP-1"), "add young person"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second YP-1: got %v, want ErrDuplicate", err)
	}
	p, err := s.Person(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Values, v) || p.Name != "Amir" {
		t.Errorf("got %v, want %v", p.Values, v)
	}
	w := v.Clone()
	w["asylum.status"] = "refugee_status"
	w["asylum.decision_date"] = "2025-07-01"
	w["name"] = ""
	if err := s.UpdatePerson(ctx, "pa2", id, w); err != nil {
		t.Fatal(err)
	}
	p, _ = s.Person(ctx, id)
	delete(w, "name")
	if !reflect.DeepEqual(p.Values, w) || p.Name != "" {
		t.Errorf("after update got %v (name %q), want %v", p.Values, p.Name, w)
	}
	if _, err := s.Person(ctx, id+1); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing person: %v", err)
	}
	if err := s.UpdatePerson(ctx, "pa2", id+1, w); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of a missing person: %v", err)
	}
	log, err := s.AuditLog(ctx, id, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Newest first; the change names the keys that changed, never values.
	if len(log) != 2 || log[0].Action != "change case" || log[0].Actor != "pa2" ||
		log[0].Detail != "name, asylum.status, asylum.decision_date" || log[1].Action != "add young person" {
		t.Errorf("audit log: %+v", log)
	}
}

func TestReviewsAndSignOff(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	id, _ := s.AddPerson(ctx, "pa", values("YP-1"), "add young person")
	r := Review{PersonID: id, AsOf: sim.NewDate(2025, 6, 1), CaseTOML: "id = \"YP-1\"\n", PlanJSON: "{}", Policy: "test",
		Views:   map[string]string{"Health and development": "I want to see a dentist."},
		Goals:   []Goal{{"Health and development", sim.Transitional, "Register with a dentist."}},
		Actions: []Action{{Text: "Book the dentist", Owner: "PA", Due: sim.NewDate(2025, 7, 1), Status: ToDo}, {Text: "Instruct the solicitor", Status: InProgress, Kind: sim.ActInstructSolicitor, Perspective: sim.Transitional}},
	}
	n, err := s.AddReview(ctx, "pa", r)
	if err != nil || n != 1 {
		t.Fatalf("first review: %d, %v", n, err)
	}
	got, err := s.Review(ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Views, r.Views) || !reflect.DeepEqual(got.Goals, r.Goals) || !reflect.DeepEqual(got.Actions, r.Actions) || got.AsOf != r.AsOf || got.SignedOff() {
		t.Errorf("got %+v\nwant %+v", got, r)
	}
	r.AsOf = sim.NewDate(2025, 12, 1)
	if n, err := s.AddReview(ctx, "pa", r); err != nil || n != 2 {
		t.Fatalf("second review: %d, %v", n, err)
	}
	edit := r
	edit.Actions = []Action{{Text: "Book the dentist", Owner: "PA", Status: Done}}
	if err := s.UpdateReview(ctx, "pa", id, 1, edit); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Review(ctx, id, 1); len(got.Actions) != 1 || got.Actions[0].Status != Done {
		t.Errorf("after update: %+v", got.Actions)
	}
	if err := s.SignOff(ctx, "pa", id, 1, "J Smith, personal adviser"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Review(ctx, id, 1)
	if !got.SignedOff() || got.SignedOffBy != "J Smith, personal adviser" {
		t.Errorf("sign-off not recorded: %+v", got)
	}
	if err := s.UpdateReview(ctx, "pa", id, 1, r); !errors.Is(err, ErrSignedOff) {
		t.Errorf("update after sign-off: got %v, want ErrSignedOff", err)
	}
	if err := s.SignOff(ctx, "pa", id, 1, "someone else"); !errors.Is(err, ErrSignedOff) {
		t.Errorf("second sign-off: got %v, want ErrSignedOff", err)
	}
	// The triggers hold whatever program writes to the file.
	for _, q := range []string{
		`UPDATE reviews SET plan_json = 'x' WHERE number = 1`,
		`DELETE FROM review_actions WHERE review_id = (SELECT id FROM reviews WHERE number = 1)`,
		`INSERT INTO review_views (review_id, area, text) VALUES ((SELECT id FROM reviews WHERE number = 1), 'Safety and risk', 'x')`,
		`UPDATE audit_log SET actor = 'x'`,
		`DELETE FROM audit_log`,
	} {
		if _, err := s.db.Exec(q); err == nil {
			t.Errorf("%s: allowed", q)
		}
	}
	// Review 2 is still a draft and can change.
	if err := s.UpdateReview(ctx, "pa", id, 2, edit); err != nil {
		t.Errorf("draft review 2: %v", err)
	}
	if _, err := s.Review(ctx, id, 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("review 3: %v", err)
	}
	if _, err := s.AddReview(ctx, "pa", Review{PersonID: id + 5, AsOf: r.AsOf}); !errors.Is(err, ErrNotFound) {
		t.Errorf("review of a missing person: %v", err)
	}
	// A bad status is refused by the schema, and nothing of the review is kept.
	bad := r
	bad.Actions = []Action{{Text: "x", Status: "maybe"}}
	if _, err := s.AddReview(ctx, "pa", bad); err == nil {
		t.Error("status maybe accepted")
	}
	if rs, _ := s.Reviews(ctx, id); len(rs) != 2 {
		t.Errorf("%d reviews after a failed add, want 2", len(rs))
	}
}

// TestBackupWhileWriting copies the database with VACUUM INTO while
// another goroutine keeps adding young people through the store, then opens
// the copy: it passes the integrity check and holds a prefix of the writes
// (every record it has is whole), and a copy taken after the writes stop
// shows the same records as the original.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.AddPerson(ctx, "pa", values("YP-0"), "add young person"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; i <= 40; i++ {
			if _, err := s.AddPerson(ctx, "pa", values("YP-"+strings.Repeat("1", i)), "add young person"); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dir := t.TempDir()
	mid := filepath.Join(dir, "mid.db")
	if err := Backup(ctx, s.Path(), mid); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	checkCopy(t, mid, -1)
	final := filepath.Join(dir, "final.db")
	if err := Backup(ctx, s.Path(), final); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(final); st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", st.Mode().Perm())
	}
	want, _ := s.People(ctx)
	got := checkCopy(t, final, 41)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("restored backup differs")
	}
	// A second backup replaces the first.
	if err := Backup(ctx, s.Path(), final); err != nil {
		t.Errorf("backup over an earlier one: %v", err)
	}
	if err := Backup(ctx, filepath.Join(dir, "none.db"), filepath.Join(dir, "x.db")); err == nil {
		t.Error("backup of a missing database succeeded")
	}
}

func checkCopy(t *testing.T, path string, want int) []Person {
	t.Helper()
	c, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if res, err := c.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Errorf("integrity_check: %q, %v", res, err)
	}
	ps, err := c.People(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want >= 0 && len(ps) != want {
		t.Errorf("%d young people, want %d", len(ps), want)
	}
	for i, p := range ps {
		if p.Values["id"] != p.Ref || len(p.Values) != len(values("x")) {
			t.Errorf("record %d is not whole: %v", i, p.Values)
		}
	}
	return ps
}

func TestDefaultPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		goos string
		env  map[string]string
		want string
	}{
		{"linux", map[string]string{"XDG_DATA_HOME": "/data"}, "/data/pathway/pathway.db"},
		{"linux", map[string]string{"XDG_DATA_HOME": "relative"}, "/home/pa/.local/share/pathway/pathway.db"},
		{"linux", nil, "/home/pa/.local/share/pathway/pathway.db"},
		{"darwin", nil, "/home/pa/Library/Application Support/pathway/pathway.db"},
		{"windows", map[string]string{"LocalAppData": "/appdata"}, "/appdata/pathway/pathway.db"},
	}
	for _, tc := range tests {
		got, err := defaultPath(tc.goos, env(tc.env), "/home/pa")
		if err != nil || got != filepath.FromSlash(tc.want) {
			t.Errorf("%s %v: got %q, %v; want %q", tc.goos, tc.env, got, err, tc.want)
		}
	}
	if _, err := defaultPath("linux", env(nil), ""); err == nil {
		t.Error("no home and no XDG_DATA_HOME: want an error")
	}
}
