package search

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, raw, fts string
	}{
		{"plain words", "Trotsky assassination", `"Trotsky" "assassination"`},
		{"FTS syntax is ignored", `stalin NEAR trotsky -exile title:pact OR x AND y NOT z`, `"stalin" "trotsky" "exile" "title" "pact" "x" "y" "z"`},
		{"operator words in lower case are words", "near or not", `"near" "or" "not"`},
		{"unbalanced quotes", `"Trotsky's exile`, `"Trotsky" "s" "exile"`},
		{"prefix", "assassin*", `"assassin"*`},
		{"a star alone", "*", ``},
		{"control characters", "stalin\x00\x1b[31m\ttrotsky", `"stalin" "31m" "trotsky"`},
		{"accents kept", "Mercader Río", `"Mercader" "Río"`},
		{"only punctuation", `"():-*^`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.raw).FTS5(); got != tt.fts {
				t.Errorf("Parse(%q).FTS5() = %s, want %s", tt.raw, got, tt.fts)
			}
		})
	}
}

func TestParseBoundsHugeInput(t *testing.T) {
	q := Parse(strings.Repeat("trotsky ", 10_000))
	if len(q.Terms) != MaxTerms || utf8.RuneCountInString(q.Text) > MaxQueryRunes {
		t.Errorf("10 KB query kept %d terms and %d runes", len(q.Terms), utf8.RuneCountInString(q.Text))
	}
}

var ftsShape = regexp.MustCompile(`^("[\p{L}\p{N}\p{Mn}]+"\*? ?)*$`)

func FuzzParse(f *testing.F) {
	for _, s := range []string{"trotsky", `"a" OR b*`, "NEAR(a b, 3)", "\x00", "ü*", "a:b -c ^d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q := Parse(raw)
		fts := q.FTS5()
		if !ftsShape.MatchString(fts) {
			t.Fatalf("Parse(%q).FTS5() = %q is not only quoted words", raw, fts)
		}
		if len(q.Terms) > MaxTerms || !utf8.ValidString(q.Text) {
			t.Fatalf("Parse(%q) = %+v breaks its limits", raw, q)
		}
	})
}
