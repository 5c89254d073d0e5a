package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

// Every command writes its output through writeOutput (or, for demo,
// writeFile), which
//   - refuses a path that is the same file as any input the command read,
//     by name or by os.SameFile (a hard or symbolic link), leaving the
//     input as it was;
//   - refuses a folder with a clear message;
//   - writes straight through to anything that is not a regular file (a
//     device, a pipe), which a rename would replace;
//   - writes a regular file atomically: a temporary file beside it,
//     flushed to disk, renamed over the target, and the folder flushed, so
//     that a crash leaves the old file or the new one, never half of one;
//   - creates a new file with mode 0600, as outputs hold personal data (the
//     umask can only tighten it), and keeps the mode and owner of a file it
//     replaces;
//   - removes its temporary file when the command fails, panics, or is
//     stopped by SIGINT or SIGTERM.

// ioError is a failure to write output: a full disk, a closed pipe. It is
// not bad input, so it exits 1.
type ioError struct{ err error }

func (e ioError) Error() string { return e.err.Error() }
func (e ioError) Unwrap() error { return e.err }

// trackWriter passes writes to w and remembers the first failure, so that
// a failed write can be told from a failure to make the output.
type trackWriter struct {
	w   io.Writer
	err error
	// first is called once, before the first write; see slowWriteHook.
	first func()
}

func (t *trackWriter) Write(p []byte) (int, error) {
	if t.first != nil {
		t.first()
		t.first = nil
	}
	n, err := t.w.Write(p)
	if err != nil && t.err == nil {
		t.err = err
	}
	return n, err
}

// slowWriteHook, when set, runs before the first write to a temporary
// file. Only the test binary sets it, to stop the command mid-write.
var slowWriteHook func(tmp string)

// writeOutput writes what fill produces to path, or to stdout when path is
// empty.
func (c *cli) writeOutput(path string, fill func(io.Writer) error) error {
	if path == "" {
		tw := &trackWriter{w: c.stdout}
		if err := fill(tw); err != nil {
			if tw.err != nil {
				return ioError{fmt.Errorf("cannot write to standard output: %w", unwrapPathError(tw.err))}
			}
			return err
		}
		return nil
	}
	if err := c.notAnInput(path); err != nil {
		return err
	}
	return writeFile(path, fill)
}

// checkOutput refuses, before a long run, an output path that writeOutput
// would refuse after it: an input, or a folder.
func (c *cli) checkOutput(path string) error {
	if path == "" {
		return nil
	}
	if err := c.notAnInput(path); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return folderRefused(path)
	}
	return nil
}

func folderRefused(path string) error {
	return badUsage("-o %s is a folder: give the name of a file to write", path)
}

// notAnInput refuses an output path that names a file the command reads:
// the same name, or the same file under another name. For an input folder
// (import-903's), every file in it counts.
func (c *cli) notAnInput(path string) error {
	out, outErr := os.Stat(path)
	abs, _ := filepath.Abs(path)
	for _, in := range c.inputs {
		inAbs, _ := filepath.Abs(in)
		same := filepath.Clean(abs) == filepath.Clean(inAbs)
		st, err := os.Stat(in)
		if !same && err == nil && outErr == nil {
			same = os.SameFile(out, st)
			if !same && st.IsDir() && !out.IsDir() {
				entries, _ := os.ReadDir(in)
				for _, e := range entries {
					if est, err := os.Stat(filepath.Join(in, e.Name())); err == nil && os.SameFile(out, est) {
						return badUsage("-o %s is %s in the input folder %s: writing there would replace it; give another file name", path, e.Name(), in)
					}
				}
			}
		}
		if same {
			return badUsage("-o %s is the input %s: writing there would replace it; give another file name", path, in)
		}
	}
	return nil
}

// writeFile writes what fill produces to path, as the comment at the top
// of this file says.
func writeFile(path string, fill func(io.Writer) error) (err error) {
	st, statErr := os.Stat(path)
	switch {
	case statErr == nil && st.IsDir():
		return folderRefused(path)
	case statErr == nil && !st.Mode().IsRegular():
		return writeThrough(path, fill)
	case statErr != nil && !errors.Is(statErr, fs.ErrNotExist):
		return badUsage("cannot write %s: %v", path, unwrapPathError(statErr))
	}
	// Replace what a symbolic link points to, not the link.
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp*")
	if err != nil {
		return badUsage("cannot write %s: %v", path, unwrapPathError(err))
	}
	temps.add(tmp.Name())
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
		temps.remove(tmp.Name())
	}()
	tw := &trackWriter{w: tmp}
	if slowWriteHook != nil {
		name := tmp.Name()
		tw.first = func() { slowWriteHook(name) }
	}
	if err := fill(tw); err != nil {
		if tw.err != nil {
			return ioError{fmt.Errorf("cannot write %s: %w", path, unwrapPathError(tw.err))}
		}
		return err
	}
	if statErr == nil {
		// Keep the mode and, where allowed, the owner of the file replaced.
		if err := tmp.Chmod(st.Mode().Perm()); err != nil {
			return ioError{fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))}
		}
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			_ = tmp.Chown(int(sys.Uid), int(sys.Gid)) // only root may give a file away
		}
	}
	if err := tmp.Sync(); err != nil {
		return ioError{fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))}
	}
	if err := tmp.Close(); err != nil {
		return ioError{fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))}
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return ioError{fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))}
	}
	done = true
	if err := syncDir(dir); err != nil {
		return ioError{fmt.Errorf("wrote %s but cannot flush its folder to disk: %w", path, unwrapPathError(err))}
	}
	return nil
}

// writeThrough writes to a device or pipe as it is, without a temporary file.
func writeThrough(path string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return badUsage("cannot write %s: %v", path, unwrapPathError(err))
	}
	tw := &trackWriter{w: f}
	err = fill(tw)
	if cerr := f.Close(); err == nil && cerr != nil {
		tw.err, err = cerr, cerr
	}
	if err != nil && tw.err != nil {
		return ioError{fmt.Errorf("cannot write %s: %w", path, unwrapPathError(tw.err))}
	}
	return err
}

// syncDir flushes a folder's entries (a rename) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err // some file systems cannot sync a folder, and say EINVAL
	}
	return nil
}

// unwrapPathError gives the reason in a *fs.PathError, without the path
// and operation the message already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// tempFiles are the temporary files being written, removed if the process
// is stopped by a signal.
type tempFiles struct {
	mu    sync.Mutex
	names map[string]bool
}

var temps = &tempFiles{names: map[string]bool{}}

func (t *tempFiles) add(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.names[name] = true
}

func (t *tempFiles) remove(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.names, name)
}

// removeAll removes every temporary file and keeps the lock, so that no
// writer renames one while the process exits.
func (t *tempFiles) removeAll() {
	t.mu.Lock()
	for name := range t.names {
		os.Remove(name)
	}
}

// removeTempsOnSignal makes SIGINT and SIGTERM remove the temporary files
// before the process exits with 128 + the signal's number, as a shell
// reports it.
func removeTempsOnSignal() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-ch
		temps.removeAll()
		code := 130
		if s == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
}
