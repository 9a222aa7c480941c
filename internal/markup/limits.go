package markup

import (
	"fmt"
	"strings"
)

// Limits on what one body may ask of the renderer. goldmark takes time
// quadratic in some constructs (containers nested on one line, runs of link
// or HTML openers in one block) and pads every row of a table to the
// header's width, so a few kilobytes could otherwise take minutes, or
// gigabytes. Real articles stay far inside these bounds; with them, the
// worst 1 MiB body renders in well under two seconds (BenchmarkRenderWorst).
const (
	// MaxNesting bounds blockquotes and lists opened on one line.
	MaxNesting = 32
	// MaxOpenersPerBlock bounds '[' and '<' in one block (a paragraph, a
	// list, a table: lines between blank lines).
	MaxOpenersPerBlock = 1000
	// MaxTableColumns and MaxTableCells bound tables.
	MaxTableColumns = 64
	MaxTableCells   = 20_000
	// MaxHTMLBytes bounds what a body renders to.
	MaxHTMLBytes = 4 << 20
)

// TooComplexError refuses a body the renderer would take too long or too
// much memory for; it says what to change.
type TooComplexError struct {
	Reason string
}

func (e *TooComplexError) Error() string { return e.Reason }

// checkLimits scans source once, line by line, before it is parsed.
// Fenced code is not Markdown and counts for nothing.
func checkLimits(source string) error {
	var (
		openers   int    // in the current block
		fence     string // the fence that opened the code block we are in
		tableCols int    // of the table we are in, zero outside one
		cells     int
	)
	for line := range strings.Lines(source) {
		line = strings.TrimRight(line, "\r\n")
		body, depth := containers(line)
		if fence != "" {
			if strings.HasPrefix(strings.TrimLeft(body, " "), fence) {
				fence = ""
			}
			continue
		}
		if f := fenceOf(body); f != "" {
			fence, openers, tableCols = f, 0, 0
			continue
		}
		if depth > MaxNesting {
			return &TooComplexError{fmt.Sprintf("A line opens %d quotes or lists inside each other; Quire renders at most %d.", depth, MaxNesting)}
		}
		if strings.TrimSpace(body) == "" {
			openers, tableCols = 0, 0
			continue
		}
		openers += strings.Count(line, "[") + strings.Count(line, "<")
		if openers > MaxOpenersPerBlock {
			return &TooComplexError{fmt.Sprintf("A paragraph has more than %d links, brackets or tags; split it with blank lines.", MaxOpenersPerBlock)}
		}
		if tableCols == 0 {
			tableCols = delimiterColumns(body)
			if tableCols > MaxTableColumns {
				return &TooComplexError{fmt.Sprintf("A table has %d columns; Quire renders at most %d.", tableCols, MaxTableColumns)}
			}
		}
		if cells += tableCols; cells > MaxTableCells {
			return &TooComplexError{fmt.Sprintf("The tables have more than %d cells in all; split the article or the tables.", MaxTableCells)}
		}
	}
	return nil
}

// containers strips the blockquote and list markers a line opens with and
// counts them.
func containers(line string) (string, int) {
	depth := 0
	for {
		rest := strings.TrimLeft(line, " \t")
		switch {
		case strings.HasPrefix(rest, ">"):
			line = rest[1:]
		case len(rest) >= 2 && strings.ContainsRune("-+*", rune(rest[0])) && (rest[1] == ' ' || rest[1] == '\t'):
			line = rest[2:]
		default:
			n := 0
			for n < len(rest) && n < 10 && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			if n == 0 || n > 9 || len(rest) < n+2 || (rest[n] != '.' && rest[n] != ')') || (rest[n+1] != ' ' && rest[n+1] != '\t') {
				return line, depth
			}
			line = rest[n+2:]
		}
		depth++
	}
}

// fenceOf returns the fence (``` or ~~~, as long as written) a line opens
// a code block with, or "".
func fenceOf(line string) string {
	rest := strings.TrimLeft(line, " ")
	if len(line)-len(rest) > 3 {
		return ""
	}
	for _, c := range []string{"`", "~"} {
		n := len(rest) - len(strings.TrimLeft(rest, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}

// delimiterColumns returns how many columns a table's delimiter row
// (|---|:--:|) declares, or zero if the line is not one.
func delimiterColumns(line string) int {
	s := strings.TrimSpace(line)
	if !strings.Contains(s, "-") || strings.Trim(s, "|:- \t") != "" {
		return 0
	}
	cols := 0
	for cell := range strings.SplitSeq(strings.Trim(s, "|"), "|") {
		if strings.Contains(cell, "-") {
			cols++
		} else if strings.TrimSpace(cell) != "" {
			return 0
		}
	}
	if cols < 2 && !strings.Contains(s, "|") {
		return 0 // a thematic break or a setext underline, not a table
	}
	return cols
}
