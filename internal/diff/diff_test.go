package diff

import (
	"strings"
	"testing"
)

func render(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		switch s.Kind {
		case Insert:
			b.WriteString("[+" + s.Text + "]")
		case Delete:
			b.WriteString("[-" + s.Text + "]")
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, a, b, want string
	}{
		{"identical", "same text", "same text", "same text"},
		{"both empty", "", "", ""},
		{"one word replaced", "Trotsky was exiled in 1929.", "Trotsky was expelled in 1929.", "Trotsky was [-exiled][+expelled] in 1929."},
		{"word inserted", "Stalin ruled.", "Stalin ruled alone.", "Stalin ruled[+ alone]."},
		{"from nothing", "", "New text", "[+New text]"},
		{"to nothing", "Old text", "", "[-Old text]"},
		{"never splits a word", "assassination", "assassinations", "[-assassination][+assassinations]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(Words(tt.a, tt.b)); got != tt.want {
				t.Errorf("Words(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func FuzzWords(f *testing.F) {
	f.Add("Trotsky was exiled.", "Trotsky was expelled.")
	f.Add("", "x")
	f.Add("a\u00a0b c", "a b  c")
	f.Fuzz(func(t *testing.T, a, b string) {
		spans := Words(a, b)
		var gotA, gotB strings.Builder
		for _, s := range spans {
			if s.Kind != Insert {
				gotA.WriteString(s.Text)
			}
			if s.Kind != Delete {
				gotB.WriteString(s.Text)
			}
		}
		if gotA.String() != a || gotB.String() != b {
			t.Fatalf("Words(%q, %q) does not rebuild both sides: %q / %q", a, b, gotA.String(), gotB.String())
		}
	})
}

// BenchmarkWords compares two revisions of a 1,200-word body that differ in
// a few places, as Compare and the review page do.
func BenchmarkWords(b *testing.B) {
	para := "Leon Trotsky, a key figure in the Russian Revolution and a prominent opponent of Joseph Stalin, " +
		"was assassinated in Mexico in August 1940; the killing ended the last organised opposition to Stalin abroad."
	old := strings.Repeat(para+"\n\n", 30)
	edited := strings.Replace(old, "August 1940", "20 August 1940", 3)
	edited = strings.Replace(edited, "key figure", "leading figure", 1) + "A new closing paragraph with sources."
	b.SetBytes(int64(len(old) + len(edited)))
	for b.Loop() {
		Words(old, edited)
	}
}
