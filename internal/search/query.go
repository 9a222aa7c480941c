// Package search turns what a reader types into a full-text query that
// cannot fail: every word becomes a quoted term, so FTS syntax, unbalanced
// quotes and control characters are just text.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a query may hold. A search box needs a few words; anything
// beyond these is cut, not refused.
const (
	MaxQueryRunes = 200
	MaxTerms      = 12
	maxTermRunes  = 64
)

// Query is a reader's search, cleaned.
type Query struct {
	Text  string   // what to show back in the search box
	Terms []string // the words searched for, all of which must match
}

// Parse cleans raw into a Query: control characters go, the text is cut to
// MaxQueryRunes, and the words (runs of letters and digits) become terms.
// A word ending in * matches as a prefix; AND, OR, NOT and NEAR in capitals
// are dropped.
func Parse(raw string) Query {
	raw = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, raw)
	raw = strings.Join(strings.Fields(raw), " ")
	if utf8.RuneCountInString(raw) > MaxQueryRunes {
		raw = string([]rune(raw)[:MaxQueryRunes])
	}
	q := Query{Text: raw}
	rest := raw
	for rest != "" && len(q.Terms) < MaxTerms {
		start := strings.IndexFunc(rest, isWordRune)
		if start < 0 {
			break
		}
		rest = rest[start:]
		end := strings.IndexFunc(rest, func(r rune) bool { return !isWordRune(r) })
		if end < 0 {
			end = len(rest)
		}
		word := rest[:end]
		rest = rest[end:]
		if utf8.RuneCountInString(word) > maxTermRunes {
			word = string([]rune(word)[:maxTermRunes])
		}
		if operators[word] {
			continue
		}
		if strings.HasPrefix(rest, "*") {
			word += "*"
		}
		q.Terms = append(q.Terms, word)
	}
	return q
}

// operators are FTS5's query keywords. Typed in capitals they are meant as
// operators, not words to find, so they are left out rather than required.
var operators = map[string]bool{"AND": true, "OR": true, "NOT": true, "NEAR": true}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Empty reports whether there is nothing to search for.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// FTS5 is the query in SQLite FTS5 syntax: each term a quoted string (a
// prefix term followed by *), all of them required.
func (q Query) FTS5() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		if prefix, ok := strings.CutSuffix(t, "*"); ok {
			parts[i] = `"` + prefix + `"*`
		} else {
			parts[i] = `"` + t + `"`
		}
	}
	return strings.Join(parts, " ")
}

// TSQuery is the query in PostgreSQL to_tsquery syntax: each term quoted
// (a prefix term followed by :*), all of them required.
func (q Query) TSQuery() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		if prefix, ok := strings.CutSuffix(t, "*"); ok {
			parts[i] = "'" + prefix + "':*"
		} else {
			parts[i] = "'" + t + "'"
		}
	}
	return strings.Join(parts, " & ")
}
