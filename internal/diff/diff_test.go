package diff

import (
	"math/rand/v2"
	"strconv"
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

// rebuild returns the two texts spans were made from.
func rebuild(spans []Span) (a, b string) {
	var ab, bb strings.Builder
	for _, s := range spans {
		if s.Kind != Insert {
			ab.WriteString(s.Text)
		}
		if s.Kind != Delete {
			bb.WriteString(s.Text)
		}
	}
	return ab.String(), bb.String()
}

// TestWordsNeverDropsText: whatever the number of distinct words (the
// private use areas hold 137,468, and a body can hold more), both sides
// rebuild exactly, and an inserted claim is in the difference.
func TestWordsNeverDropsText(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, distinct := range []int{10, 6_000, 6_500, 99_999, 100_001, 140_000} {
		t.Run(strconv.Itoa(distinct), func(t *testing.T) {
			var words []string
			for i := range distinct {
				words = append(words, "w"+strconv.FormatInt(int64(i), 36))
			}
			a := strings.Join(words, " ")
			rng.Shuffle(len(words), func(i, j int) { words[i], words[j] = words[j], words[i] })
			b := "The claim nobody approved. " + strings.Join(words[:len(words)/2], " ")
			spans := Words(a, b)
			gotA, gotB := rebuild(spans)
			if gotA != a || gotB != b {
				t.Fatalf("the spans rebuild %d and %d bytes, want %d and %d", len(gotA), len(gotB), len(a), len(b))
			}
			inserted := ""
			for _, s := range spans {
				if s.Kind == Insert {
					inserted += s.Text
				}
			}
			if !strings.Contains(inserted, "nobody approved") {
				t.Error("the inserted claim is not shown as inserted")
			}
		})
	}
}

func FuzzWordsRebuildsBothSides(f *testing.F) {
	f.Add("Trotsky was exiled.", "Trotsky was expelled in 1929.")
	f.Add("", "x")
	f.Add("a\u00a0b\xff", "a b")
	f.Fuzz(func(t *testing.T, a, b string) {
		gotA, gotB := rebuild(Words(a, b))
		if gotA != a || gotB != b {
			t.Fatalf("Words(%q, %q) rebuilds %q and %q", a, b, gotA, gotB)
		}
	})
}
