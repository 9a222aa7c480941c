// Package diff compares two texts word by word, for the revision history's
// Compare view and the conflict page.
package diff

import (
	"strings"
	"time"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Kind says whether a span is unchanged, inserted or deleted.
type Kind int

// Kinds of span.
const (
	Equal Kind = iota
	Insert
	Delete
)

// Span is a run of text with one kind.
type Span struct {
	Kind Kind
	Text string
}

// maxTokens is how many distinct tokens the word diff maps to runes of the
// private use areas (there are 137,468); texts with more are compared
// character by character, which is coarser to read but drops nothing.
const maxTokens = 100_000

// timeout bounds the work of one comparison: past it diff-match-patch
// returns a correct but less minimal difference.
const timeout = time.Second

// Words returns the word-level difference from a to b. Words and the
// whitespace between them are the units, so a change never splits a word.
// The Equal and Delete spans always rebuild a exactly, and the Equal and
// Insert spans b.
func Words(a, b string) []Span {
	if a == b {
		if a == "" {
			return nil
		}
		return []Span{{Equal, a}}
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = timeout
	// Map every distinct token to one rune, diff the rune strings, and map
	// back: the classic line-mode trick of diff-match-patch, at word level.
	index := map[string]rune{}
	var tokens []string
	encode := func(s string) ([]rune, bool) {
		var out []rune
		for _, tok := range tokenize(s) {
			r, ok := index[tok]
			if !ok {
				if len(tokens) == maxTokens {
					return nil, false
				}
				r = privateUse(len(tokens))
				index[tok] = r
				tokens = append(tokens, tok)
			}
			out = append(out, r)
		}
		return out, true
	}
	ra, okA := encode(a)
	rb, okB := encode(b)
	if !okA || !okB {
		return spans(dmp.DiffCleanupSemantic(dmp.DiffMain(a, b, false)), func(s string) string { return s })
	}
	decode := make(map[rune]string, len(tokens))
	for tok, r := range index {
		decode[r] = tok
	}
	return spans(dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false)), func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteString(decode[r])
		}
		return b.String()
	})
}

// privateUse is the n-th code point of the private use areas, which no
// text token is mapped from: U+E000–U+F8FF, then plane 15 and 16.
func privateUse(n int) rune {
	if n < 0xF8FF-0xE000+1 {
		return rune(0xE000 + n)
	}
	return rune(0xF0000 + n - (0xF8FF - 0xE000 + 1))
}

// spans turns diff-match-patch's result into spans, text decoded.
func spans(diffs []diffmatchpatch.Diff, decode func(string) string) []Span {
	var out []Span
	for _, d := range diffs {
		text := decode(d.Text)
		kind := Equal
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			kind = Insert
		case diffmatchpatch.DiffDelete:
			kind = Delete
		}
		if n := len(out); n > 0 && out[n-1].Kind == kind {
			out[n-1].Text += text
			continue
		}
		out = append(out, Span{kind, text})
	}
	return out
}

// Changed reports whether spans contain any insertion or deletion.
func Changed(spans []Span) bool {
	for _, s := range spans {
		if s.Kind != Equal {
			return true
		}
	}
	return false
}

// tokenize splits s into words, runs of whitespace and single punctuation
// marks, which together give back s exactly.
func tokenize(s string) []string {
	var out []string
	start := 0
	class := func(r rune) int {
		switch {
		case unicode.IsSpace(r):
			return 1
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’':
			return 2
		}
		return 3
	}
	prev := -1
	for i, r := range s {
		c := class(r)
		if i > start && (c != prev || c == 3) {
			out = append(out, s[start:i])
			start = i
		}
		prev = c
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// Count says how many words spans insert and delete, for a one-line
// summary of a change ("+120 words, −4 words").
func Count(spans []Span) (inserted, deleted int) {
	for _, s := range spans {
		switch s.Kind {
		case Insert:
			inserted += len(strings.Fields(s.Text))
		case Delete:
			deleted += len(strings.Fields(s.Text))
		}
	}
	return inserted, deleted
}
