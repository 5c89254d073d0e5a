// Package store keeps the adviser's workspace in one SQLite file: the young
// people (each case file's values, by key), their reviews (a dated snapshot
// of the case and of the plan it produced, the young person's views, goals
// and actions, and the sign-off) and an audit log of who did what to which
// record, viewing included.
//
// The database is opened through modernc.org/sqlite, SQLite compiled to Go,
// so the binary needs no C compiler. It runs in WAL mode with foreign keys
// on and synchronous=FULL, so a committed change survives the process being
// killed; its schema is versioned in migrations.go and brought up to date
// when it is opened. Every change, with its audit entry, is one
// transaction. Triggers keep a signed-off review and the audit log from
// being changed, whatever program writes to the file.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Errors a caller maps to a response.
var (
	ErrNotFound   = errors.New("no such record")
	ErrSignedOff  = errors.New("the review is signed off and can no longer be changed")
	ErrDuplicate  = errors.New("a young person with this id is already in the workspace")
	ErrNewerStore = errors.New("the database was written by a newer pathway")
)

// Store is an open workspace database.
type Store struct {
	db   *sql.DB
	path string
	// Now gives the time written into records and the audit log; tests set
	// it. It is read in UTC.
	Now func() time.Time
}

// dsn is the connection string: every connection gets foreign keys, WAL,
// a full sync on commit, and a wait of up to 10 s for another writer (a
// backup taken while the server runs). Write transactions take the write
// lock when they begin, so two writers never deadlock upgrading a read.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens the database at path, creating it (and its folder, mode 0700)
// with mode 0600 if it does not exist, and applies any migrations it lacks.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the database's folder: %w", err)
	}
	// SQLite gives its -wal and -shm files the mode of the database file,
	// so creating it 0600 first keeps all three private.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the database: %w", err)
	}
	f.Close()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, err
	}
	// One connection: the workspace has one user, and one connection makes
	// every change strictly ordered. Other processes (a backup) still read.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, Now: time.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close checkpoints the write-ahead log into the database and closes it.
func (s *Store) Close() error {
	_, _ = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	return s.db.Close()
}

// IntegrityCheck runs PRAGMA integrity_check and returns its answer, "ok"
// for a sound database.
func (s *Store) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

func (s *Store) now() string { return s.Now().UTC().Format(time.RFC3339Nano) }

// tx runs fn in one transaction, committed if fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Backup writes a consistent copy of the database at dbPath to dest with
// VACUUM INTO, which reads one snapshot and so may run while the server
// writes. The copy is made beside dest with mode 0600, flushed, and renamed
// over dest, so dest is the old file or the whole new copy.
func Backup(ctx context.Context, dbPath, dest string) error {
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("no database at %s: %w", dbPath, err)
	}
	db, err := sql.Open("sqlite", dsn(dbPath))
	if err != nil {
		return err
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read %s: %w", dbPath, err)
	}
	if version == 0 {
		return fmt.Errorf("%s is not a pathway workspace", dbPath)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			os.Remove(name)
		}
	}()
	// VACUUM INTO wants a new or empty file; CreateTemp made it 0600.
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", name); err != nil {
		return fmt.Errorf("copy the database: %w", err)
	}
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	f.Close()
	if err := os.Rename(name, dest); err != nil {
		return err
	}
	done = true
	if d, err := os.Open(filepath.Dir(dest)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
