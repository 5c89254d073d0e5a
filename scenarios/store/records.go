package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"pathway/scenarios"
	"pathway/sim"
)

// Person is a young person's record: the case file's values.
type Person struct {
	ID     int64 // the record's number, the only thing a URL shows
	Ref    string
	Name   string
	Values scenarios.CaseValues
	// File is the case file the record was imported from, while the
	// record is unchanged since; nil otherwise.
	File    []byte
	Created time.Time
	Updated time.Time
}

// AddPerson adds a young person with the case values v, which the caller
// has checked. v's id must not be in the workspace already.
func (s *Store) AddPerson(ctx context.Context, actor string, v scenarios.CaseValues, how string) (int64, error) {
	return s.addPerson(ctx, actor, v, how, nil)
}

// ImportPerson adds a young person from a case file, with the values v
// read from it, which the caller has checked. The file is kept as it came:
// until the record is changed, its export is the file itself.
func (s *Store) ImportPerson(ctx context.Context, actor string, v scenarios.CaseValues, file []byte) (int64, error) {
	return s.addPerson(ctx, actor, v, "import case", file)
}

func (s *Store) addPerson(ctx context.Context, actor string, v scenarios.CaseValues, how string, file []byte) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO young_people (ref, name, created_at, updated_at) VALUES (?, ?, ?, ?)`,
			v["id"], v["name"], now, now)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return ErrDuplicate
			}
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := writeValues(ctx, tx, id, v); err != nil {
			return err
		}
		if file != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO imported_files (young_person_id, text) VALUES (?, ?)`, id, file); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, how, id, 0, "")
	})
	return id, err
}

// UpdatePerson replaces a young person's case values with v, which the
// caller has checked. The audit entry names the keys that changed, not
// their values.
func (s *Store) UpdatePerson(ctx context.Context, actor string, id int64, v scenarios.CaseValues) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := readValues(ctx, tx, id)
		if err != nil {
			return err
		}
		var changed []string
		for _, k := range scenarios.FieldKeys() {
			if old[k] != v[k] {
				changed = append(changed, k)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE young_people SET ref = ?, name = ?, updated_at = ? WHERE id = ?`, v["id"], v["name"], s.now(), id)
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return ErrDuplicate
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		// The file it was imported from no longer says what the record does.
		if _, err := tx.ExecContext(ctx, `DELETE FROM imported_files WHERE young_person_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM case_values WHERE young_person_id = ?`, id); err != nil {
			return err
		}
		if err := writeValues(ctx, tx, id, v); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "change case", id, 0, strings.Join(changed, ", "))
	})
}

func writeValues(ctx context.Context, tx *sql.Tx, id int64, v scenarios.CaseValues) error {
	for _, k := range scenarios.FieldKeys() {
		if v[k] == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_values (young_person_id, key, value) VALUES (?, ?, ?)`, id, k, v[k]); err != nil {
			return err
		}
	}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readValues(ctx context.Context, q querier, id int64) (scenarios.CaseValues, error) {
	var exists int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM young_people WHERE id = ?`, id).Scan(&exists); err != nil {
		return nil, err
	}
	if exists == 0 {
		return nil, ErrNotFound
	}
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM case_values WHERE young_person_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	v := scenarios.CaseValues{}
	for rows.Next() {
		var k, val string
		if err := rows.Scan(&k, &val); err != nil {
			return nil, err
		}
		v[k] = val
	}
	return v, rows.Err()
}

// column runs a query of one column and returns its values.
func column[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Person returns the young person with record number id.
func (s *Store) Person(ctx context.Context, id int64) (Person, error) {
	p := Person{ID: id}
	var created, updated string
	err := s.db.QueryRowContext(ctx, `SELECT ref, name, created_at, updated_at FROM young_people WHERE id = ?`, id).
		Scan(&p.Ref, &p.Name, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, ErrNotFound
	}
	if err != nil {
		return Person{}, err
	}
	p.Created, p.Updated = parseTime(created), parseTime(updated)
	if p.Values, err = readValues(ctx, s.db, id); err != nil {
		return Person{}, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT text FROM imported_files WHERE young_person_id = ?`, id).Scan(&p.File)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Person{}, err
	}
	return p, nil
}

