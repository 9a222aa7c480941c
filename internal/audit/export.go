package audit

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/quire-cms/quire/internal/record"
)

// Export formats: one JSON object per line, or CSV with a header row.
const (
	JSONLines = "jsonl"
	CSV       = "csv"
)

// Exporter writes audit events for archiving outside Quire.
type Exporter struct {
	json *json.Encoder
	csv  *csv.Writer
}

// exported is an event as an export writes it; the CSV columns are these
// fields in this order. With at, actor_id, action, article_id, revision_id
// and detail, the JSON Lines export holds all an audit entry's hash is
// made of (see internal/record), so an archive can recompute the chain;
// CSV cells may be defused (see cell).
type exported struct {
	ID             int64  `json:"id"`
	At             string `json:"at"`
	ActorID        int64  `json:"actor_id"`
	Actor          string `json:"actor"`
	Action         string `json:"action"`
	ArticleID      int64  `json:"article_id"`
	ArticleTitle   string `json:"article_title"`
	RevisionID     int64  `json:"revision_id"`
	RevisionNumber int    `json:"revision_number"`
	Detail         string `json:"detail"`
	ChainHash      string `json:"chain_hash"`
}

var csvHeader = []string{"id", "at", "actor_id", "actor", "action", "article_id", "article_title", "revision_id", "revision_number", "detail", "chain_hash"}

// NewExporter returns an exporter writing format to w, or an error naming
// the formats there are.
func NewExporter(w io.Writer, format string) (*Exporter, error) {
	switch format {
	case JSONLines, "":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return &Exporter{json: enc}, nil
	case CSV:
		x := &Exporter{csv: csv.NewWriter(w)}
		return x, x.csv.Write(csvHeader)
	}
	return nil, fmt.Errorf("unknown format %q: use %s or %s", format, JSONLines, CSV)
}

// Write writes one event.
func (x *Exporter) Write(e Event) error {
	r := exported{ID: e.ID, At: record.Time(e.At), ActorID: e.ActorID, Actor: e.Actor, Action: string(e.Action),
		ArticleID: e.ArticleID, ArticleTitle: e.ArticleTitle, RevisionID: e.RevisionID, RevisionNumber: e.RevisionNumber,
		Detail: e.Detail, ChainHash: e.ChainHash}
	if x.json != nil {
		return x.json.Encode(r)
	}
	return x.csv.Write([]string{strconv.FormatInt(r.ID, 10), r.At, strconv.FormatInt(r.ActorID, 10), cell(r.Actor), r.Action,
		strconv.FormatInt(r.ArticleID, 10), cell(r.ArticleTitle), strconv.FormatInt(r.RevisionID, 10), strconv.Itoa(r.RevisionNumber),
		cell(r.Detail), r.ChainHash})
}

// Flush writes out anything buffered and reports any error writing.
func (x *Exporter) Flush() error {
	if x.csv == nil {
		return nil
	}
	x.csv.Flush()
	return x.csv.Error()
}

// cell defuses text a spreadsheet would run as a formula (an article
// titled "=HYPERLINK(…)"), as OWASP advises: an apostrophe before any
// formula character that starts the cell or follows a separator, since a
// spreadsheet set to split at ';' or ',' splits cells the CSV quoted not.
func cell(s string) string {
	var b strings.Builder
	start := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if start && strings.IndexByte("=+-@\t\r", c) >= 0 {
			b.WriteByte('\'')
		}
		b.WriteByte(c)
		switch {
		case c == ';' || c == ',' || c == '\n':
			start = true
		case c != ' ':
			start = false
		}
	}
	return b.String()
}
