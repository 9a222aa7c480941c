package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want Code
	}{
		{"nil has no code", nil, ""},
		{"plain error is internal", errors.New("boom"), Internal},
		{"coded error keeps its code", Errorf(NotFound, "no such article"), NotFound},
		{"wrapped coded error keeps its code", fmt.Errorf("store: %w", Errorf(Conflict, "taken")), Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.want {
				t.Errorf("CodeOf() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMessageOfHidesInternalDetails(t *testing.T) {
	t.Parallel()
	got := MessageOf(errors.New("sql: connection refused at 10.0.0.1"))
	if got == "" || got == "sql: connection refused at 10.0.0.1" {
		t.Errorf("MessageOf() = %q, want a generic message", got)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	v := Validation{}
	if v.Err() != nil {
		t.Fatal("empty validation returned an error")
	}
	v.Add("Title", "first")
	v.Add("Title", "second")
	err := v.Err()
	if CodeOf(err) != Invalid {
		t.Fatalf("code = %q, want invalid", CodeOf(err))
	}
	if got := FieldsOf(err)["Title"]; got != "first" {
		t.Errorf("Title message = %q, want the first one added", got)
	}
}

func TestField(t *testing.T) {
	t.Parallel()
	err := Field("publish_at", "Choose a time in the future.")
	if CodeOf(err) != Invalid || MessageOf(err) != CorrectFields {
		t.Errorf("Field() = %v (%s), want an Invalid error with the common message", err, CodeOf(err))
	}
	if got := FieldsOf(err)["publish_at"]; got != "Choose a time in the future." {
		t.Errorf("publish_at message = %q", got)
	}
}

func TestAs(t *testing.T) {
	t.Parallel()
	notFound := errors.New("store: not found")
	tests := []struct {
		name     string
		err      error
		wantCode Code
		wantMsg  string
	}{
		{"nil stays nil", nil, "", ""},
		{"the target becomes a coded error", fmt.Errorf("store: find article 7: %w", notFound), NotFound, "There is no such article."},
		{"another error passes", errors.New("disk full"), Internal, MessageOf(errors.New("x"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := As(tt.err, notFound, NotFound, "There is no such article.")
			if CodeOf(got) != tt.wantCode || (got != nil && MessageOf(got) != tt.wantMsg) {
				t.Errorf("As() = %v (%s), want %s %q", got, CodeOf(got), tt.wantCode, tt.wantMsg)
			}
		})
	}
}
