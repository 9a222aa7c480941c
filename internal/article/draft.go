package article

import (
	"errors"
	"strconv"
	"strings"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/markup"
)

// Form names of the article form's fields. Validation errors are keyed by
// them, so that a message sits beside its control whatever the label says.
const (
	FieldTitle          = "title"
	FieldSlug           = "slug"
	FieldDek            = "dek"
	FieldBody           = "body"
	FieldCategories     = "categories"
	FieldSubjects       = "subjects"
	FieldEventDate      = "event_date"
	FieldReferenceTitle = "reference_title"
	FieldReferenceURL   = "reference_url"
	FieldAttribution    = "attribution"
	FieldReadingMinutes = "reading_minutes"
	FieldChangeNote     = "change_note"
	FieldLeadImage      = "lead_image"
	FieldLeadAlt        = "lead_alt"
	FieldLeadCaption    = "lead_caption"
	FieldLeadCredit     = "lead_credit"
	// FieldLeadFile is the article form's upload of a new lead image.
	FieldLeadFile = "lead_file"
)

// Limits of an image's words, in characters, in the library and beside
// a lead image.
const (
	MaxAltLen     = 500
	MaxCaptionLen = 1000
	MaxCreditLen  = 300
	// MaxBodyImages bounds the images one body shows.
	MaxBodyImages = 100
)

// Draft is what an editor submits to save a revision, as typed.
type Draft struct {
	Title          string
	Slug           string
	Dek            string
	Body           string // Markdown
	CategoryIDs    []int64
	SubjectIDs     []int64
	Credits        []CreditInput
	EventDate      string // YYYY-MM-DD or empty
	ReferenceTitle string
	ReferenceURL   string
	Attribution    string
	ReadingMinutes string // an override in whole minutes, or empty to compute
	ChangeNote     string
	// LeadImage names the lead image: its number in the library or its
	// address (/media/12), or empty for none.
	LeadImage                        string
	LeadAlt, LeadCaption, LeadCredit string
}

