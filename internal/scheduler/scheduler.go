// Package scheduler publishes scheduled revisions when their time comes.
// Every Quire process runs one; the store's claim makes each scheduled
// publication happen exactly once however many run, and a schedule that
// fell due while no process was running goes live at the next start.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// Publisher publishes what is due at now, naming the worker in its claim.
type Publisher interface {
	PublishDue(ctx context.Context, worker string, now time.Time) (int, error)
}

// Scheduler checks for due publications at a fixed interval.
type Scheduler struct {
	publisher Publisher
	every     time.Duration
	worker    string
	logger    *slog.Logger
}

// New returns a scheduler that checks every interval. A check that finds
// nothing due is one indexed read.
func New(p Publisher, every time.Duration, logger *slog.Logger) *Scheduler {
	host, _ := os.Hostname()
	return &Scheduler{publisher: p, every: every, worker: fmt.Sprintf("%s/%d", host, os.Getpid()), logger: logger}
}

// Run checks at once and then every interval until ctx ends. Failures are
// logged and retried at the next tick: a schedule is never lost, only late.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		s.tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Scheduler) tick(ctx context.Context) {
	n, err := s.publisher.PublishDue(ctx, s.worker, time.Now())
	if err != nil && ctx.Err() == nil {
		s.logger.ErrorContext(ctx, "scheduled publishing failed; retrying", "err", err)
	}
	if n > 0 {
		s.logger.InfoContext(ctx, "published scheduled revisions", "count", n, "worker", s.worker)
	}
}
