package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/store"
	"github.com/quire-cms/quire/internal/store/storetest"
)

// TestBodiesMoveCompressed: migration 20 moves every body an older Quire
// stored as plain text into the compressed table, byte for byte, and
// drops the old table; migration 21 writes each revision's links column
// from its link rows, in order.
func TestBodiesMoveCompressed(t *testing.T) {
	store.ShrinkMoveBatch(t, 2) // three bodies: a full batch, then a short one
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.Location(t, filepath.Join(t.TempDir(), "quire.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.MigrateTo(ctx, 18); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := st.Exec(ctx, `INSERT INTO articles (id, slug, state, created_at, updated_at) VALUES (1, 'old', 'never', ?, ?)`, now, now); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Trotsky's exile — «Троцкий» — ", 2000) // past the excerpt, and not ASCII
	bodies := []struct{ markdown, html, text string }{
		{"Some *body*.", "<p>Some <em>body</em>.</p>", "Some body."},
		{"", "", ""},
		{long, "<p>" + long + "</p>", long},
	}
	for i, b := range bodies {
		id := int64(i + 1)
		if err := st.Exec(ctx, `INSERT INTO revisions (id, article_id, number, created_at, slug, title, attribution, word_count, reading_minutes)
			VALUES (?, 1, ?, ?, 'old', 'Old', 'HEN', 1, 1)`, id, id, now); err != nil {
			t.Fatal(err)
		}
		if err := st.Exec(ctx, `INSERT INTO revision_bodies (revision_id, body_markdown, body_html, body_text) VALUES (?, ?, ?, ?)`,
			id, b.markdown, b.html, b.text); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO categories (id, slug, name, created_at) VALUES (1, 'war', 'War', ?), (2, 'politics', 'Politics', ?)`,
		`INSERT INTO subjects (id, slug, name, hub_title, created_at) VALUES (1, 'joseph-stalin', 'Joseph Stalin', 'Life Moments', ?), (2, 'x', 'X', 'X', ?)`,
		`INSERT INTO contributors (id, slug, name, created_at, updated_at) VALUES (1, 'ada', 'Ada', ?, ?)`,
	} {
		if err := st.Exec(ctx, q, now, now); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO revision_categories (revision_id, category_id, position) VALUES (1, 2, 0), (1, 1, 1)`,
		`INSERT INTO revision_subjects (revision_id, subject_id, position) VALUES (1, 1, 0)`,
		`INSERT INTO revision_credits (revision_id, position, contributor_id, role) VALUES (1, 0, 1, 'research')`,
		`INSERT INTO revision_subjects (revision_id, subject_id, position) VALUES (3, 2, 0)`,
	} {
		if err := st.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	revs, err := st.RevisionsByID(ctx, []int64{1, 2, 3})
	if err != nil || len(revs) != 3 {
		t.Fatalf("RevisionsByID() = %d revisions, %v", len(revs), err)
	}
	for i, rev := range revs {
		b := bodies[rev.ID-1]
		if rev.BodyMarkdown != b.markdown || rev.BodyHTML != b.html || rev.BodyText != b.text {
			t.Errorf("revision %d: body changed in the move", i+1)
		}
		if text, err := st.BodyText(ctx, rev.ID); err != nil || text != b.text {
			t.Errorf("BodyText(%d) changed in the move (%v)", rev.ID, err)
		}
	}
	if err := st.Exec(ctx, "SELECT 1 FROM revision_bodies"); err == nil {
		t.Error("revision_bodies is still there")
	}
	for _, rev := range revs {
		var got []string
		for _, c := range rev.Categories {
			got = append(got, c.Name)
		}
		for _, sub := range rev.Subjects {
			got = append(got, sub.Name)
		}
		for _, c := range rev.Credits {
			got = append(got, c.Contributor.Name+" ("+string(c.Role)+")")
		}
		want := map[int64]string{1: "Politics, War, Joseph Stalin, Ada (research)", 2: "", 3: "X"}[rev.ID]
		if strings.Join(got, ", ") != want {
			t.Errorf("revision %d links to %q, want %q", rev.ID, strings.Join(got, ", "), want)
		}
	}
	if err := st.MigrateDownTo(ctx, 18); err == nil || !strings.Contains(err.Error(), "cannot be undone") {
		t.Errorf("migrating down past 20 = %v, want it refused", err)
	}
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if revs, err := st.RevisionsByID(ctx, []int64{3}); err != nil || len(revs) != 1 || revs[0].BodyText != long {
		t.Errorf("after the refused way down, the body is lost (%v)", err)
	}
}
