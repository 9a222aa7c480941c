package article

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quire-cms/quire/internal/apperr"
	"github.com/quire-cms/quire/internal/markup"
)

func TestContributorNormalize(t *testing.T) {
	t.Parallel()
	c, err := Contributor{Name: "  Ada Lovelace ", Links: []string{"", " https://orcid.org/0000 ", "\t"}}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Ada Lovelace" || c.Slug != "ada-lovelace" || len(c.Links) != 1 || c.Links[0] != "https://orcid.org/0000" {
		t.Errorf("Normalize() = %+v", c)
	}
	tests := []struct {
		name  string
		c     Contributor
		field string
	}{
		{"no name", Contributor{Name: " "}, FieldName},
		{"bad slug", Contributor{Name: "Ada", Slug: "Ada L"}, FieldSlug},
		{"javascript website", Contributor{Name: "Ada", Website: "javascript:alert(1)"}, FieldWebsite},
		{"relative profile link", Contributor{Name: "Ada", Links: []string{"https://a.example", "/wiki/Ada"}}, FieldLinks},
		{"data profile link", Contributor{Name: "Ada", Links: []string{"data:text/html,<script>"}}, FieldLinks},
		{"too many links", Contributor{Name: "Ada", Links: strings.Split(strings.Repeat("https://a.example\n", MaxLinks+1), "\n")}, FieldLinks},
		{"long bio", Contributor{Name: "Ada", Bio: strings.Repeat("x", MaxBioLen+1)}, FieldBio},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Normalize()
			if apperr.FieldsOf(err)[tt.field] == "" {
				t.Errorf("Normalize() error = %v, want a message for %s", err, tt.field)
			}
		})
	}
}

func TestPrepareCredits(t *testing.T) {
	t.Parallel()
	d := validDraft()
	d.Credits = []CreditInput{{ContributorID: "", Role: "written_by"}, {ContributorID: "7", Role: "research"},
		{ContributorID: "3", Role: "written_by"}, {ContributorID: "7", Role: "written_by"}}
	rev, err := Prepare(d, markup.New(), 200)
	if err != nil {
		t.Fatal(err)
	}
	if got := CreditsText(rev.Credits); got != "Research: \nWritten by: \nWritten by: " {
		t.Errorf("credits = %q, want the filled rows in order", got)
	}
	if got := rev.ContributorIDs(); len(got) != 2 || got[0] != 7 || got[1] != 3 {
		t.Errorf("ContributorIDs() = %v, want [7 3]", got)
	}
	d.Credits = append(d.Credits, CreditInput{ContributorID: "3", Role: "written_by"})
	_, err = Prepare(d, markup.New(), 200)
	if msg := apperr.FieldsOf(err)[FieldCredits]; !strings.Contains(msg, "Credit 5") || !strings.Contains(msg, "Written by") {
		t.Errorf("duplicate credit message = %q, want the row and the role named", msg)
	}
}

func TestByline(t *testing.T) {
	t.Parallel()
	person := func(name string) Contributor { return Contributor{Name: name} }
	got := Byline([]Credit{{person("Cy"), FactCheck}, {person("Ada"), WrittenBy}, {person("Bo"), Research}, {person("Di"), WrittenBy}})
	var parts []string
	for _, g := range got {
		var names []string
		for _, p := range g.People {
			names = append(names, p.Name)
		}
		parts = append(parts, g.Role.Label()+": "+strings.Join(names, "+"))
	}
	if s := strings.Join(parts, " / "); s != "Written by: Ada+Di / Research: Bo / Fact-check: Cy" {
		t.Errorf("Byline() = %s", s)
	}
}

func TestProvenanceOf(t *testing.T) {
	t.Parallel()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	ann := Approval{RevisionNumber: 7, ReviewerID: 1, Reviewer: "Ann", At: day(3)}
	bob := Approval{RevisionNumber: 8, ReviewerID: 2, Reviewer: "Bob", At: day(5), Minor: true}
	annMinor := Approval{RevisionNumber: 8, ReviewerID: 1, Reviewer: "Ann", At: day(5), Minor: true}
	quire := Approval{RevisionNumber: 1, At: day(1)}
	tests := []struct {
		name      string
		in        []Approval
		want      string
		wantMinor string
		ok        bool
	}{
		{"none", nil, "", "", false},
		{"approved by Quire", []Approval{quire}, "", "", false},
		{"a person's approval", []Approval{ann}, "Ann 7", "", true},
		{"minor by someone else", []Approval{bob, ann}, "Ann 7", "Bob 8", true},
		{"minor by the same reviewer", []Approval{annMinor, ann}, "Ann 8", "", true},
		{"minor over Quire's approval", []Approval{bob, quire}, "Bob 8", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := ProvenanceOf(tt.in)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			say := func(a Approval) string { return a.Reviewer + " " + strconv.Itoa(a.RevisionNumber) }
			minor := ""
			if p.Minor != nil {
				minor = say(*p.Minor)
			}
			if say(p.Reviewed) != tt.want || minor != tt.wantMinor {
				t.Errorf("ProvenanceOf() = %s / %s, want %s / %s", say(p.Reviewed), minor, tt.want, tt.wantMinor)
			}
		})
	}
}
