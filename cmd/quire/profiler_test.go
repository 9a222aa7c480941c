package main

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
)

// The profiler answers only requests naming a loopback host (a page whose
// own name points at 127.0.0.1 gets nothing) and profiles for a minute at
// most.
func TestProfilerAnswersOnlyLoopbackHosts(t *testing.T) {
	t.Parallel()
	addr, stop, err := serveProfiler("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	tests := []struct {
		host, path string
		want       int
	}{
		{addr, "/debug/pprof/", http.StatusOK},
		{"localhost", "/debug/pprof/heap", http.StatusOK},
		{"rebound.example", "/debug/pprof/", http.StatusForbidden},
		{"rebound.example:6060", "/debug/pprof/heap", http.StatusForbidden},
		{addr, "/debug/pprof/profile?seconds=3600", http.StatusBadRequest},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(http.MethodGet, "http://"+addr+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.want {
			t.Errorf("GET %s with Host %s = %d, want %d", tt.path, tt.host, res.StatusCode, tt.want)
		}
	}
	if _, _, err := serveProfiler("192.0.2.7:0", slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
		t.Error("the profiler listened on a public address")
	}
}
