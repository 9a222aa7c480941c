package store

import (
	"regexp"
	"strings"
	"testing"

	"github.com/quire-cms/quire/internal/search"
)

func TestQuerySyntax(t *testing.T) {
	tests := []struct {
		raw, fts5, tsquery string
	}{
		{"Trotsky assassination", `"Trotsky" "assassination"`, `'Trotsky' & 'assassination'`},
		{`stalin NEAR trotsky -exile`, `"stalin" "trotsky" "exile"`, `'stalin' & 'trotsky' & 'exile'`},
		{"assassin*", `"assassin"*`, `'assassin':*`},
		{`"():-*^`, ``, ``},
	}
	for _, tt := range tests {
		q := search.Parse(tt.raw)
		if got := fts5(q); got != tt.fts5 {
			t.Errorf("fts5(%q) = %s, want %s", tt.raw, got, tt.fts5)
		}
		if got := tsquery(q); got != tt.tsquery {
			t.Errorf("tsquery(%q) = %s, want %s", tt.raw, got, tt.tsquery)
		}
	}
}

var (
	fts5Shape    = regexp.MustCompile(`^("[\p{L}\p{N}\p{Mn}]+"\*? ?)*$`)
	tsqueryShape = regexp.MustCompile(`^('[\p{L}\p{N}\p{Mn}]+'(:\*)?( & )?)*$`)
)

// FuzzQuerySyntax checks that whatever a reader types, each dialect's
// query is quoted words only, so that no syntax reaches the database.
func FuzzQuerySyntax(f *testing.F) {
	for _, s := range []string{"trotsky", `"a" OR b*`, "NEAR(a b, 3)", "\x00", "ü*", "a:b -c ^d", "a & b | !c", "'x':*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q := search.Parse(raw)
		if got := fts5(q); !fts5Shape.MatchString(got) {
			t.Fatalf("fts5(%q) = %q is not only quoted words", raw, got)
		}
		if got := tsquery(q); !tsqueryShape.MatchString(got) {
			t.Fatalf("tsquery(%q) = %q is not only quoted words", raw, got)
		}
	})
}

func TestSegments(t *testing.T) {
	show := func(segs []search.Segment) string {
		var b strings.Builder
		for _, s := range segs {
			if s.Mark {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		return b.String()
	}
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{markStart + "Trotsky" + markEnd + " Exiled", "[Trotsky] Exiled"},
		{"In " + markStart + "1929" + markEnd + ", " + markStart + "Trotsky" + markEnd, "In [1929], [Trotsky]"},
		{"unclosed " + markStart + "mark", "unclosed [mark]"},
		{"stray " + markEnd + "end", "stray end"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := show(segments(tt.in)); got != tt.want {
			t.Errorf("segments(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, s := range segments(tt.in) {
			if strings.ContainsAny(s.Text, markStart+markEnd) {
				t.Errorf("segments(%q) leaves a control byte in %q", tt.in, s.Text)
			}
		}
	}
}
