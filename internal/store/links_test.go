package store

import (
	"reflect"
	"testing"

	"github.com/quire-cms/quire/internal/article"
)

func TestLinksColumnRoundTrips(t *testing.T) {
	t.Parallel()
	credits := []article.Credit{
		{Role: article.WrittenBy, Contributor: article.Contributor{ID: 7}},
		{Role: article.Research, Contributor: article.Contributor{ID: 9}},
	}
	s := formatLinks([]int64{3, 5}, []int64{12}, credits)
	if s != "c3 c5 s12 p7:written_by p9:research" {
		t.Fatalf("formatLinks() = %q", s)
	}
	got, err := parseLinks(s)
	want := []link{{'c', 3, ""}, {'c', 5, ""}, {'s', 12, ""}, {'p', 7, "written_by"}, {'p', 9, "research"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("parseLinks() = %v, %v", got, err)
	}
	// Written by migration 21 with nothing in the middle.
	if got, err := parseLinks("c3  p7:research"); err != nil || len(got) != 2 {
		t.Errorf("parseLinks with a double space = %v, %v", got, err)
	}
	for _, bad := range []string{"x3", "c", "cx", "p:research"} {
		if _, err := parseLinks(bad); err == nil {
			t.Errorf("parseLinks(%q) did not fail", bad)
		}
	}
}
