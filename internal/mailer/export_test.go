package mailer

import "time"

// SetNow sets the worker's clock, for tests that step through a day.
func SetNow(w *Worker, at time.Time) { w.now = func() time.Time { return at } }
