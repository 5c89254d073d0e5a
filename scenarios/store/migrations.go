package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema's versions: migrations[i] brings a database at
// version i (PRAGMA user_version) to version i+1. A migration, once
// released, is never edited; a change is a new one at the end.
var migrations = []string{
	// 1: young people, their case values, reviews, the audit log.
	`
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- One row a young person. ref is the case file's id (a pseudonymous
-- reference); name is shown on the adviser's pages only.
CREATE TABLE young_people (
	id         INTEGER PRIMARY KEY,
	ref        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;

-- The case file's values, one row a key (scenarios.CaseFields), as text.
CREATE TABLE case_values (
	young_person_id INTEGER NOT NULL REFERENCES young_people(id),
	key             TEXT NOT NULL,
	value           TEXT NOT NULL,
	PRIMARY KEY (young_person_id, key)
) STRICT;

-- A review is numbered from 1 for each young person. case_toml is the case
-- file as it stood (canonical form), plan_json the plan it produced on
-- as_of under the policy named.
CREATE TABLE reviews (
	id              INTEGER PRIMARY KEY,
	young_person_id INTEGER NOT NULL REFERENCES young_people(id),
	number          INTEGER NOT NULL CHECK (number >= 1),
	as_of           TEXT NOT NULL,
	case_toml       TEXT NOT NULL,
	plan_json       TEXT NOT NULL,
	policy          TEXT NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	signed_off_by   TEXT,
	signed_off_at   TEXT,
	UNIQUE (young_person_id, number),
	CHECK ((signed_off_by IS NULL) = (signed_off_at IS NULL))
) STRICT;

-- The young person's own views, one text for each pathway plan area.
CREATE TABLE review_views (
	review_id INTEGER NOT NULL REFERENCES reviews(id),
	area      TEXT NOT NULL,
	text      TEXT NOT NULL,
	PRIMARY KEY (review_id, area)
) STRICT;

-- Goals for each area under each planning perspective.
CREATE TABLE review_goals (
	review_id   INTEGER NOT NULL REFERENCES reviews(id),
	area        TEXT NOT NULL,
	perspective TEXT NOT NULL CHECK (perspective IN ('transitional', 'long_term', 'return')),
	text        TEXT NOT NULL,
	PRIMARY KEY (review_id, area, perspective)
) STRICT;

-- Actions with an owner, a due date and a status. kind and perspective
-- are the plan action's, when the action came from the plan.
CREATE TABLE review_actions (
	review_id   INTEGER NOT NULL REFERENCES reviews(id),
	position    INTEGER NOT NULL,
	text        TEXT NOT NULL,
	owner       TEXT NOT NULL DEFAULT '',
	due         TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL CHECK (status IN ('to_do', 'in_progress', 'done', 'not_needed')),
	kind        TEXT NOT NULL DEFAULT '',
	perspective TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (review_id, position)
) STRICT;

-- Who did what to which record, and when. Viewing counts.
CREATE TABLE audit_log (
	id              INTEGER PRIMARY KEY,
	at              TEXT NOT NULL,
	actor           TEXT NOT NULL,
	action          TEXT NOT NULL,
	young_person_id INTEGER REFERENCES young_people(id),
	review_number   INTEGER,
	detail          TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_by_person ON audit_log (young_person_id, id);

-- A signed-off review, and what it holds, cannot change.
CREATE TRIGGER reviews_signed_off BEFORE UPDATE ON reviews
WHEN OLD.signed_off_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'review signed off'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
WHEN OLD.signed_off_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'review signed off'); END;
` + lockChildren("review_views") + lockChildren("review_goals") + lockChildren("review_actions") + `
-- The audit log is only ever added to.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
`,
	// 2: the case file a young person was imported from, exported as it
	// came while the record is unchanged since.
	`
CREATE TABLE imported_files (
	young_person_id INTEGER PRIMARY KEY REFERENCES young_people(id) ON DELETE CASCADE,
	text            BLOB NOT NULL
) STRICT;
`,
}

// lockChildren writes the triggers that keep a signed-off review's rows in
// table from being added, changed or removed.
func lockChildren(table string) string {
	signed := func(ref string) string {
		return "(SELECT signed_off_at FROM reviews WHERE id = " + ref + ".review_id) IS NOT NULL"
	}
	return fmt.Sprintf(`
CREATE TRIGGER %[1]s_insert BEFORE INSERT ON %[1]s WHEN %[2]s
BEGIN SELECT RAISE(ABORT, 'review signed off'); END;
CREATE TRIGGER %[1]s_update BEFORE UPDATE ON %[1]s WHEN %[3]s
BEGIN SELECT RAISE(ABORT, 'review signed off'); END;
CREATE TRIGGER %[1]s_delete BEFORE DELETE ON %[1]s WHEN %[3]s
BEGIN SELECT RAISE(ABORT, 'review signed off'); END;
`, table, signed("NEW"), signed("OLD"))
}

// SchemaVersion is the version a database has once Open has run.
func SchemaVersion() int { return len(migrations) }

// migrate applies, each in its own transaction with the version bump, the
// migrations the database lacks.
func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("%w (schema version %d; this pathway knows up to %d)", ErrNewerStore, version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate the schema to version %d: %w", v+1, err)
		}
	}
	return nil
}
