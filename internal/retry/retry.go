// Package retry is when Quire tries again to hand something to another
// server (a mail to the SMTP server, a webhook to its receiver) after it
// failed: soon at first, then less and less often, for about a day.
package retry

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"
)

// MaxAttempts is how many times something is tried before it has failed
// for good: with Next's waits, about a day from the first attempt.
const MaxAttempts = 30

// Next says when something that failed its attempts-th attempt (counting
// from 1) is tried again: after 30 s, doubling to at most an hour, each
// wait shortened by up to a fifth at random so that the instances behind
// one dead server do not retry in step. ok is false after MaxAttempts.
func Next(attempts int, now time.Time) (next time.Time, ok bool) {
	wait := 30 * time.Second << min(max(attempts-1, 0), 7)
	wait = min(wait, time.Hour)
	wait -= time.Duration(rand.Int64N(int64(wait / 5)))
	return now.Add(wait), attempts < MaxAttempts
}

// Loop calls tick at once and then every interval until ctx ends, logging
// what fails as what (the next tick is the retry): the shape of every
// outbox worker.
func Loop(ctx context.Context, every time.Duration, logger *slog.Logger, what string, tick func(context.Context) error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := tick(ctx); err != nil && ctx.Err() == nil {
			logger.ErrorContext(ctx, what+" failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Reason bounds another server's error as it is kept beside what failed.
func Reason(err error) string {
	s := err.Error()
	if len(s) > 500 {
		return strings.ToValidUTF8(s[:500], "")
	}
	return s
}
