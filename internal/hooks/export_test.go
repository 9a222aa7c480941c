package hooks

import "time"

// SetNow sets the worker's clock, for tests that step through a day.
func SetNow(w *Worker, at time.Time) { w.now = func() time.Time { return at } }

// Named renames the worker in its claims, for tests that run several.
func Named(w *Worker, name string) *Worker {
	w.name = name
	return w
}
