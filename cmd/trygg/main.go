// Command trygg is the single Trygg binary: the web server and the
// operator's tools (migrations, users, API tokens, CSV import and export,
// backup and the audit-log check). Run "trygg help" for the usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/trygg-est/trygg"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	h := host{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		StderrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		Now:              time.Now,
	}
	if err := run(ctx, os.Args[1:], os.Getenv, h); err != nil {
		fmt.Fprintln(os.Stderr, "trygg:", describe(err))
		stop()
		os.Exit(exitCode(err))
	}
}

// host is what run needs from the process besides its arguments and
// environment: the standard streams and the clock. main fills it from the
// operating system; tests fill it with buffers, pipes and a fixed time.
type host struct {
	Stdin            io.Reader
	Stdout           io.Writer // results: the URL line, lists, tokens, exports
	Stderr           io.Writer // logs, progress and problems
	StderrIsTerminal bool      // progress bars and readable logs only on a terminal
	Now              trygg.Clock
}

// run carries out one command line (without the program name). getenv
// reads the environment, for the TRYGG_<FLAG> fallbacks. The returned
// error is for the operator: see describe and exitCode.
func run(ctx context.Context, args []string, getenv func(string) string, h host) error {
	if h.Now == nil {
		h.Now = time.Now
	}
	if len(args) == 0 {
		printUsage(h.Stderr)
		return usageErrorf("ange ett kommando")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		printUsage(h.Stdout)
		return nil
	}
	cmd, rest, err := findCommand(args)
	if err != nil {
		printUsage(h.Stderr)
		return err
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	act := cmd.define(fs)
	positional, err := parseFlags(fs, rest, getenv)
	if errors.Is(err, errHelp) {
		printCommandUsage(h.Stdout, cmd, fs)
		return nil
	}
	if err == nil && len(positional) != len(cmd.args) {
		err = usageErrorf("%s tar %s", cmd.name, describeArgs(cmd.args))
	}
	if err != nil {
		printCommandUsage(h.Stderr, cmd, fs)
		return err
	}
	err = act(ctx, &cli{host: h}, positional)
	var ue *usageError
	if errors.As(err, &ue) {
		printCommandUsage(h.Stderr, cmd, fs)
	}
	return err
}

// cli is what a command's action runs with.
type cli struct {
	host
}

func describeArgs(args []string) string {
	switch len(args) {
	case 0:
		return "inga argument utöver flaggorna"
	case 1:
		return "ett argument: " + args[0]
	}
	return fmt.Sprintf("%d argument: %s", len(args), strings.Join(args, " "))
}

// usageError is a command line that does not make sense; it exits with
// status 2, like flag parsing errors conventionally do.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// statusError carries an explicit exit status, for outcomes that are not
// failures of the program, such as a broken audit chain or a backup that
// must be made with another tool.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

// exitCode is 2 for usage errors, the carried status for a statusError and
// 1 for anything else.
func exitCode(err error) int {
	var ue *usageError
	var se *statusError
	switch {
	case errors.As(err, &ue):
		return 2
	case errors.As(err, &se):
		return se.status
	}
	return 1
}

// describe turns an error into text for the operator: an application
// error's Swedish message and its fields, any other error as it is (the
// operator runs the machine, so the detail helps and leaks nothing).
func describe(err error) string {
	var e *trygg.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return b.String()
}
