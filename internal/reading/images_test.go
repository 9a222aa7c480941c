package reading_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/media/mediatest"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/workflow"
)

// A listing's lead images are read in one query however many cards show
// one, and then each card finds its own without a query; a withdrawal
// moves the generation, and the withdrawn image is no card's any more.
func TestListingsReadTheirLeadImagesAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	if err := e.Pub.EnsureSettings(ctx); err != nil { // the row that holds the content generation
		t.Fatal(err)
	}
	for i := range 4 {
		it, _, err := e.Pub.UploadMedia(ctx, e.Editor, publishing.Upload{Data: mediatest.JPEG(100+i, 80),
			Details: media.Details{Alt: "Picture " + strconv.Itoa(i), FocusX: 50, FocusY: 50}})
		if err != nil {
			t.Fatal(err)
		}
		d := e.Draft("Illustrated " + strconv.Itoa(i))
		d.LeadImage = strconv.FormatInt(it.ID, 10)
		e.PublishDraft(d)
	}
	gen, err := e.Store.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items, _, err := e.Read.List(ctx, article.ListFilter{Limit: 10})
	if err != nil || len(items) != 4 {
		t.Fatalf("List() = %d items, %v", len(items), err)
	}
	before := e.Store.Statements()
	if err := e.Read.Remember(ctx, gen, items); err != nil {
		t.Fatal(err)
	}
	for _, p := range items {
		if it, ok, err := e.Read.Lead(ctx, gen, p.Revision.Lead); err != nil || !ok || it.ID != p.Revision.Lead.MediaID {
			t.Fatalf("Lead(%d) = %+v, %v, %v", p.Revision.Lead.MediaID, it, ok, err)
		}
	}
	if n := e.Store.Statements() - before; n != 1 {
		t.Errorf("four cards' lead images took %d statements, want 1", n)
	}

	gone := items[0].Revision.Lead.MediaID
	if _, err := e.Pub.WithdrawMedia(ctx, workflow.System, gone); err != nil {
		t.Fatal(err)
	}
	if gen, err = e.Store.Generation(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := e.Read.Lead(ctx, gen, items[0].Revision.Lead); ok || err != nil {
		t.Errorf("a withdrawn lead image is still shown (%v)", err)
	}
}
