// Command upskill is the whole upskill service in one binary: it serves the
// web pages, migrates the database, fills it with demonstration data and
// creates accounts from the command line.
//
//	upskill [serve]   serve the web pages (the default)
//	upskill migrate   bring the database schema up to date
//	upskill demo      fill the database with realistic synthetic data
//	upskill user      create an account or an admin, or set a password
//	upskill version   print the version
//
// Every flag can also be set by an environment variable named in its help.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	_ "time/tzdata" // dates are shown in UK time whatever the host has

	"upskill"
	"upskill/framework"
	"upskill/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "upskill:", err)
		os.Exit(1)
	}
}

// run dispatches to a subcommand. It is separate from main so that tests
// can run the commands in process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, stdout, stderr)
	case "demo":
		return demo(ctx, args, stdout, stderr)
	case "user":
		return user(ctx, args, stdin, stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "upskill %s (%s)\n", upskill.Version, runtime.Version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

const usage = `Usage: upskill <command> [flags]

Commands:
  serve     serve the web pages (the default)
  migrate   bring the database schema up to date
  demo      fill the database with realistic synthetic data
  user      create an account or an admin, or set a password
  version   print the version

Run "upskill <command> -h" for the flags of a command.
`

// env returns the environment variable's value, or def when it is unset.
func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// newFlags starts a command's flag set with the flags every command that
// touches the database shares.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("upskill "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", env("UPSKILL_DB", store.DefaultDSN),
		"the database: a SQLite file path, or a postgres:// URL (env UPSKILL_DB)")
	return fs, db
}

func newLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if env("UPSKILL_LOG_LEVEL", "") == "debug" {
		opts.Level = slog.LevelDebug
	}
	if env("UPSKILL_LOG_FORMAT", "text") == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore opens and migrates the database, saying plainly what is wrong
// when it cannot.
func openStore(ctx context.Context, dsn string, log *slog.Logger) (*store.Store, error) {
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return nil, fmt.Errorf("cannot open the database: %s", upskill.ErrorMessage(unwrapSafe(err)))
	}
	if err := s.Migrate(ctx, log); err != nil {
		s.Close()
		return nil, err
	}
	if err := ensureDefaultFramework(ctx, s, log); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// ensureDefaultFramework loads the default framework into a database that
// does not have it yet.
func ensureDefaultFramework(ctx context.Context, s *store.Store, log *slog.Logger) error {
	f, err := framework.Default()
	if err != nil {
		return fmt.Errorf("read the default framework: %w", err)
	}
	stored, err := s.EnsureFramework(ctx, f.Framework, &f.Version)
	if err != nil {
		return fmt.Errorf("load the default framework: %w", err)
	}
	if stored {
		log.Info("loaded the default framework", "framework", f.Framework.Name)
	}
	return nil
}

// unwrapSafe keeps the message of configuration errors, which are written
// for the operator and carry no secrets.
func unwrapSafe(err error) error {
	var e *upskill.Error
	if errors.As(err, &e) {
		return e
	}
	return &upskill.Error{Code: upskill.EINVALID, Message: err.Error()}
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("migrate", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := newLogger(stderr)
	s, err := openStore(ctx, *db, log)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The %s database is at schema version %d.\n", s.Engine(), v)
	return nil
}
