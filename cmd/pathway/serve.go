package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"os/user"
	"syscall"
	"time"

	"pathway/reports/web"
	"pathway/scenarios/store"
	"pathway/sim"
)

// shutdownGrace is how long serve waits, on SIGINT or SIGTERM, for the
// requests under way to finish (each change is one transaction, committed
// or not begun) before it closes the database.
const shutdownGrace = 30 * time.Second

// dbFlag adds --db and returns the database path it names, or the default.
func dbFlag(fs *flag.FlagSet) func() (string, error) {
	db := fs.String("db", "", "the workspace database (default: pathway/pathway.db in the user's data folder, $XDG_DATA_HOME or ~/.local/share)")
	return func() (string, error) {
		if *db != "" {
			return *db, nil
		}
		p, err := store.DefaultPath()
		if err != nil {
			return "", badUsage("%v", err)
		}
		return p, nil
	}
}

// actor is who the audit log names: the user the server runs as.
func actor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "local user"
}

func (c *cli) serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dbPath := dbFlag(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "the address to listen on: a loopback address (127.0.0.1, ::1 or localhost) only")
	authority := fs.String("authority", "", "the local authority's name, shown on every page; kept in the database for later runs")
	policy := fs.String("policy", "", "a policy TOML file overriding the embedded values")
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return badUsage("serve takes no file, got %d\n%s", len(pos), usageOf("serve"))
	}
	addr, err := web.CheckListen(*listen)
	if err != nil {
		return badUsage("%v", err)
	}
	if len(*authority) > 100 {
		return badUsage("--authority: at most 100 characters")
	}
	p, err := c.loadPolicy(*policy)
	if err != nil {
		return err
	}
	path, err := dbPath()
	if err != nil {
		return err
	}

	// Stop on SIGINT or SIGTERM by finishing what is under way, not by
	// the immediate exit the other commands take.
	signal.Reset(os.Interrupt, syscall.SIGTERM)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.Open(ctx, path)
	if err != nil {
		return badUsage("cannot open the workspace database %s: %v", path, err)
	}
	defer st.Close()
	who := actor()
	if *authority != "" {
		if err := st.SetSetting(ctx, who, "authority", *authority); err != nil {
			return err
		}
	}
	name, err := st.Setting(ctx, "authority")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return badUsage("cannot listen on %s: %v", addr, unwrapPathError(err))
	}
	h, err := web.New(web.Config{Store: st, Policy: p, Actor: who, Authority: name, Listen: ln.Addr().String(),
		Today: func() sim.Date { y, m, d := time.Now().Date(); return sim.NewDate(y, m, d) }})
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: web.ReadHeaderTimeout,
		ReadTimeout:       web.ReadTimeout,
		WriteTimeout:      web.WriteTimeout,
		IdleTimeout:       web.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(c.stdout, "pathway serve: http://%s/ (database %s); Ctrl-C stops it\n", ln.Addr(), path)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stop()
	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stopping: %w", err)
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("closing the database: %w", err)
	}
	fmt.Fprintln(c.stdout, "pathway serve: stopped; every change made is saved")
	return nil
}

func (c *cli) backup(args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dbPath := dbFlag(fs)
	pos, err := c.parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return badUsage("backup takes one file to write, got %d\n%s", len(pos), usageOf("backup"))
	}
	path, err := dbPath()
	if err != nil {
		return err
	}
	dest := pos[0]
	if st, err := os.Stat(dest); err == nil && st.IsDir() {
		return badUsage("backup %s is a folder: give a file name", dest)
	}
	c.inputs = append(c.inputs, path, path+"-wal", path+"-shm")
	if err := c.notAnInput(dest); err != nil {
		return badUsage("backup %s is the workspace database (or its log): give another file name", dest)
	}
	if _, err := os.Stat(path); err != nil {
		return badUsage("no workspace database at %s: %v", path, unwrapPathError(err))
	}
	if err := store.Backup(context.Background(), path, dest); err != nil {
		return ioError{fmt.Errorf("backup of %s: %w", path, err)}
	}
	fmt.Fprintf(c.stdout, "pathway backup: %s copied to %s\n", path, dest)
	return nil
}
