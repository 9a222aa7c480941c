package mail_test

import (
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/mail"
)

func TestDigestBoundary(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		now  time.Time
		want time.Time
	}{
		{time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 8, 0, 0, 0, ny)},  // 08:00 EST is 13:00 UTC
		{time.Date(2026, 3, 2, 12, 59, 0, 0, time.UTC), time.Date(2026, 3, 1, 8, 0, 0, 0, ny)}, // just before: yesterday's
		{time.Date(2026, 3, 3, 4, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 8, 0, 0, 0, ny)},   // 23:00 local on the 2nd
	}
	for _, tt := range tests {
		if got := mail.DigestBoundary(tt.now, ny); !got.Equal(tt.want) {
			t.Errorf("DigestBoundary(%s) = %s, want %s", tt.now, got, tt.want)
		}
	}
}

func TestParseChoice(t *testing.T) {
	for _, c := range mail.Choices {
		if got, ok := mail.ParseChoice(string(c)); !ok || got != c {
			t.Errorf("ParseChoice(%q) = %q, %v", c, got, ok)
		}
	}
	if _, ok := mail.ParseChoice("sometimes"); ok {
		t.Error("accepted an unknown choice")
	}
}
