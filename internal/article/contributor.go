package article

import (
	"strconv"
	"strings"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
)

// Contributor is a person behind articles: a staff writer, a researcher, a
// guest historian without a desk account. Revisions credit contributors;
// a contributor credited by any revision is never deleted, only hidden.
type Contributor struct {
	ID          int64
	Slug        string
	Name        string
	Bio         string
	Affiliation string
	Website     string
	// Links are profile pages elsewhere (a university page, Wikidata…),
	// which say to search engines who the person is.
	Links []string
	// AccountID is the desk account the contributor is, if any.
	AccountID int64
	// Hidden contributors have no public page and cannot be newly
	// credited; revisions that credit them keep the credit.
	Hidden bool
}

// Form names of the contributor form's own fields (it shares FieldName and
// FieldSlug with categories).
const (
	FieldBio         = "bio"
	FieldAffiliation = "affiliation"
	FieldWebsite     = "website"
	FieldLinks       = "links"
	FieldAccount     = "account"
	FieldHidden      = "hidden"
	// FieldCredits is the article form's list of credits.
	FieldCredits = "credits"
)

// Limits of a contributor's texts.
const (
	MaxBioLen   = 2000
	MaxLinks    = 10
	MaxCredits  = 20
	maxAffilLen = 200
)

// Normalize checks a contributor an editor typed, suggesting the slug from
// the name. Links are one per line; blank lines are dropped.
func (c Contributor) Normalize() (Contributor, error) {
	v := apperr.Validation{}
	c.Name, c.Bio = strings.TrimSpace(c.Name), strings.TrimSpace(c.Bio)
	c.Affiliation, c.Website = strings.TrimSpace(c.Affiliation), strings.TrimSpace(c.Website)
	c.Slug = slugOr(c.Slug, c.Name)
	checkTaxon(v, c.Name, c.Slug, "")
	if tooLong(c.Bio, MaxBioLen) {
		v.Add(FieldBio, "Keep the short bio under 2,000 characters.")
	}
	if tooLong(c.Affiliation, maxAffilLen) {
		v.Add(FieldAffiliation, "Keep the affiliation under 200 characters.")
	}
	if c.Website != "" && !ValidReferenceURL(c.Website) {
		v.Add(FieldWebsite, "Enter a web address starting with http:// or https://.")
	}
	var links []string
	for _, l := range c.Links {
		if l = strings.TrimSpace(l); l != "" {
			links = append(links, l)
		}
	}
	c.Links = links
	switch {
	case len(links) > MaxLinks:
		v.Add(FieldLinks, "List at most 10 profile links.")
	default:
		for i, l := range links {
			if !ValidReferenceURL(l) {
				v.Add(FieldLinks, "Line "+strconv.Itoa(i+1)+" is not a web address starting with http:// or https://.")
				break
			}
		}
	}
	return c, v.Err()
}

// SameAs lists the addresses that identify the contributor elsewhere:
// their website and profile links.
func (c Contributor) SameAs() []string {
	if c.Website == "" {
		return c.Links
	}
	return append([]string{c.Website}, c.Links...)
}

// Role is what a contributor did for an article.
type Role string

// Roles, in the order a byline lists them.
const (
	WrittenBy   Role = "written_by"
	Reporting   Role = "reporting"
	Research    Role = "research"
	FactCheck   Role = "fact_check"
	Translation Role = "translation"
	Photography Role = "photography"
)

// Roles lists every role, in byline order: this is the one list.
var Roles = []Role{WrittenBy, Reporting, Research, FactCheck, Translation, Photography}

// Label is the role as the desk and readers say it.
func (r Role) Label() string {
	switch r {
	case WrittenBy:
		return "Written by"
	case Reporting:
		return "Reporting"
	case Research:
		return "Research"
	case FactCheck:
		return "Fact-check"
	case Translation:
		return "Translation"
	case Photography:
		return "Photography"
	}
	return string(r)
}

// ParseRole reads a role as a form sends it.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Credit says who did what for a revision.
type Credit struct {
	Contributor Contributor
	Role        Role
}

