package markup

import (
	"fmt"
	"strings"
)

// Limits on what one body may ask of the renderer. goldmark takes time
// quadratic in some constructs (containers nested deeply, runs of link,
// HTML or emphasis openers in one block) and pads every row of a table to
// the header's width, so a few kilobytes could otherwise take minutes, or
// gigabytes. Real articles stay far inside these bounds; with them, the
// worst 1 MiB body renders in well under two seconds (BenchmarkRenderWorst).
//
// The scan reads every line as Markdown, fenced code included: a scanner
// that followed goldmark's rules for where code ends less than exactly
// would let whatever it took for code go unchecked.
const (
	// MaxNesting bounds blockquotes and lists opened on one line.
	MaxNesting = 32
	// MaxIndent bounds, in columns, the whitespace a line's blocks are
	// indented by, which nests lists across lines.
	MaxIndent = 128
	// MaxOpenersPerBlock bounds '[' and '<' and runs of emphasis marks
	// ('*', '_', '~') in one block (lines between blank lines).
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
func checkLimits(source string) error {
	var (
		openers   int // in the current block
		tableCols int // of the table we are in, zero outside one
		cells     int
	)
	for line := range strings.Lines(source) {
		line = strings.TrimRight(line, "\r\n")
		body, depth, indent := containers(line)
		if depth > MaxNesting {
			return &TooComplexError{fmt.Sprintf("A line opens %d quotes or lists inside each other; Quire renders at most %d.", depth, MaxNesting)}
		}
		if indent > MaxIndent {
			return &TooComplexError{fmt.Sprintf("A line is indented by %d columns; Quire renders lists and quotes indented by at most %d.", indent, MaxIndent)}
		}
		if strings.TrimSpace(body) == "" {
			openers, tableCols = 0, 0
			continue
		}
		openers += strings.Count(line, "[") + strings.Count(line, "<") + emphasisRuns(line)
		if openers > MaxOpenersPerBlock {
			return &TooComplexError{fmt.Sprintf("A paragraph or code block has more than %d links, brackets, tags or emphasis marks; split it with blank lines.", MaxOpenersPerBlock)}
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

// emphasisRuns counts the runs of '*', '_' and '~' in line: each is a
// delimiter goldmark may try to pair with every other.
func emphasisRuns(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		if c := line[i]; (c == '*' || c == '_' || c == '~') && (i == 0 || line[i-1] != c) {
			n++
		}
	}
	return n
}

// containers strips the blockquote and list markers a line opens with,
// counts them, and measures the whitespace before and between them (a tab
// as four columns).
func containers(line string) (body string, depth, indent int) {
	for {
		rest := strings.TrimLeft(line, " \t")
		ws := line[:len(line)-len(rest)]
		indent += len(ws) + 3*strings.Count(ws, "\t")
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
				return line, depth, indent
			}
			line = rest[n+2:]
		}
		depth++
	}
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
