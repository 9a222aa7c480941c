package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quire-cms/quire/internal/record"
	"github.com/quire-cms/quire/internal/store/storetest"
)

func TestVerifyAndAuditExport(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "quire.db")
	vars := map[string]string{"QUIRE_DATABASE": storetest.Location(t, path)}
	getenv := func(k string) string { return vars[k] }
	quire := func(args ...string) (string, error) {
		var stdout bytes.Buffer
		err := run(context.Background(), args, getenv, strings.NewReader(""), &stdout, io.Discard)
		return stdout.String(), err
	}
	if _, err := quire("demo"); err != nil {
		t.Fatal(err)
	}
	out, err := quire("verify")
	if err != nil || !strings.HasPrefix(out, "verified 1 publications and ") || !strings.Contains(out, "audit head:") {
		t.Fatalf("quire verify = %q, %v", out, err)
	}
	head := strings.TrimSpace(out[strings.Index(out, "publications head:")+len("publications head:"):][:66])
	if out, err := quire("verify", "--head", head); err != nil || !strings.Contains(out, "the 1 head(s) you kept are in the record") {
		t.Errorf("quire verify --head %s = %q, %v", head, out, err)
	}

	out, err = quire("audit", "export")
	if err != nil {
		t.Fatal(err)
	}
	// The JSON Lines hold all each entry's hash is made of: an archive can
	// recompute the chain from them alone.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	previous := ""
	for _, line := range lines {
		var e struct {
			ID         int64  `json:"id"`
			At         string `json:"at"`
			ActorID    int64  `json:"actor_id"`
			Action     string `json:"action"`
			ArticleID  int64  `json:"article_id"`
			RevisionID int64  `json:"revision_id"`
			Detail     string `json:"detail"`
			ChainHash  string `json:"chain_hash"`
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("JSON line %q: %v", line, err)
		}
		hash := record.Event{At: e.At, Actor: e.ActorID, Action: e.Action, Article: e.ArticleID, Revision: e.RevisionID, Detail: e.Detail}.Hash()
		if previous = record.Chain(previous, hash); previous != e.ChainHash {
			t.Fatalf("entry %d: the chain recomputed from the export is %s, the export says %s", e.ID, previous, e.ChainHash)
		}
	}
	out, err = quire("audit", "export", "--format", "csv", "--since", "2000-01-01")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != len(lines)+1 || rows[0][0] != "id" || rows[0][10] != "chain_hash" {
		t.Fatalf("CSV export: %d rows (want %d and a header), %v:\n%s", len(rows), len(lines)+1, err, out)
	}
	if out, _ := quire("audit", "export", "--since", "2999-01-01"); out != "" {
		t.Errorf("export since a future day = %q, want nothing", out)
	}
	for _, bad := range [][]string{{"audit"}, {"audit", "export", "--format", "xml"}, {"audit", "export", "--since", "yesterday"},
		{"audit", "export", "extra", "--format", "csv"}, {"verify", "extra"}} {
		if _, err := quire(bad...); err == nil {
			t.Errorf("quire %v: no error", bad)
		}
	}

	// Someone with the database's password rewrites what was published.
	drop := "DROP TRIGGER publications_sealed"
	if storetest.Postgres() {
		drop += " ON publications"
	}
	if err := storetest.Exec(t, path, drop, "UPDATE publications SET note = 'nothing to see'"); err != nil {
		t.Fatal(err)
	}
	out, err = quire("verify")
	if err == nil || !strings.Contains(out, "record broken: publication 1 (version 1 of article 1)") {
		t.Fatalf("quire verify after tampering = %q, %v; want the break and an error", out, err)
	}
}
