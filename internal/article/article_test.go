package article

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/markup"
)

func TestValidSlug(t *testing.T) {
	t.Parallel()
	tests := []struct {
		slug string
		want bool
	}{
		{"trotsky-assassinated", true},
		{"1940", true},
		{"a", true},
		{"", false},
		{"Trotsky", false},
		{"double--hyphen", false},
		{"-leading", false},
		{"trailing-", false},
		{"under_score", false},
		{"slash/inside", false},
		{"ünïcode", false},
		{"space inside", false},
		{strings.Repeat("a", MaxSlugLen), true},
		{strings.Repeat("a", MaxSlugLen+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			if got := ValidSlug(tt.slug); got != tt.want {
				t.Errorf("ValidSlug(%q) = %v, want %v", tt.slug, got, tt.want)
			}
		})
	}
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	tests := []struct{ title, want string }{
		{"Trotsky's Assassination Ends Stalin's Opposition", "trotskys-assassination-ends-stalins-opposition"},
		{"  Café Society, 1920s!  ", "cafe-society-1920s"},
		{"Лев Троцкий", "lev-trotskii"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			got := Slugify(tt.title)
			if got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.title, got, tt.want)
			}
			if !ValidSlug(got) {
				t.Errorf("Slugify(%q) = %q is not a valid slug", tt.title, got)
			}
		})
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Hello, World", "---", "Ωμέγα", "a\x00b", strings.Repeat("word ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		got := Slugify(title)
		if got != "" && !ValidSlug(got) {
			t.Fatalf("Slugify(%q) = %q, not a valid slug", title, got)
		}
	})
}

func TestReadingMinutes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		words, wpm int
		want       int
	}{
		{"empty body still takes a minute", 0, 200, 1},
		{"exact minutes", 400, 200, 2},
		{"partial minute rounds up", 401, 200, 3},
		{"slower readers", 330, 100, 4},
		{"nonsense speed falls back to one minute", 500, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadingMinutes(tt.words, tt.wpm); got != tt.want {
				t.Errorf("ReadingMinutes(%d, %d) = %d, want %d", tt.words, tt.wpm, got, tt.want)
			}
		})
	}
}

func day(d int) time.Time { return time.Date(2026, 1, d, 12, 0, 0, 0, time.UTC) }

func TestDates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		pubs                   []Publication
		wantPublished, wantUpd time.Time
	}{
		{"never published", nil, time.Time{}, time.Time{}},
		{"first publication sets both", []Publication{{PublishedAt: day(1)}}, day(1), day(1)},
		{"update moves Updated only", []Publication{{PublishedAt: day(1)}, {PublishedAt: day(5)}}, day(1), day(5)},
		{"minor correction moves neither", []Publication{{PublishedAt: day(1)}, {PublishedAt: day(5)}, {PublishedAt: day(9), Minor: true}}, day(1), day(5)},
		{"order does not matter", []Publication{{PublishedAt: day(5)}, {PublishedAt: day(1)}}, day(1), day(5)},
		{"a minor first publication still counts", []Publication{{PublishedAt: day(2), Minor: true}}, day(2), day(2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			published, updated := Dates(tt.pubs)
			if !published.Equal(tt.wantPublished) || !updated.Equal(tt.wantUpd) {
				t.Errorf("Dates() = %v, %v; want %v, %v", published, updated, tt.wantPublished, tt.wantUpd)
			}
		})
	}
}

func TestRecordAgreesWithDates(t *testing.T) {
	t.Parallel()
	pubs := []Publication{
		{RevisionID: 1, PublishedAt: day(1)},
		{RevisionID: 2, PublishedAt: day(3), Minor: true},
		{RevisionID: 3, PublishedAt: day(4)},
		{RevisionID: 4, PublishedAt: day(8), Minor: true},
	}
	var a Article
	for i, p := range pubs {
		a.Record(p)
		published, updated := Dates(pubs[:i+1])
		if !a.PublishedAt.Equal(published) || !a.UpdatedAt.Equal(updated) {
			t.Fatalf("after publication %d: Record gives %v/%v, Dates gives %v/%v", i+1, a.PublishedAt, a.UpdatedAt, published, updated)
		}
		if a.LiveRevisionID != p.RevisionID || a.State != Live {
			t.Fatalf("after publication %d: live revision %d state %s", i+1, a.LiveRevisionID, a.State)
		}
	}
}

func validDraft() Draft {
	return Draft{
		Title:          "Trotsky's Assassination Ends Stalin's Opposition",
		Body:           "Leon Trotsky was assassinated in Mexico.\n\nStalin's power was complete.",
		EventDate:      "1940-08-20",
		ReferenceTitle: "Assassination of Leon Trotsky",
		ReferenceURL:   "https://en.wikipedia.org/wiki/Assassination_of_Leon_Trotsky",
		Attribution:    "History Editorial Network (HEN)",
	}
}