// Prepare validates a draft and turns it into the content of a new revision:
// the body rendered and sanitized, words counted and reading time computed at
// wpm words per minute. Categories and subjects carry only their ids; the
// store checks that they exist, as it does for the credited contributors. All field errors are reported at once.
func Prepare(d Draft, r *markup.Renderer, wpm int) (Revision, error) {
	v := apperr.Validation{}
	rev := Revision{
		Slug:        strings.TrimSpace(d.Slug),
		Title:       strings.TrimSpace(d.Title),
		Dek:         strings.TrimSpace(d.Dek),
		Attribution: strings.TrimSpace(d.Attribution),
		ChangeNote:  strings.TrimSpace(d.ChangeNote),
		Reference: Reference{
			Title: strings.TrimSpace(d.ReferenceTitle),
			URL:   strings.TrimSpace(d.ReferenceURL),
		},
		BodyMarkdown: d.Body,
	}

	switch {
	case rev.Title == "":
		v.Add(FieldTitle, "Enter a title.")
	case tooLong(rev.Title, MaxTitleLen):
		v.Add(FieldTitle, "Keep the title under 300 characters.")
	}
	if rev.Slug == "" {
		rev.Slug = Slugify(rev.Title)
	}
	if !ValidSlug(rev.Slug) {
		v.Add(FieldSlug, "Use lowercase letters, digits and single hyphens (for example trotsky-assassinated), at most 100 characters.")
	}
	if tooLong(rev.Dek, MaxDekLen) {
		v.Add(FieldDek, "Keep the dek under 1,000 characters.")
	}
	switch {
	case strings.TrimSpace(d.Body) == "":
		v.Add(FieldBody, "Write the body of the article.")
	case len(d.Body) > MaxBodyBytes:
		v.Add(FieldBody, "The body is over the 1 MiB limit; split it into several articles.")
	}
	if d.EventDate = strings.TrimSpace(d.EventDate); d.EventDate != "" {
		date, ok := ParseDate(d.EventDate)
		if !ok {
			v.Add(FieldEventDate, "Enter the date as YYYY-MM-DD, for example 1940-08-20.")
		}
		rev.EventDate = date
	}
	if tooLong(rev.Reference.Title, MaxShortTextLen) {
		v.Add(FieldReferenceTitle, "Keep the reference title under 300 characters.")
	}
	switch {
	case rev.Reference.URL != "" && !ValidReferenceURL(rev.Reference.URL):
		v.Add(FieldReferenceURL, "Enter a web address starting with http:// or https://.")
	case rev.Reference.URL != "" && rev.Reference.Title == "":
		v.Add(FieldReferenceTitle, "Name the reference the link points to.")
	case rev.Reference.URL == "" && rev.Reference.Title != "":
		v.Add(FieldReferenceURL, "Add the web address of the reference.")
	}
	switch {
	case rev.Attribution == "":
		v.Add(FieldAttribution, "Enter who the article is attributed to.")
	case tooLong(rev.Attribution, MaxShortTextLen):
		v.Add(FieldAttribution, "Keep the attribution under 300 characters.")
	}
	if minutes := strings.TrimSpace(d.ReadingMinutes); minutes != "" {
		n, err := strconv.Atoi(minutes)
		if err != nil || n < 1 || n > MaxReadingMinutes {
			v.Add(FieldReadingMinutes, "Enter whole minutes between 1 and 600, or leave empty to compute it.")
		}
		rev.ReadingMinutesOverride = n
	}
	if tooLong(rev.ChangeNote, MaxChangeNoteLen) {
		v.Add(FieldChangeNote, "Keep the change note under 1,000 characters.")
	}
	for _, id := range d.CategoryIDs {
		rev.Categories = append(rev.Categories, Category{ID: id})
	}
	for _, id := range d.SubjectIDs {
		rev.Subjects = append(rev.Subjects, Subject{ID: id})
	}
	rev.Credits = prepareCredits(v, d.Credits)
	rev.Lead = prepareLead(v, d)
	if err := v.Err(); err != nil {
		return Revision{}, err
	}

	body, err := r.Render(d.Body)
	var tooComplex *markup.TooComplexError
	if errors.As(err, &tooComplex) {
		return Revision{}, apperr.Field(FieldBody, tooComplex.Reason)
	}
	if err != nil {
		return Revision{}, err
	}
	if len(body.Images) > MaxBodyImages {
		return Revision{}, apperr.Field(FieldBody, "The body shows more than 100 images; split it into several articles.")
	}
	rev.BodyHTML, rev.BodyText, rev.WordCount = body.HTML, body.Text, body.WordCount
	for _, id := range body.Images {
		rev.Images = append(rev.Images, ImageUse{MediaID: id})
	}
	rev.ReadingMinutes = ReadingMinutes(rev.WordCount, wpm)
	if rev.ReadingMinutesOverride > 0 {
		rev.ReadingMinutes = rev.ReadingMinutesOverride
	}
	return rev, nil
}

// prepareLead reads the lead image's fields: which image (by number or
// address), and the words to show with it.
func prepareLead(v apperr.Validation, d Draft) Lead {
	l := Lead{Alt: strings.Join(strings.Fields(d.LeadAlt), " "), Caption: strings.TrimSpace(d.LeadCaption), Credit: strings.TrimSpace(d.LeadCredit)}
	if raw := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(d.LeadImage), "/media/"), "#"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			v.Add(FieldLeadImage, "Choose an image from the media library.")
		}
		l.MediaID = id
	}
	if tooLong(l.Alt, MaxAltLen) {
		v.Add(FieldLeadAlt, "Keep the alt text under 500 characters; the caption can say more.")
	}
	if tooLong(l.Caption, MaxCaptionLen) {
		v.Add(FieldLeadCaption, "Keep the caption under 1,000 characters.")
	}
	if tooLong(l.Credit, MaxCreditLen) {
		v.Add(FieldLeadCredit, "Keep the credit under 300 characters.")
	}
	if l.MediaID == 0 && (l.Alt != "" || l.Caption != "" || l.Credit != "") {
		v.Add(FieldLeadImage, "Choose the lead image these words go with, or clear them.")
	}
	return l
}
