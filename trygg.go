// Package trygg holds the domain of Trygg: the types, the service interfaces
// and the application error. It imports nothing from the outside world; each
// outside dependency (database, web, files) lives in a package of its own.
package trygg

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Error codes. Each maps to one HTTP status in the web package.
const (
	EINVALID      = "invalid"      // the input is wrong; Fields says where
	ENOTFOUND     = "not_found"    // missing, or the caller may not see it
	ECONFLICT     = "conflict"     // e.g. a duplicate e-mail or code
	EUNAUTHORIZED = "unauthorized" // no valid identity
	ERATELIMIT    = "rate_limited" // too many attempts
	EINTERNAL     = "internal"     // anything else; never shown in detail
)

// Error is the one application error. Its Message is safe to show a user
// (in Swedish); every other error is shown as "Internal error" and logged.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

// FieldError names one invalid input field and says what is wrong with it.
type FieldError struct {
	Field   string `json:"name"`
	Message string `json:"reason"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("trygg error: code=%s message=%s", e.Code, e.Message)
	}
	return fmt.Sprintf("trygg error: code=%s message=%s fields=%v", e.Code, e.Message, e.Fields)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the answer for objects that are missing or forbidden to the
// caller: the two must look the same.
func NotFound() *Error { return &Error{Code: ENOTFOUND, Message: "Hittades inte."} }

// ErrorCode returns the code of an application error, EINTERNAL for any
// other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of an application error, or a
// generic message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internt fel."
}

// ErrorFields returns the field errors of an application error, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validation collects field errors; Err returns nil when there are none.
type Validation struct{ Fields []FieldError }

// Add records that field is wrong, with a Swedish message.
func (v *Validation) Add(field, format string, args ...any) {
	v.Fields = append(v.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an EINVALID *Error carrying the collected fields, or nil.
func (v *Validation) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	msg := "Kontrollera uppgifterna: " + v.Fields[0].Message
	if len(v.Fields) > 1 {
		msg = fmt.Sprintf("Kontrollera uppgifterna: %d fält är felaktiga.", len(v.Fields))
	}
	return &Error{Code: EINVALID, Message: msg, Fields: v.Fields}
}

type contextKey int

const (
	userContextKey contextKey = iota + 1
	clientContextKey
	operatorContextKey
)

// NewOperatorContext marks a call made by the operator of the server, from
// the command line (user management, import, demo data). Such calls may do
// what an admin may do, and more, but never read the social-services
// register. A context with neither a user nor this mark is anonymous and
// may do nothing that needs a sign-in.
func NewOperatorContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, operatorContextKey, true)
}

// IsOperator reports whether ctx was made by NewOperatorContext.
func IsOperator(ctx context.Context) bool {
	ok, _ := ctx.Value(operatorContextKey).(bool)
	return ok
}

// NewContextWithUser returns a context that carries the calling user.
// Service methods read it to decide what the caller may do.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the calling user, or nil for an anonymous caller.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// Client describes where a call comes from, for the audit log and rate
// limits. It holds no personal data beyond the network address.
type Client struct {
	IP string
}

// NewContextWithClient returns a context that carries the client.
func NewContextWithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientContextKey, c)
}

// ClientFromContext returns the client, or the zero Client.
func ClientFromContext(ctx context.Context) Client {
	c, _ := ctx.Value(clientContextKey).(Client)
	return c
}

// Clock returns the current time; tests pass a fixed one.
type Clock func() time.Time
