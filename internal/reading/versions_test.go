package reading

import (
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/article"
)

func TestVersionAt(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		m, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	pubs := []article.Publication{
		{Version: 1, PublishedAt: at("2026-08-20T10:00:00.5Z")},
		{Version: 2, PublishedAt: at("2026-08-20T10:00:00.7Z")},
		{Version: 3, PublishedAt: at("2026-08-20T11:00:00.3Z")},
	}
	tests := []struct {
		asked string
		want  int
	}{
		{"2007-05-31T20:35:00Z", 1},   // before the first: the first
		{"2026-08-20T10:00:00Z", 2},   // versions 1 and 2's own HTTP date: the last of that second
		{"2026-08-20T10:59:59Z", 2},   // between
		{"2026-08-20T11:00:00Z", 3},   // version 3's own HTTP date
		{"2026-12-01T00:00:00Z", 3},   // after the last: the last
		{"2026-08-20T10:00:00.1Z", 2}, // finer than HTTP dates go, still that second
	}
	for _, tt := range tests {
		if got := VersionAt(pubs, at(tt.asked)); got.Version != tt.want {
			t.Errorf("VersionAt(%s) = version %d, want %d", tt.asked, got.Version, tt.want)
		}
	}
}
