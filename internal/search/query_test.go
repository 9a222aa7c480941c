package search

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		raw   string
		terms []string
	}{
		{"plain words", "Trotsky assassination", []string{"Trotsky", "assassination"}},
		{"FTS syntax is ignored", `stalin NEAR trotsky -exile title:pact OR x AND y NOT z`, []string{"stalin", "trotsky", "exile", "title", "pact", "x", "y", "z"}},
		{"operator words in lower case are words", "near or not", []string{"near", "or", "not"}},
		{"unbalanced quotes", `"Trotsky's exile`, []string{"Trotsky", "s", "exile"}},
		{"prefix", "assassin*", []string{"assassin*"}},
		{"a star alone", "*", nil},
		{"control characters", "stalin\x00\x1b[31m\ttrotsky", []string{"stalin", "31m", "trotsky"}},
		{"accents kept", "Mercader Río", []string{"Mercader", "Río"}},
		{"only punctuation", `"():-*^`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.raw).Terms; !slices.Equal(got, tt.terms) {
				t.Errorf("Parse(%q).Terms = %q, want %q", tt.raw, got, tt.terms)
			}
		})
	}
}

func TestParseBoundsHugeInput(t *testing.T) {
	t.Parallel()
	q := Parse(strings.Repeat("trotsky ", 10_000))
	if len(q.Terms) != MaxTerms || utf8.RuneCountInString(q.Text) > MaxQueryRunes {
		t.Errorf("10 KB query kept %d terms and %d runes", len(q.Terms), utf8.RuneCountInString(q.Text))
	}
}

// FuzzParse checks that whatever is typed, every term is a run of letters
// and digits (with at most a trailing *), so that no dialect's query
// syntax can reach the database.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"trotsky", `"a" OR b*`, "NEAR(a b, 3)", "\x00", "ü*", "a:b -c ^d", "a & b | !c", "'x':*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q := Parse(raw)
		if len(q.Terms) > MaxTerms || !utf8.ValidString(q.Text) || utf8.RuneCountInString(q.Text) > MaxQueryRunes {
			t.Fatalf("Parse(%q) = %+v breaks its limits", raw, q)
		}
		for _, term := range q.Terms {
			word, _ := Prefix(term)
			if word == "" || strings.IndexFunc(word, func(r rune) bool { return !isWordRune(r) }) >= 0 {
				t.Fatalf("Parse(%q) has term %q, not a word", raw, term)
			}
			if strings.ContainsFunc(word, unicode.IsControl) {
				t.Fatalf("Parse(%q) has a control character in %q", raw, term)
			}
		}
	})
}
