package publishing_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/media/mediatest"
	"github.com/quire-cms/quire/internal/publishing"
	"github.com/quire-cms/quire/internal/publishing/publishingtest"
	"github.com/quire-cms/quire/internal/workflow"
)

// TestRevisionsPinTheirImages: a published revision keeps the words its
// images were saved with whatever the library says later; an image a
// revision shows cannot be deleted, only withdrawn; and a revision showing
// a withdrawn image cannot be restored.
func TestRevisionsPinTheirImages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := publishingtest.New(t)
	upload := func(data []byte, d media.Details) media.Item {
		t.Helper()
		d.FocusX, d.FocusY = media.Centre, media.Centre
		it, existing, err := e.Pub.UploadMedia(ctx, e.Editor, publishing.Upload{Data: data, FileName: "photo.jpg", Details: d})
		if err != nil || existing {
			t.Fatalf("UploadMedia() = %+v, %v, %v", it, existing, err)
		}
		return it
	}
	lead := upload(mediatest.JPEG(800, 500), media.Details{Alt: "A desk", Caption: "The study.", Credit: "Photo: Archive",
		SourceURL: "https://archive.example/1", Licence: "Public domain"})
	inBody := upload(mediatest.PNG(400, 300), media.Details{Alt: "A map", Caption: "Coyoacán.", Credit: "Map: Archive"})

	// The same bytes again are the same image.
	again, existing, err := e.Pub.UploadMedia(ctx, e.Editor, publishing.Upload{Data: mediatest.JPEG(800, 500),
		Details: media.Details{Alt: "Other words", FocusX: 50, FocusY: 50}})
	if err != nil || !existing || again.ID != lead.ID || again.Alt != "A desk" {
		t.Fatalf("a duplicate upload = %+v, %v, %v", again, existing, err)
	}
	// Reviewers only look.
	if _, _, err := e.Pub.UploadMedia(ctx, e.Reviewer, publishing.Upload{Data: mediatest.JPEG(10, 10)}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a reviewer's upload: %v", err)
	}

	d := e.Draft("Pinned")
	d.Body = "Before.\n\n![](/media/" + strconv.FormatInt(inBody.ID, 10) + ")\n\nAfter."
	d.LeadImage = strconv.FormatInt(lead.ID, 10)
	a, _ := e.PublishDraft(d)

	// The library's words change; the published revision's do not.
	if _, err := e.Pub.SaveMediaDetails(ctx, e.Editor, lead.ID, media.Details{Alt: "New alt", Caption: "New caption",
		Credit: "New credit", SourceURL: "https://elsewhere.example/", Licence: "CC BY 4.0", FocusX: 50, FocusY: 50}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pub.SaveMediaDetails(ctx, e.Editor, inBody.ID, media.Details{Alt: "New map alt", Caption: "New map caption", FocusX: 50, FocusY: 50}); err != nil {
		t.Fatal(err)
	}
	live, err := e.Read.Article(ctx, a.Slug)
	if err != nil {
		t.Fatal(err)
	}
	want := article.Lead{MediaID: lead.ID, Alt: "A desk", Caption: "The study.", Credit: "Photo: Archive",
		SourceURL: "https://archive.example/1", Licence: "Public domain"}
	if live.Revision.Lead != want {
		t.Errorf("live lead = %+v, want %+v", live.Revision.Lead, want)
	}
	if body := live.Revision.BodyHTML; !strings.Contains(body, "Coyoacán.") || !strings.Contains(body, `alt="A map"`) || strings.Contains(body, "New map") {
		t.Errorf("live body = %s", body)
	}

	// Used: deletion is refused, withdrawal is not.
	if _, err := e.Pub.DeleteMedia(ctx, workflow.System, lead.ID); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("deleting a used image: %v", err)
	}
	if _, err := e.Pub.WithdrawMedia(ctx, e.Editor, inBody.ID); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an editor's withdrawal: %v", err)
	}
	// A newer revision without the body image, then the image withdrawn:
	// going back to the revision that showed it is refused.
	d.Body = "Rewritten without the map."
	saved, err := e.Pub.Save(ctx, e.Editor, a.ID, 1, e.Prepare(d))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pub.WithdrawMedia(ctx, workflow.System, inBody.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pub.Restore(ctx, e.Editor, a.ID, saved.Revision.Number, 1); apperr.CodeOf(err) != apperr.Conflict ||
		!strings.Contains(apperr.MessageOf(err), "withdrawn") {
		t.Errorf("restoring a revision with a withdrawn image: %v", err)
	}
	// Saving a body that still names it is refused, by the image's number.
	d.Body = "![](/media/" + strconv.FormatInt(inBody.ID, 10) + ")"
	if _, err := e.Pub.Save(ctx, e.Editor, a.ID, saved.Revision.Number, e.Prepare(d)); !strings.Contains(apperr.FieldsOf(err)[article.FieldBody], "was withdrawn") {
		t.Errorf("saving a withdrawn image: %v", err)
	}
	// An image nobody showed goes entirely.
	spare := upload(mediatest.GIF(40, 30), media.Details{Decorative: true})
	if _, err := e.Pub.DeleteMedia(ctx, workflow.System, spare.ID); err != nil {
		t.Errorf("deleting an unused image: %v", err)
	}
	if _, err := e.Pub.MediaItem(ctx, spare.ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("the deleted image: %v", err)
	}
}
