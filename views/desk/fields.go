package desk

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/account"
	"github.com/quire-cms/quire/internal/article"
	"github.com/quire-cms/quire/internal/mail"
	"github.com/quire-cms/quire/internal/media"
	"github.com/quire-cms/quire/internal/publisher"
	"github.com/quire-cms/quire/internal/webhook"
	"github.com/quire-cms/quire/internal/workflow"
)

// Input is one labelled control of a form. Name is its form name, which
// values and errors are keyed by (the domain's Field constants); Label is
// what the screen says, and may change without hiding any error.
type Input struct {
	Name  string
	Label string
	// Type is an input type, or "textarea", "checkboxes" or "select"
	// (whose options are the Form's Choices for Name), or "credits" (the
	// Form's Credits rows).
	Type         string
	Autocomplete string
	Required     bool
	Hint         string
	Rows         int // of a textarea
}

// TypeFor is the input type to render value in: a date, number or
// date-and-time control that comes back holding what it cannot hold (a
// refused "20/08/1940") is shown as text, so that what was typed is kept
// and the page stays valid HTML.
func (in Input) TypeFor(value string) string {
	if value == "" {
		return in.Type
	}
	var err error
	switch in.Type {
	case "date":
		_, err = time.Parse("2006-01-02", value)
	case "datetime-local":
		if _, err = time.Parse("2006-01-02T15:04", value); err != nil {
			_, err = time.Parse("2006-01-02T15:04:05", value)
		}
	case "number":
		_, err = strconv.ParseFloat(value, 64)
	}
	if err != nil {
		return "text"
	}
	return in.Type
}

// ID is the control's HTML id (a fieldset's, for checkboxes).
func (in Input) ID() string { return "f-" + strings.ReplaceAll(in.Name, "_", "-") }

// FocusY is the name of a focal point control's second number, beside
// its first, in.Name.
func FocusY(in Input) string { return strings.TrimSuffix(in.Name, "_x") + "_y" }

// Fields are one form's controls, in screen order: the one table the
// handler keeps values by and the template renders.
type Fields []Input

// Get returns the field named name. A template asking for a field its
// table lacks is a programming error, caught by rendering the page.
func (fs Fields) Get(name string) Input {
	for _, in := range fs {
		if in.Name == name {
			return in
		}
	}
	panic("desk: no field " + name)
}

