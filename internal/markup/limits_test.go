package markup

import (
	"errors"
	"flag"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// worst are bodies of about size bytes that stay just inside the Limits
// while leaning on goldmark's costliest constructs: runs of link and HTML
// openers, link reference definitions, lines nesting quotes and lists,
// emphasis delimiters, and the largest tables.
func worst(size int) map[string]string {
	block := func(unit string, perBlock int) string {
		b := strings.Repeat(unit, min(perBlock, size/len(unit))) + "\n\n"
		return strings.Repeat(b, max(1, size/len(b)))
	}
	lines := func(line string) string { return strings.Repeat(line+"\n", size/(len(line)+1)) }
	row := "|" + strings.Repeat(" a |", MaxTableColumns)
	table := row + "\n|" + strings.Repeat("---|", MaxTableColumns) + "\n" + strings.Repeat(row+"\n", MaxTableCells/MaxTableColumns-2)
	return map[string]string{
		"link openers":      block("[a](", MaxOpenersPerBlock),
		"link titles":       block(`[a](b "`, MaxOpenersPerBlock),
		"reference defs":    block("[a]: b\n", MaxOpenersPerBlock),
		"html declarations": block("a <!A", MaxOpenersPerBlock),
		"brackets":          block("[", MaxOpenersPerBlock),
		"nested quotes":     lines(strings.Repeat(">", MaxNesting) + " x"),
		"nested lists":      lines(strings.Repeat("1. ", MaxNesting) + "x"),
		"quoted lists":      lines(strings.Repeat("> - ", MaxNesting/2) + "x"),
		"emphasis":          block("*a", MaxOpenersPerBlock),
		"underscores":       block("_a", MaxOpenersPerBlock),
		"strikethrough":     block("~~a", MaxOpenersPerBlock),
		"mixed emphasis":    block("*a_", MaxOpenersPerBlock/2),
		"reference uses":    "[a]: /" + strings.Repeat("x", 2000) + "\n\n" + block("[a] ", MaxOpenersPerBlock),
		"indented lists":    staircase(size),
		"code spans":        block("`", size),
		"autolinks":         block("www.a ", size),
		"table":             strings.Repeat(table+"\n", 1),
	}
}

// staircase nests lists across lines as deep as MaxIndent and MaxNesting
// allow, again and again.
func staircase(size int) string {
	var b strings.Builder
	for b.Len() < size {
		for i := range MaxIndent / 2 {
			b.WriteString(strings.Repeat("  ", i) + strings.Repeat("- ", MaxNesting) + "x\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestWorstBodiesAreAcceptedAndBounded measures memory, so it runs alone,
// on bodies of a quarter of the limit (the benchmark takes them whole).
func TestWorstBodiesAreAcceptedAndBounded(t *testing.T) {
	r := New()
	for name, src := range worst(256 << 10) {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			out, err := r.Render(src)
			runtime.ReadMemStats(&after)
			var tooComplex *TooComplexError
			if err != nil && !errors.As(err, &tooComplex) {
				t.Fatalf("Render() error = %v", err)
			}
			if len(out.HTML) > MaxHTMLBytes {
				t.Errorf("rendered %d bytes of HTML, over the limit", len(out.HTML))
			}
			// Memory, unlike time, is the same on a busy machine: what a
			// body may allocate grows with its size, not its square.
			if perByte := (after.TotalAlloc - before.TotalAlloc) / uint64(len(src)); perByte > 600 && !raceEnabled {
				t.Errorf("allocated %d bytes per input byte", perByte)
			}
		})
	}
}

func TestLimitsRefuse(t *testing.T) {
	t.Parallel()
	wide := "|" + strings.Repeat(" a |", 1000) + "\n|" + strings.Repeat("-|", 1000) + "\n" + strings.Repeat("|\n", 10_000)
	tests := []struct {
		name, src, says string
	}{
		{"a 1,000-column table (the crash)", wide, "columns"},
		{"a table inside a quote", "> " + strings.ReplaceAll(wide, "\n", "\n> "), "columns"},
		{"too many cells", strings.Repeat("|a|b|c|d|\n|-|-|-|-|\n"+strings.Repeat("|a|b|c|d|\n", 1000)+"\n", 6), "cells"},
		{"quotes nested on one line", strings.Repeat(">", 160_000), "inside each other"},
		{"spaced quotes", strings.Repeat("> ", 100), "inside each other"},
		{"lists nested on one line", strings.Repeat("1. ", 100), "inside each other"},
		{"unclosed links", strings.Repeat("[a](", 40_000), "split it with blank lines"},
		{"html openers", strings.Repeat("a <!A", 40_000), "split it with blank lines"},
		// An attacker's pass found these four ways around the first limits.
		{"emphasis runs of mixed marks", strings.Repeat("*a_", 349_000), "emphasis marks"},
		{"a quoted fence that goldmark closes at the blank line", "> ```\n\n" + strings.Repeat("[a](", 40_000), "split it with blank lines"},
		{"a fence goldmark does not take for one", "```a`b\n" + strings.Repeat(">", 140_000) + " a\n", "inside each other"},
		{"lists nested across lines", func() string {
			var b strings.Builder
			for i := range 180 {
				b.WriteString(strings.Repeat(" ", 64*i) + strings.Repeat("- ", 32) + "a\n")
			}
			return b.String()
		}(), "indented by"},
		{"references to one long link", "[a]: /" + strings.Repeat("x", 100_000) + "\n\n" + strings.Repeat("[a]\n\n", 3000), "MiB of HTML"},
	}
	r := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Render(tt.src)
			var tooComplex *TooComplexError
			if !errors.As(err, &tooComplex) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("Render() error = %v, want one saying %q", err, tt.says)
			}
		})
	}
	for _, ok := range []string{
		"| a | b |\n|---|:-:|\n| 1 | 2 |",
		"```\n" + strings.Repeat(strings.Repeat("[<", 400)+"\n\n", 20) + "```\n",
		"    indented code\n\n1. a\n   - b\n     - c\n\n       code in a list\n",
		"* * *\n\n- - -\n\n---\n\nTitle\n-----",
		"> quoted\n> - item\n>   1. nested\n",
	} {
		if _, err := r.Render(ok); err != nil {
			t.Errorf("Render(%.40q) error = %v", ok, err)
		}
	}
}