func TestPrepare(t *testing.T) {
	t.Parallel()
	rev, err := Prepare(validDraft(), markup.New(), 200)
	if err != nil {
		t.Fatalf("Prepare() error = %v", err)
	}
	if rev.Slug != "trotskys-assassination-ends-stalins-opposition" {
		t.Errorf("Slug = %q, want one suggested from the title", rev.Slug)
	}
	if !strings.Contains(rev.BodyHTML, "<p>Leon Trotsky") {
		t.Errorf("BodyHTML = %q, want rendered paragraphs", rev.BodyHTML)
	}
	if rev.WordCount != 10 || rev.ReadingMinutes != 1 {
		t.Errorf("WordCount, ReadingMinutes = %d, %d; want 10, 1", rev.WordCount, rev.ReadingMinutes)
	}
	if got := rev.EventDate.Format(DateLayout); got != "1940-08-20" {
		t.Errorf("EventDate = %s", got)
	}
}

func TestPrepareReadingTimeOverride(t *testing.T) {
	t.Parallel()
	d := validDraft()
	d.ReadingMinutes = "4"
	rev, err := Prepare(d, markup.New(), 200)
	if err != nil {
		t.Fatal(err)
	}
	if rev.ReadingMinutes != 4 || rev.ReadingMinutesOverride != 4 {
		t.Errorf("ReadingMinutes = %d (override %d), want 4", rev.ReadingMinutes, rev.ReadingMinutesOverride)
	}
}

func TestPrepareRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Draft)
		field  string
	}{
		{"empty title", func(d *Draft) { d.Title = "   " }, FieldTitle},
		{"overlong title", func(d *Draft) { d.Title = strings.Repeat("x", MaxTitleLen+1) }, FieldTitle},
		{"malformed slug", func(d *Draft) { d.Slug = "Not A Slug" }, FieldSlug},
		{"empty body", func(d *Draft) { d.Body = "\n" }, FieldBody},
		{"oversized body", func(d *Draft) { d.Body = strings.Repeat("a", MaxBodyBytes+1) }, FieldBody},
		{"unparsable event date", func(d *Draft) { d.EventDate = "20 August 1940" }, FieldEventDate},
		{"impossible event date", func(d *Draft) { d.EventDate = "1940-02-30" }, FieldEventDate},
		{"javascript reference", func(d *Draft) { d.ReferenceURL = "javascript:alert(1)" }, FieldReferenceURL},
		{"data reference", func(d *Draft) { d.ReferenceURL = "data:text/html,hi" }, FieldReferenceURL},
		{"relative reference", func(d *Draft) { d.ReferenceURL = "/wiki/Trotsky" }, FieldReferenceURL},
		{"reference link without title", func(d *Draft) { d.ReferenceTitle = "" }, FieldReferenceTitle},
		{"empty attribution", func(d *Draft) { d.Attribution = "" }, FieldAttribution},
		{"non-numeric reading time", func(d *Draft) { d.ReadingMinutes = "four" }, FieldReadingMinutes},
		{"zero reading time", func(d *Draft) { d.ReadingMinutes = "0" }, FieldReadingMinutes},
		{"overlong change note", func(d *Draft) { d.ChangeNote = strings.Repeat("x", MaxChangeNoteLen+1) }, FieldChangeNote},
		{"credit with an unknown role", func(d *Draft) { d.Credits = []CreditInput{{ContributorID: "1", Role: "ghostwriter"}} }, FieldCredits},
		{"credit of a malformed contributor id", func(d *Draft) { d.Credits = []CreditInput{{ContributorID: "one", Role: "research"}} }, FieldCredits},
		{"same person twice in one role", func(d *Draft) {
			d.Credits = []CreditInput{{ContributorID: "1", Role: "research"}, {ContributorID: "2", Role: "research"}, {ContributorID: "1", Role: "research"}}
		}, FieldCredits},
		{"too many credits", func(d *Draft) {
			for i := range MaxCredits + 1 {
				d.Credits = append(d.Credits, CreditInput{ContributorID: strconv.Itoa(i + 1), Role: "research"})
			}
		}, FieldCredits},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDraft()
			tt.change(&d)
			_, err := Prepare(d, markup.New(), 200)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("Prepare() error = %v, want invalid", err)
			}
			if msg := apperr.FieldsOf(err)[tt.field]; msg == "" {
				t.Errorf("no message for %q in %v", tt.field, apperr.FieldsOf(err))
			}
		})
	}
}
