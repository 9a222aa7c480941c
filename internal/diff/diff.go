// Package diff compares two texts word by word, for the revision history's
// Compare view and the conflict page.
package diff

import (
	"strings"
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

// Words returns the word-level difference from a to b. Words and the
// whitespace between them are the units, so a change never splits a word.
func Words(a, b string) []Span {
	if a == b {
		if a == "" {
			return nil
		}
		return []Span{{Equal, a}}
	}
	// Map every distinct token to one rune, diff the rune strings, and map
	// back: the classic line-mode trick of diff-match-patch, at word level.
	index := map[string]rune{}
	var tokens []string
	encode := func(s string) []rune {
		var out []rune
		for _, tok := range tokenize(s) {
			r, ok := index[tok]
			if !ok {
				r = rune(len(tokens) + 0xE000) // private use area, never a real text rune
				if r >= 0xF8FF {
					r = rune(len(tokens)) + 0xF0000
				}
				index[tok] = r
				tokens = append(tokens, tok)
			}
			out = append(out, r)
		}
		return out
	}
	ra, rb := encode(a), encode(b)
	decode := make(map[rune]string, len(tokens))
	for tok, r := range index {
		decode[r] = tok
	}
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	var out []Span
	for _, d := range diffs {
		var b strings.Builder
		for _, r := range d.Text {
			b.WriteString(decode[r])
		}
		kind := Equal
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			kind = Insert
		case diffmatchpatch.DiffDelete:
			kind = Delete
		}
		if n := len(out); n > 0 && out[n-1].Kind == kind {
			out[n-1].Text += b.String()
			continue
		}
		out = append(out, Span{kind, b.String()})
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
