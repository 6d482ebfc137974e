package upskill

import (
	"errors"
	"fmt"
)

// Error codes decide what a caller is told and which HTTP status it gets.
// Anything that is not an *Error is an internal error: the caller sees only
// a generic message and the detail goes to the log.
const (
	ECONFLICT     = "conflict"     // the change clashes with what is stored (a duplicate email, say)
	EINTERNAL     = "internal"     // a fault of ours; the detail is logged, never shown
	EINVALID      = "invalid"      // the input is wrong; the message says what to fix
	ENOTFOUND     = "not_found"    // no such thing, or not one the caller may know of
	EFORBIDDEN    = "forbidden"    // the caller is known but may not do this
	EUNAUTHORISED = "unauthorised" // the caller must sign in first
	ETOOMANY      = "too_many"     // rate limited or locked out for a while
	EUNAVAILABLE  = "unavailable"  // a dependency (the database, say) cannot be reached
)

// Error is an error whose message is safe to show to the person who caused it.
type Error struct {
	Code    string
	Message string
	// Fields holds one message per form field or API property, in the order
	// the fields are shown, so that an error summary can link to each.
	Fields []FieldError
}

// FieldError says what is wrong with one field and how to fix it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("upskill: %s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("upskill: %s: %s (%d field errors)", e.Code, e.Message, len(e.Fields))
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message that may be shown for err. Internal
// errors all read the same so that nothing about the system leaks.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Sorry, there is a problem with the service. Try again later."
}

// ErrorFields returns the per-field messages of err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors while a form or request body is checked.
// Its zero value is ready to use.
type Problems struct {
	fields []FieldError
}

// Add records a problem with field, keeping only the first for each field.
func (p *Problems) Add(field, message string) {
	for _, f := range p.fields {
		if f.Field == field {
			return
		}
	}
	p.fields = append(p.fields, FieldError{Field: field, Message: message})
}

// Has reports whether field already has a problem.
func (p *Problems) Has(field string) bool {
	for _, f := range p.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when nothing was added, or an EINVALID *Error carrying
// every field problem.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: p.fields[0].Message, Fields: p.fields}
}