// CreditInput is one row of the article form's credits, as typed: an
// empty contributor means an unused row.
type CreditInput struct {
	ContributorID string
	Role          string
}

// prepareCredits reads the credits' rows, in order, refusing unknown roles
// and the same person credited twice in one role.
func prepareCredits(v apperr.Validation, rows []CreditInput) []Credit {
	var out []Credit
	type key struct {
		id   int64
		role Role
	}
	seen := map[key]bool{}
	for i, row := range rows {
		if strings.TrimSpace(row.ContributorID) == "" {
			continue
		}
		n := "Credit " + strconv.Itoa(i+1)
		id, err := strconv.ParseInt(strings.TrimSpace(row.ContributorID), 10, 64)
		role, ok := ParseRole(row.Role)
		switch {
		case err != nil || id <= 0:
			v.Add(FieldCredits, n+": choose a contributor from the list.")
			return nil
		case !ok:
			v.Add(FieldCredits, n+": choose a role from the list.")
			return nil
		}
		if seen[key{id, role}] {
			v.Add(FieldCredits, n+" repeats a contributor in the same role ("+role.Label()+"); remove one of them.")
			return nil
		}
		seen[key{id, role}] = true
		out = append(out, Credit{Contributor: Contributor{ID: id}, Role: role})
	}
	if len(out) > MaxCredits {
		v.Add(FieldCredits, "Credit at most 20 people.")
		return nil
	}
	return out
}

// ContributorIDs lists the ids of everyone the revision credits, in order,
// each once.
func (r Revision) ContributorIDs() []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, c := range r.Credits {
		if !seen[c.Contributor.ID] {
			seen[c.Contributor.ID] = true
			out = append(out, c.Contributor.ID)
		}
	}
	return out
}

// ContributorEntry is a contributor as the desk lists them, with how
// many revisions credit them.
type ContributorEntry struct {
	Contributor
	Credits int
}

// CreditGroup is the people credited in one role, in credit order.
type CreditGroup struct {
	Role   Role
	People []Contributor
}

// Byline groups a revision's credits by role in byline order (writers
// first), keeping the order the editor gave within each role.
func Byline(credits []Credit) []CreditGroup {
	var out []CreditGroup
	for _, role := range Roles {
		g := CreditGroup{Role: role}
		for _, c := range credits {
			if c.Role == role {
				g.People = append(g.People, c.Contributor)
			}
		}
		if len(g.People) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// CreditsText is the credits as one line per credit ("Research: Ada
// Lovelace"), for comparing revisions.
func CreditsText(credits []Credit) string {
	lines := make([]string, len(credits))
	for i, c := range credits {
		lines[i] = c.Role.Label() + ": " + c.Contributor.Name
	}
	return strings.Join(lines, "\n")
}

// Approval is a person's approval of a revision that went live.
type Approval struct {
	RevisionNumber int
	ReviewerID     int64 // zero when Quire approved it, as for demo content
	Reviewer       string
	At             time.Time
	// Minor says the publication of the revision was a minor correction.
	Minor bool
}

// Provenance is who approved what readers are reading: the approval of the
// latest non-minor publication and, when a later minor correction is live
// and someone else approved it, that approval too.
type Provenance struct {
	Reviewed Approval
	Minor    *Approval
}

// ProvenanceOf works out the provenance from the approvals of an article's
// publications, newest first, up to its latest non-minor one. It reports
// false when no person approved the live revision (Quire's own approval is
// no review to show readers).
func ProvenanceOf(newestFirst []Approval) (Provenance, bool) {
	if len(newestFirst) == 0 || newestFirst[0].ReviewerID == 0 {
		return Provenance{}, false
	}
	live := newestFirst[0]
	if !live.Minor {
		return Provenance{Reviewed: live}, true
	}
	for _, a := range newestFirst[1:] {
		if a.Minor {
			continue
		}
		if a.ReviewerID == 0 || a.ReviewerID == live.ReviewerID {
			break
		}
		return Provenance{Reviewed: a, Minor: &live}, true
	}
	return Provenance{Reviewed: live}, true
}