// People returns every young person, by record number.
func (s *Store) People(ctx context.Context) ([]Person, error) {
	ids, err := column[int64](ctx, s.db, `SELECT id FROM young_people ORDER BY id`)
	if err != nil {
		return nil, err
	}
	out := make([]Person, 0, len(ids))
	for _, id := range ids {
		p, err := s.Person(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// ActionStatus is where an action of a review stands.
type ActionStatus string

const (
	ToDo       ActionStatus = "to_do"
	InProgress ActionStatus = "in_progress"
	Done       ActionStatus = "done"
	NotNeeded  ActionStatus = "not_needed"
)

// ActionStatuses lists the statuses in the order a form offers them.
var ActionStatuses = []ActionStatus{ToDo, InProgress, Done, NotNeeded}

// Goal is a goal for one pathway plan area under one perspective.
type Goal struct {
	Area        string
	Perspective sim.Perspective
	Text        string
}

// Action is an action agreed at a review.
type Action struct {
	Text        string
	Owner       string
	Due         sim.Date // zero when none is set
	Status      ActionStatus
	Kind        sim.ActionKind  // the plan action it came from; "" for the adviser's own
	Perspective sim.Perspective // the plan action's perspective; "" for the adviser's own
}

// Review is one pathway plan review.
type Review struct {
	PersonID int64
	Number   int
	AsOf     sim.Date
	CaseTOML string // the case file as it stood, in canonical form
	PlanJSON string // the plan it produced on AsOf
	Policy   string // the name of the policy the plan used

	Views   map[string]string // the young person's views, by area
	Goals   []Goal
	Actions []Action

	SignedOffBy string
	SignedOffAt time.Time // zero while the review is a draft
	Created     time.Time
	Updated     time.Time
}

// SignedOff reports whether the review is signed off, and so read-only.
func (r Review) SignedOff() bool { return !r.SignedOffAt.IsZero() }

// AddReview stores review r for young person r.PersonID as the next
// number, and returns the number.
func (s *Store) AddReview(ctx context.Context, actor string, r Review) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM young_people WHERE id = ?`, r.PersonID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return ErrNotFound
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM reviews WHERE young_person_id = ?`, r.PersonID).Scan(&n); err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO reviews (young_person_id, number, as_of, case_toml, plan_json, policy, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.PersonID, n, r.AsOf.String(), r.CaseTOML, r.PlanJSON, r.Policy, now, now)
		if err != nil {
			return err
		}
		rid, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if err := writeReviewParts(ctx, tx, rid, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "add review", r.PersonID, n, "")
	})
	return n, err
}

// UpdateReview replaces the views, goals and actions of a review that is
// not signed off.
func (s *Store) UpdateReview(ctx context.Context, actor string, personID int64, n int, r Review) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		rid, signed, err := reviewID(ctx, tx, personID, n)
		if err != nil {
			return err
		}
		if signed {
			return ErrSignedOff
		}
		for _, t := range []string{"review_views", "review_goals", "review_actions"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE review_id = ?`, rid); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reviews SET updated_at = ? WHERE id = ?`, s.now(), rid); err != nil {
			return err
		}
		if err := writeReviewParts(ctx, tx, rid, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "change review", personID, n, "")
	})
}

// SignOff signs a review off in by's name; from then on it is read-only.
func (s *Store) SignOff(ctx context.Context, actor string, personID int64, n int, by string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		rid, signed, err := reviewID(ctx, tx, personID, n)
		if err != nil {
			return err
		}
		if signed {
			return ErrSignedOff
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE reviews SET signed_off_by = ?, signed_off_at = ?, updated_at = ? WHERE id = ?`, by, now, now, rid); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "sign off review", personID, n, "signed off by "+by)
	})
}

func reviewID(ctx context.Context, tx *sql.Tx, personID int64, n int) (int64, bool, error) {
	var rid int64
	var signed sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT id, signed_off_at FROM reviews WHERE young_person_id = ? AND number = ?`, personID, n).Scan(&rid, &signed)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, ErrNotFound
	}
	return rid, signed.Valid, err
}

func writeReviewParts(ctx context.Context, tx *sql.Tx, rid int64, r Review) error {
	areas := make([]string, 0, len(r.Views))
	for a := range r.Views {
		areas = append(areas, a)
	}
	slices.Sort(areas)
	for _, a := range areas {
		if strings.TrimSpace(r.Views[a]) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_views (review_id, area, text) VALUES (?, ?, ?)`, rid, a, r.Views[a]); err != nil {
			return err
		}
	}
	for _, g := range r.Goals {
		if strings.TrimSpace(g.Text) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_goals (review_id, area, perspective, text) VALUES (?, ?, ?, ?)`, rid, g.Area, string(g.Perspective), g.Text); err != nil {
			return fmt.Errorf("goal for %s (%s): %w", g.Area, g.Perspective, err)
		}
	}
	for i, a := range r.Actions {
		due := ""
		if !a.Due.IsZero() {
			due = a.Due.String()
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_actions (review_id, position, text, owner, due, status, kind, perspective) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			rid, i+1, a.Text, a.Owner, due, string(a.Status), string(a.Kind), string(a.Perspective)); err != nil {
			return fmt.Errorf("action %d: %w", i+1, err)
		}
	}
	return nil
}

