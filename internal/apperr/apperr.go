// Package apperr carries an application error code with a message a person
// can read, so that the HTTP layer can map every domain failure to a status
// in exactly one place.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an application error.
type Code string

// The codes Quire's domain uses. Anything without a code is Internal.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Gone         Code = "gone"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	TooMany      Code = "too_many_requests"
	Internal     Code = "internal"
)

// Error is an application error: a code, a message safe to show to the user,
// and for Invalid, the message for each offending field.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an Error with the given code and formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first Error in err's chain, or Internal.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the user-facing message of err, hiding internal details.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Nothing you saved was lost; please try again."
}

// FieldsOf returns the per-field messages of an Invalid error, or nil.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// CorrectFields is the message of every Invalid error about form fields;
// each field's own message says what is wrong with it.
const CorrectFields = "Please correct the marked fields."

// Validation collects field errors, keyed by each field's form name (not
// its label, which may change), and turns them into one Invalid Error.
type Validation map[string]string

// Add records msg for field unless the field already has a message.
func (v Validation) Add(field, msg string) {
	if _, ok := v[field]; !ok {
		v[field] = msg
	}
}

// Err returns nil when nothing was added, or an Invalid Error listing the fields.
func (v Validation) Err() error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: CorrectFields, Fields: v}
}

// Field is an Invalid error about one form field, keyed by the field's
// form name, as Validation makes for several.
func Field(name, msg string) error {
	return Validation{name: msg}.Err()
}

// As gives err the code and message msg when it wraps target, so that a
// storage sentinel such as "not found" becomes words a person can act on;
// any other error (or nil) is returned as it is.
func As(err, target error, code Code, msg string) error {
	if err != nil && errors.Is(err, target) {
		return &Error{Code: code, Message: msg}
	}
	return err
}