// Names lists the fields' form names, except passwords, which a form never
// sends back.
func (fs Fields) Names() []string {
	var out []string
	for _, in := range fs {
		switch in.Type {
		case "password", "file":
		case "focus":
			out = append(out, in.Name, FocusY(in))
		default:
			out = append(out, in.Name)
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// The forms' fields. The labels are the words of DESIGN.md, which editors
// and the browser tests find the controls by.
var (
	ArticleFields = Fields{
		{Name: article.FieldTitle, Label: "Title", Type: "text", Required: true},
		{Name: article.FieldSlug, Label: "Slug", Type: "text", Hint: "The address: /articles/slug. Leave empty to make one from the title."},
		{Name: article.FieldDek, Label: "Dek", Type: "textarea", Rows: 2, Hint: "The standfirst shown under the title and in listings."},
		{Name: article.FieldLeadImage, Label: "Lead image", Type: "select",
			Hint: "Shown above the body, in link previews and on listing cards. The library's newest 100 are listed; upload a new one in Media or at the end of this form."},
		{Name: article.FieldLeadAlt, Label: "Alt text", Type: "textarea", Rows: 2,
			Hint: "What the lead image shows, for readers who cannot see it. Empty: the library's alt text. Required before review."},
		{Name: article.FieldLeadCaption, Label: "Caption", Type: "text", Hint: "Empty: the library's caption."},
		{Name: article.FieldLeadCredit, Label: "Credit", Type: "text", Hint: "Empty: the library's credit."},
		{Name: article.FieldBody, Label: "Body", Type: "textarea", Rows: 18,
			Hint: "Markdown: blank lines between paragraphs, **bold**, *italic*, [link](https://…), ## heading."},
		{Name: article.FieldCategories, Label: "Categories", Type: "checkboxes"},
		{Name: article.FieldSubjects, Label: "Subjects", Type: "checkboxes"},
		{Name: article.FieldEventDate, Label: "Event date", Type: "date", Hint: "When the moment happened (orders subject timelines), as YYYY-MM-DD."},
		{Name: article.FieldReferenceTitle, Label: "Primary reference title", Type: "text"},
		{Name: article.FieldReferenceURL, Label: "Primary reference URL", Type: "url"},
		{Name: article.FieldAttribution, Label: "Attribution", Type: "text", Required: true},
		{Name: article.FieldCredits, Label: "Credits", Type: "credits",
			Hint: "Who did what, shown under the title: writers first, then the other roles. Set Order to rearrange; choose None to remove a credit. Save to get more empty rows."},
		{Name: article.FieldReadingMinutes, Label: "Reading time", Type: "number", Hint: "In minutes. Leave empty to compute it from the length of the body."},
		{Name: article.FieldChangeNote, Label: "Change note", Type: "text"},
		// Last, so that a file over the limit is refused with every field
		// above it read and given back.
		{Name: article.FieldLeadFile, Label: "Upload a lead image", Type: "file",
			Hint: "Or upload a new image here: it joins the media library and becomes the lead image, with the alt text, caption and credit above. JPEG, PNG, GIF or WebP."},
	}
	PublishFields = Fields{
		{Name: workflow.FieldMinor, Label: "Minor correction", Type: "checkbox",
			Hint: "For a typo or a small fix: readers' “Updated” date does not move and no update is announced."},
		{Name: workflow.FieldKind, Label: "Kind of change", Type: "select",
			Hint: "Corrections and clarifications head the article and are listed on the Corrections page; updates and editor's notes are listed at its end."},
		{Name: article.FieldChangeNote, Label: "Change note", Type: "textarea", Rows: 2,
			Hint: "What readers are told changed. A correction or clarification must say what it corrects."},
		{Name: workflow.FieldPublishAt, Label: "Publish at", Type: "datetime-local"},
	}
	ReviewFields = Fields{
		{Name: workflow.FieldComment, Label: "Comment", Type: "textarea", Rows: 4,
			Hint: "The author sees this. Say what needs to change when you request changes."},
	}
	LoginFields = Fields{
		{Name: account.FieldEmail, Label: "Email", Type: "email", Autocomplete: "username", Required: true},
		{Name: account.FieldPassword, Label: "Password", Type: "password", Autocomplete: "current-password", Required: true},
	}
	SetupFields = Fields{
		{Name: account.FieldName, Label: "Name", Type: "text", Autocomplete: "name", Required: true},
		{Name: account.FieldEmail, Label: "Email", Type: "email", Autocomplete: "username", Required: true},
		{Name: account.FieldPassword, Label: "Password", Type: "password", Autocomplete: "new-password", Required: true,
			Hint: "At least 12 characters; a few unrelated words make a strong password."},
	}
	InviteFields = Fields{
		{Name: account.FieldEmail, Label: "Email", Type: "email", Autocomplete: "off", Required: true},
		{Name: account.FieldName, Label: "Name", Type: "text", Autocomplete: "off", Required: true},
		{Name: account.FieldRole, Label: "Role", Type: "select"},
	}
	ForgotFields = Fields{
		{Name: account.FieldEmail, Label: "Email", Type: "email", Autocomplete: "username", Required: true,
			Hint: "The address of your Quire account. We mail it a link to choose a new password."},
	}
	ResetFields = Fields{
		{Name: account.FieldNewPassword, Label: "New password", Type: "password", Autocomplete: "new-password", Required: true,
			Hint: "At least 12 characters; a few unrelated words make a strong password."},
	}
	AcceptFields = Fields{
		{Name: account.FieldPassword, Label: "Password", Type: "password", Autocomplete: "new-password", Required: true,
			Hint: "At least 12 characters; a few unrelated words make a strong password."},
	}
	CodeFields = Fields{
		{Name: account.FieldCode, Label: "Code", Type: "text", Autocomplete: "one-time-code", Required: true,
			Hint: "The 6-digit code your authenticator app shows now, or one of your recovery codes."},
	}
	TokenFields = Fields{
		{Name: account.FieldTokenName, Label: "Name", Type: "text", Required: true, Hint: "What uses it, such as “Partner site” or “Newsletter”."},
		{Name: account.FieldTokenScope, Label: "Scope", Type: "select"},
		{Name: account.FieldTokenExpires, Label: "Expires", Type: "date", Hint: "The last day it works. Leave empty for a token that works until it is revoked."},
	}
	WebhookFields = Fields{
		{Name: webhook.FieldURL, Label: "URL", Type: "url", Required: true,
			Hint: "Where Quire posts each event, signed, such as https://partner.example/quire-events. Only public addresses are reached."},
		{Name: webhook.FieldEvents, Label: "Events", Type: "checkboxes"},
	}
	TwoFactorManageFields = Fields{
		{Name: account.FieldCurrentPassword, Label: "Current password", Type: "password", Autocomplete: "current-password", Required: true},
	}
	PasswordFields = Fields{
		{Name: account.FieldCurrentPassword, Label: "Current password", Type: "password", Autocomplete: "current-password", Required: true},
		{Name: account.FieldNewPassword, Label: "New password", Type: "password", Autocomplete: "new-password", Required: true},
	}
	SettingsFields = Fields{
		{Name: publisher.FieldName, Label: "Network name", Type: "text", Autocomplete: "organization", Required: true},
		{Name: publisher.FieldShortName, Label: "Short name", Type: "text", Required: true,
			Hint: "Shown after the network's name, as in “History Editorial Network (HEN)”."},
		{Name: publisher.FieldAttribution, Label: "Default attribution", Type: "text", Required: true,
			Hint: "The “Updated By” line new articles start with."},
		{Name: publisher.FieldTagline, Label: "Tagline", Type: "text"},
		{Name: publisher.FieldTimeZone, Label: "Time zone", Type: "text", Required: true,
			Hint: "Readers' dates and the desk's times, including Publish at, are in this zone: an IANA name such as Europe/London."},
		{Name: publisher.FieldWordsPerMinute, Label: "Words per minute", Type: "number", Required: true,
			Hint: "The reading speed reading times are computed with, when an article does not set its own."},
		{Name: publisher.FieldShowReview, Label: "Show review on articles", Type: "checkbox",
			Hint: "Articles say who approved the version readers see, and when, from the review record."},
		{Name: publisher.FieldTwoFactor, Label: "Require two-factor for", Type: "select",
			Hint: "Whoever it covers and has not set it up is taken to set it up right after their password."},
	}
	CategoryFields = Fields{
		{Name: article.FieldName, Label: "Name", Type: "text", Required: true},
		{Name: article.FieldSlug, Label: "Slug", Type: "text", Hint: "Leave empty to make one from the name. Changing it changes the page's address."},
		{Name: article.FieldDescription, Label: "Description", Type: "textarea", Rows: 3},
	}
	ContributorFields = Fields{
		{Name: article.FieldName, Label: "Name", Type: "text", Required: true},
		{Name: article.FieldSlug, Label: "Slug", Type: "text",
			Hint: "The page's address: /contributors/slug. Leave empty to make one from the name; the old address redirects after a change."},
		{Name: article.FieldBio, Label: "Short bio", Type: "textarea", Rows: 3},
		{Name: article.FieldAffiliation, Label: "Affiliation", Type: "text", Hint: "A university, archive or newsroom, as readers should see it."},
		{Name: article.FieldWebsite, Label: "Website", Type: "url"},
		{Name: article.FieldLinks, Label: "Profile links", Type: "textarea", Rows: 3,
			Hint: "One web address per line (a university page, ORCID, Wikidata): they tell search engines who this is."},
		{Name: article.FieldAccount, Label: "Desk account", Type: "select", Hint: "Guest contributors have none."},
		{Name: article.FieldHidden, Label: "Hidden", Type: "checkbox",
			Hint: "No public page, and no new credits. Articles that credit them keep the credit."},
	}
	MediaDetailFields = Fields{
		{Name: media.FieldAlt, Label: "Alt text", Type: "textarea", Rows: 2,
			Hint: "What the image shows, for readers who cannot see it. Required before an article showing it goes to review, unless it is decorative."},
		{Name: media.FieldDecorative, Label: "Decorative", Type: "checkbox",
			Hint: "The image adds nothing a reader needs to know; screen readers skip it."},
		{Name: media.FieldCaption, Label: "Caption", Type: "textarea", Rows: 2},
		{Name: media.FieldCredit, Label: "Credit", Type: "text", Hint: "Who made it, as readers see it: “Photo: Jane Doe / Archive”."},
		{Name: media.FieldSourceURL, Label: "Source URL", Type: "url", Hint: "Where the image came from: an archive's record, a museum's page."},
		{Name: media.FieldLicence, Label: "Licence", Type: "text", Hint: "Such as “Public domain” or “CC BY-SA 4.0”."},
		{Name: media.FieldFocusX, Label: "Focal point", Type: "focus",
			Hint: "The point every crop keeps, in percent across from the left and down from the top. With JavaScript, click the preview to set it."},
	}
	// The file last, so that one over the limit is refused with the
	// details above it read and given back.
	MediaUploadFields = append(slices.Clip(MediaDetailFields), Input{Name: media.FieldFile, Label: "File", Type: "file", Required: true,
		Hint: "JPEG, PNG, GIF or WebP. Its metadata (camera, place) is never shown to readers."})
	SubjectFields = Fields{
		CategoryFields[0], CategoryFields[1],
		{Name: article.FieldHubTitle, Label: "Hub title", Type: "text",
			Hint: "The heading of the subject's timeline; empty means “Life Moments of” and the name."},
		CategoryFields[2],
	}
)

// NotificationFields are the Account page's choices, one select per kind
// of notification, named by the kind.
func NotificationFields() Fields {
	out := make(Fields, len(mail.Notifications))
	for i, k := range mail.Notifications {
		out[i] = Input{Name: string(k), Label: k.Label(), Type: "select"}
	}
	return out
}
