package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDescriptionCutsTheOpeningAtAWord(t *testing.T) {
	word := strings.Repeat("é", 9) + " " // ten runes, eleven bytes
	tests := []struct {
		name, dek, body, want string
	}{
		{"the dek wins", "A dek.", "The body.", "A dek."},
		{"a short body is whole", "", "Short body.", "Short body."},
		{"exactly the limit is whole", "", strings.Repeat(word, 16), strings.Repeat(word, 16)},
		{"one rune over is cut at the last word", "", strings.Repeat(word, 16) + "x", strings.TrimSpace(strings.Repeat(word, 16)) + "…"},
		{"no space late enough cuts mid-word", "", strings.Repeat("ж", 200), strings.Repeat("ж", 160) + "…"},
		{"trailing punctuation goes", "", strings.Repeat("abcdefgh, ", 20), strings.TrimSuffix(strings.Repeat("abcdefgh, ", 16), ", ") + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := description(tt.dek, tt.body)
			if got != tt.want {
				t.Errorf("description = %q, want %q", got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("description %q is not valid UTF-8", got)
			}
		})
	}
}