// Review returns review n of young person personID.
func (s *Store) Review(ctx context.Context, personID int64, n int) (Review, error) {
	r := Review{PersonID: personID, Number: n, Views: map[string]string{}}
	var rid int64
	var asOf, created, updated string
	var by, at sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT id, as_of, case_toml, plan_json, policy, created_at, updated_at, signed_off_by, signed_off_at
		FROM reviews WHERE young_person_id = ? AND number = ?`, personID, n).
		Scan(&rid, &asOf, &r.CaseTOML, &r.PlanJSON, &r.Policy, &created, &updated, &by, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Review{}, ErrNotFound
	}
	if err != nil {
		return Review{}, err
	}
	if r.AsOf, err = sim.ParseDate(asOf); err != nil {
		return Review{}, fmt.Errorf("review %d: as_of: %w", n, err)
	}
	r.Created, r.Updated = parseTime(created), parseTime(updated)
	r.SignedOffBy = by.String
	if at.Valid {
		r.SignedOffAt = parseTime(at.String)
	}

	rows, err := s.db.QueryContext(ctx, `SELECT area, text FROM review_views WHERE review_id = ?`, rid)
	if err != nil {
		return Review{}, err
	}
	for rows.Next() {
		var a, t string
		if err := rows.Scan(&a, &t); err != nil {
			rows.Close()
			return Review{}, err
		}
		r.Views[a] = t
	}
	rows.Close()

	rows, err = s.db.QueryContext(ctx, `SELECT area, perspective, text FROM review_goals WHERE review_id = ? ORDER BY rowid`, rid)
	if err != nil {
		return Review{}, err
	}
	for rows.Next() {
		var g Goal
		if err := rows.Scan(&g.Area, &g.Perspective, &g.Text); err != nil {
			rows.Close()
			return Review{}, err
		}
		r.Goals = append(r.Goals, g)
	}
	rows.Close()

	rows, err = s.db.QueryContext(ctx, `SELECT text, owner, due, status, kind, perspective FROM review_actions WHERE review_id = ? ORDER BY position`, rid)
	if err != nil {
		return Review{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var a Action
		var due string
		if err := rows.Scan(&a.Text, &a.Owner, &due, &a.Status, &a.Kind, &a.Perspective); err != nil {
			return Review{}, err
		}
		if due != "" {
			if a.Due, err = sim.ParseDate(due); err != nil {
				return Review{}, fmt.Errorf("review %d: action due: %w", n, err)
			}
		}
		r.Actions = append(r.Actions, a)
	}
	return r, rows.Err()
}

// Reviews returns the numbers of a young person's reviews, oldest first.
func (s *Store) Reviews(ctx context.Context, personID int64) ([]Review, error) {
	ns, err := column[int](ctx, s.db, `SELECT number FROM reviews WHERE young_person_id = ? ORDER BY number`, personID)
	if err != nil {
		return nil, err
	}
	var out []Review
	for _, n := range ns {
		r, err := s.Review(ctx, personID, n)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Setting returns a workspace setting, "" if it is not set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting sets a workspace setting.
func (s *Store) SetSetting(ctx context.Context, actor, key, value string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "change setting", 0, 0, key)
	})
}

// Entry is one line of the audit log.
type Entry struct {
	At       time.Time
	Actor    string
	Action   string
	PersonID int64 // 0 when the entry is about no young person
	Review   int   // 0 when the entry is about no review
	Detail   string
}

func (s *Store) audit(ctx context.Context, tx *sql.Tx, actor, action string, personID int64, review int, detail string) error {
	var pid, rn any
	if personID != 0 {
		pid = personID
	}
	if review != 0 {
		rn = review
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, young_person_id, review_number, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		s.now(), actor, action, pid, rn, detail)
	return err
}

// Viewed records that actor looked at a record (action says which, such
// as "view record" or "download pack"). A page is shown only once this
// has been written.
func (s *Store) Viewed(ctx context.Context, actor, action string, personID int64, review int) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.audit(ctx, tx, actor, action, personID, review, "") })
}

// AuditLog returns the audit entries about young person personID (every
// entry when personID is 0), newest first, at most limit of them.
func (s *Store) AuditLog(ctx context.Context, personID int64, limit int) ([]Entry, error) {
	q := `SELECT at, actor, action, coalesce(young_person_id, 0), coalesce(review_number, 0), detail FROM audit_log`
	args := []any{}
	if personID != 0 {
		q += ` WHERE young_person_id = ?`
		args = append(args, personID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.PersonID, &e.Review, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// LastReviewDates gives, for each young person with a review, the date of
// the latest.
func (s *Store) LastReviewDates(ctx context.Context) (map[int64]sim.Date, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT young_person_id, max(as_of) FROM reviews GROUP BY young_person_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]sim.Date{}
	for rows.Next() {
		var id int64
		var d string
		if err := rows.Scan(&id, &d); err != nil {
			return nil, err
		}
		if out[id], err = sim.ParseDate(d); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}
