package article

import (
	"strings"
	"unicode/utf8"

	"github.com/quire-cms/quire/internal/apperr"
)

// Form names of the category and subject forms' own fields (they share
// FieldSlug with articles).
const (
	FieldName        = "name"
	FieldDescription = "description"
	FieldHubTitle    = "hub_title"
)

// Taxonomy is everything an article can be filed under or credit: every
// category, subject and contributor, by name (contributors with only their
// names and slugs).
type Taxonomy struct {
	Categories   []Category
	Subjects     []Subject
	Contributors []Contributor
}

// Normalize checks a category an admin typed, suggesting its slug from the name.
func (c Category) Normalize() (Category, error) {
	v := apperr.Validation{}
	c.Name, c.Description = strings.TrimSpace(c.Name), strings.TrimSpace(c.Description)
	c.Slug = slugOr(c.Slug, c.Name)
	checkTaxon(v, c.Name, c.Slug, c.Description)
	return c, v.Err()
}

// Normalize checks a subject an admin typed; the hub title defaults to
// "Life Moments of <name>".
func (s Subject) Normalize() (Subject, error) {
	v := apperr.Validation{}
	s.Name, s.Description, s.HubTitle = strings.TrimSpace(s.Name), strings.TrimSpace(s.Description), strings.TrimSpace(s.HubTitle)
	s.Slug = slugOr(s.Slug, s.Name)
	if s.HubTitle == "" && s.Name != "" {
		s.HubTitle = "Life Moments of " + s.Name
	}
	checkTaxon(v, s.Name, s.Slug, s.Description)
	if tooLong(s.HubTitle, 200) {
		v.Add(FieldHubTitle, "Keep the hub title under 200 characters.")
	}
	return s, v.Err()
}

func slugOr(slug, name string) string {
	if slug = strings.TrimSpace(slug); slug != "" {
		return slug
	}
	return Slugify(name)
}

func checkTaxon(v apperr.Validation, name, slug, description string) {
	switch {
	case name == "":
		v.Add(FieldName, "Enter a name.")
	case utf8.RuneCountInString(name) > 100:
		v.Add(FieldName, "Keep the name under 100 characters.")
	}
	if !ValidSlug(slug) {
		v.Add(FieldSlug, "Use lowercase letters, digits and single hyphens, at most 100 characters.")
	}
	if tooLong(description, 1000) {
		v.Add(FieldDescription, "Keep the description under 1,000 characters.")
	}
}
