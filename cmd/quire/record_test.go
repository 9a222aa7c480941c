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
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var first struct {
		ID        int64  `json:"id"`
		Action    string `json:"action"`
		ChainHash string `json:"chain_hash"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.ID != 1 || first.Action == "" || len(first.ChainHash) != 64 {
		t.Fatalf("first JSON line %q: %+v, %v", lines[0], first, err)
	}
	out, err = quire("audit", "export", "--format", "csv", "--since", "2000-01-01")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != len(lines)+1 || rows[0][0] != "id" || rows[0][9] != "chain_hash" {
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
