package store

import "testing"

func TestPostgresPlaceholders(t *testing.T) {
	t.Parallel()
	d := &postgresDialect{}
	tests := []struct{ in, want string }{
		{"SELECT a FROM t WHERE x = ? AND y IN (?, ?)", "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3)"},
		{"SELECT 'why?', \"odd?col\" FROM t WHERE x = CAST(? AS TEXT)", "SELECT 'why?', \"odd?col\" FROM t WHERE x = CAST($1 AS TEXT)"},
		{"SELECT 'it''s?' WHERE a = ?", "SELECT 'it''s?' WHERE a = $1"},
		{"SELECT 1", "SELECT 1"},
	}
	for _, tt := range tests {
		for range 2 { // the second time from the memo
			if got := d.placeholders(tt.in); got != tt.want {
				t.Errorf("placeholders(%q) = %q, want %q", tt.in, got, tt.want)
			}
		}
	}
}
