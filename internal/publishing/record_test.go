package publishing_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/store/storetest"
)

// recorded is a database with an article published, corrected and updated,
// and the path to reach it behind Quire's back.
func recorded(t *testing.T) (*publishingtest.Env, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	e := publishingtest.On(t, storetest.Open(t, path))
	a := e.Publish("Trotsky Assassinated", "", "Trotsky died on 21 August.")
	at := a.PublishedAt
	fix := e.SaveApproved(a.ID, 1, "")
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, fix.ID, article.Change{Kind: article.ChangeCorrection, Note: "He died on 21 August, not 20 August."}, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	update := e.SaveApproved(a.ID, 2, "Added the autopsy report")
	if _, err := e.Pub.Publish(ctx, e.Editor, a.ID, update.ID, article.Change{}, at.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.Publish("Another article", "", "Body.")
	return e, path
}

func TestRecordVerifies(t *testing.T) {
	t.Parallel()
	e, path := recorded(t)
	v, err := e.Pub.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v.Break != "" || v.Publications != 4 || v.Events < 10 || len(v.PublicationsHead) != 64 || len(v.EventsHead) != 64 {
		t.Fatalf("Verify() = %+v, want 4 publications, the audit entries, both heads, no break", v)
	}

	// Heads noted earlier are still in the record; one never noted is not.
	if again, err := e.Pub.Verify(context.Background(), v.PublicationsHead, v.EventsHead); err != nil || again.Break != "" {
		t.Errorf("Verify(heads) = %+v, %v", again, err)
	}
	if again, _ := e.Pub.Verify(context.Background(), strings.Repeat("0", 64)); !strings.Contains(again.Break, "is nowhere in the record") {
		t.Errorf("Verify(a head never noted) break = %q", again.Break)
	}

	// The database itself refuses to change or drop what was recorded.
	refused := []string{
		"DELETE FROM publications",
		"UPDATE publications SET note = 'nothing happened'",
		"DELETE FROM audit_events",
		"UPDATE audit_events SET detail = 'nothing happened'",
		// As an older Quire, still running during an upgrade, would.
		"INSERT INTO audit_events (at, action, detail) VALUES ('2026-08-21 09:30:00', 'revision.saved', 'unsealed')",
	}
	if storetest.Postgres() {
		refused = append(refused, "TRUNCATE publications CASCADE", "TRUNCATE audit_events")
	}
	for _, stmt := range refused {
		if err := storetest.Exec(t, path, stmt); err == nil {
			t.Errorf("%s: allowed", stmt)
		}
	}
}

func TestRecordFindsTheFirstChangedRow(t *testing.T) {
	t.Parallel()
	drop := func(trigger, table string) string {
		if storetest.Postgres() {
			return "DROP TRIGGER " + trigger + " ON " + table
		}
		return "DROP TRIGGER " + trigger
	}
	tests := []struct {
		name       string
		statements []string
		want       string
	}{
		{"a correction's note rewritten",
			[]string{drop("publications_sealed", "publications"), "UPDATE publications SET note = 'A small fix.' WHERE version = 2"},
			"publication 2 (version 2 of article 1): what it published no longer matches"},
		{"a published revision rewritten",
			[]string{drop("revisions_immutable", "revisions"), "UPDATE revisions SET title = 'Trotsky Lives' WHERE number = 1"},
			"publication 1 (version 1 of article 1): what it published no longer matches"},
		{"a publication removed",
			[]string{drop("publications_kept", "publications"), "DELETE FROM publications WHERE id = 2"},
			"publication 3 (version 3 of article 1): its chain hash does not follow"},
		{"an audit entry reworded",
			[]string{drop("audit_events_sealed", "audit_events"), "UPDATE audit_events SET detail = 'nothing' WHERE id = 3"},
			"audit entry 3:"},
		{"an audit entry removed",
			[]string{drop("audit_events_kept", "audit_events"), "DELETE FROM audit_events WHERE id = 3"},
			"audit entry 4:"},
		{"a note rewritten and the hashes from there on removed, for sealing to make good",
			[]string{drop("publications_sealed", "publications"), "UPDATE publications SET note = 'A small fix.' WHERE version = 2",
				"UPDATE publications SET content_hash = '', chain_hash = '' WHERE id >= 2"},
			"publication 2 (version 2 of article 1) is not sealed"},
		{"an audit entry reworded and the hashes from there on removed",
			[]string{drop("audit_events_sealed", "audit_events"), "UPDATE audit_events SET detail = 'nothing', chain_hash = '' WHERE id >= 3"},
			"audit entry 3:"},
		{"an article pointed at a revision its publications did not put live",
			[]string{"UPDATE articles SET live_revision_id = (SELECT MIN(id) FROM revisions WHERE article_id = 1) WHERE id = 1"},
			"article 1 shows revision 1, which no publication put live last"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, path := recorded(t)
			if err := storetest.Exec(t, path, tt.statements...); err != nil {
				t.Fatal(err)
			}
			// As Quire's next start would.
			if _, err := e.Pub.Seal(context.Background()); err != nil {
				t.Fatal(err)
			}
			v, err := e.Pub.Verify(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(v.Break, tt.want) {
				t.Errorf("Verify() break = %q, want %q…", v.Break, tt.want)
			}
		})
	}
}

// Rows written before the record existed are sealed when Quire opens the
// database, and verify after.
func TestSealRecordsEarlierRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, path := recorded(t)
	unsealed := []string{
		"UPDATE publications SET content_hash = '', chain_hash = ''",
		"UPDATE audit_events SET chain_hash = ''",
	}
	if err := storetest.Exec(t, path, unsealed...); err == nil {
		t.Fatal("sealed rows were unsealed")
	}
	// As the migration left them: no hashes yet.
	drops := []string{"DROP TRIGGER publications_sealed", "DROP TRIGGER audit_events_sealed"}
	if storetest.Postgres() {
		drops = []string{"DROP TRIGGER publications_sealed ON publications", "DROP TRIGGER audit_events_sealed ON audit_events"}
	}
	if err := storetest.Exec(t, path, append(drops, unsealed...)...); err != nil {
		t.Fatal(err)
	}
	if v, _ := e.Pub.Verify(ctx); !strings.Contains(v.Break, "is not sealed") {
		t.Fatalf("Verify() before sealing: break %q, want not sealed", v.Break)
	}
	sealed, err := e.Pub.Seal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.Pub.Verify(ctx)
	if err != nil || v.Break != "" || sealed != v.Publications+v.Events {
		t.Fatalf("Seal() = %d, then Verify() = %+v, %v", sealed, v, err)
	}
	if again, err := e.Pub.Seal(ctx); err != nil || again != 0 {
		t.Errorf("Seal() again = %d, %v, want nothing to seal", again, err)
	}
}
