// Package search turns what a reader types into a full-text query that
// cannot fail: every word becomes a term, so query syntax, unbalanced
// quotes and control characters are just text. Each database dialect in
// the store writes the terms in its own syntax; results come back as Hits.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quire-cms/quire/internal/article"
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

// Prefix reports whether term is a prefix term (typed with a trailing *),
// and returns it without the star.
func Prefix(term string) (string, bool) {
	return strings.CutSuffix(term, "*")
}

// Hit is a live article found by a search, with its title and an excerpt
// split into plain runs and runs that matched.
type Hit struct {
	article.Published
	Title   []Segment
	Snippet []Segment
}

// Segment is a run of a search result's text; Mark is set when it matched.
type Segment struct {
	Text string
	Mark bool
}