// BenchmarkRenderWorst renders each of the worst 1 MiB bodies: each should
// take well under two seconds.
func BenchmarkRenderWorst(b *testing.B) {
	r := New()
	for name, src := range worst(1 << 20) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				r.Render(src)
			}
		})
	}
}

// FuzzRenderIsBounded: whatever is typed, Render answers with safe HTML
// within the limits or refuses; while fuzzing, it also answers in time
// proportional to the input.
func FuzzRenderIsBounded(f *testing.F) {
	for _, s := range []string{"# T\n\n*a* [b](c)", "| a |\n|---|\n| 1 |", "> > x", "[a](", "<!A", "```\ncode\n```", "1. 2. 3. x"} {
		f.Add(s)
	}
	fuzzing := flag.Lookup("test.fuzz").Value.String() != ""
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		// The fuzzer's inputs are small; repeating them finds what grows
		// faster than the input does.
		src = strings.Repeat(src, max(1, 4096/max(1, len(src))))
		start := time.Now()
		out, err := r.Render(src)
		took := time.Since(start)
		var tooComplex *TooComplexError
		if err != nil && !errors.As(err, &tooComplex) {
			t.Fatalf("Render() error = %v", err)
		}
		if len(out.HTML) > MaxHTMLBytes || !utf8.ValidString(out.HTML) && utf8.ValidString(src) {
			t.Fatalf("Render() gave %d bytes of HTML", len(out.HTML))
		}
		if fuzzing && took > 50*time.Millisecond+time.Duration(len(src))*2*time.Microsecond {
			t.Fatalf("Render() of %d bytes took %v", len(src), took)
		}
	})
}
