package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/audit"
	"github.com/quire-cms/quire/internal/publishing"
)

// errBroken makes quire exit 1 when the record does not verify; what broke
// has been printed already.
var errBroken = errors.New("the record does not verify")

// heads collects repeated --head flags.
type heads []string

func (h *heads) String() string     { return strings.Join(*h, ",") }
func (h *heads) Set(v string) error { *h = append(*h, v); return nil }

// verifyCommand checks the record: every publication's content hash
// against the revision it published, both hash chains, and the heads noted
// earlier.
func verifyCommand(ctx context.Context, pub *publishing.Service, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var kept heads
	fs.Var(&kept, "head", "a chain hash noted earlier, which must still be in the record (repeatable)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errors.New("usage: quire verify [--head HASH]...")
	}
	start := time.Now()
	v, err := pub.Verify(ctx, kept...)
	if err != nil {
		return err
	}
	if v.Break != "" {
		fmt.Fprintf(stdout, "record broken: %s\n(checked %d publications and %d audit events)\n", v.Break, v.Publications, v.Events)
		return errBroken
	}
	fmt.Fprintf(stdout, "verified %d publications and %d audit events in %s\n", v.Publications, v.Events, time.Since(start).Round(time.Millisecond))
	if len(kept) > 0 {
		fmt.Fprintf(stdout, "the %d head(s) you kept are in the record\n", len(kept))
	}
	if v.PublicationsHead != "" || v.EventsHead != "" {
		fmt.Fprintf(stdout, "publications head: %s\naudit head:        %s\n", v.PublicationsHead, v.EventsHead)
	}
	return nil
}

// auditCommand is quire audit export.
func auditCommand(ctx context.Context, pub *publishing.Service, args []string, stdout io.Writer) error {
	const usage = "usage: quire audit export [--since 2026-01-31] [--format jsonl|csv]"
	if len(args) == 0 || args[0] != "export" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("audit export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	since := fs.String("since", "", "the first day to export, as YYYY-MM-DD (UTC)")
	format := fs.String("format", audit.JSONLines, "jsonl or csv")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errors.New(usage)
	}
	var from time.Time
	if *since != "" {
		var err error
		if from, err = time.Parse(time.DateOnly, *since); err != nil {
			return fmt.Errorf("audit export: --since %q is not a date such as 2026-01-31", *since)
		}
	}
	w := bufio.NewWriter(stdout)
	x, err := audit.NewExporter(w, *format)
	if err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	if err := pub.ExportAudit(ctx, from, x.Write); err != nil {
		return err
	}
	if err := x.Flush(); err != nil {
		return err
	}
	return w.Flush()
}
