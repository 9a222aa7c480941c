package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeOf(t *testing.T) {
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
	got := MessageOf(errors.New("sql: connection refused at 10.0.0.1"))
	if got == "" || got == "sql: connection refused at 10.0.0.1" {
		t.Errorf("MessageOf() = %q, want a generic message", got)
	}
}

func TestValidation(t *testing.T) {
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
