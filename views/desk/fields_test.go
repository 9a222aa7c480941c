package desk

import "testing"

func TestTypeForKeepsWhatCannotBeHeldAsText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ, value, want string
	}{
		{"date", "", "date"},
		{"date", "1940-08-20", "date"},
		{"date", "20/08/1940", "text"},
		{"number", "4", "number"},
		{"number", "soon", "text"},
		{"datetime-local", "2026-12-01T09:00", "datetime-local"},
		{"datetime-local", "next week", "text"},
		{"email", "not-an-email", "email"},
	}
	for _, tt := range tests {
		if got := (Input{Type: tt.typ}).TypeFor(tt.value); got != tt.want {
			t.Errorf("TypeFor(%q) of a %s = %s, want %s", tt.value, tt.typ, got, tt.want)
		}
	}
}
