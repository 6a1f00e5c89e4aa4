package workflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
)

// Code classifies an error for clients; the GraphQL layer puts it in
// extensions.code so that a front-end can localise the message.
type Code string

// Error codes.
const (
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeBadUserInput    Code = "BAD_USER_INPUT"
	CodeConflict        Code = "CONFLICT"
	CodeRateLimited     Code = "RATE_LIMITED"
	CodeInternal        Code = "INTERNAL"
)

// Details refine a code.
const (
	DetailIllegalTransition = "ILLEGAL_TRANSITION"
	DetailBudgetOverrun     = "ROUTE_BUDGET_OVERRUN"
	DetailStaleVersion      = "STALE_VERSION"
	DetailIdempotency       = "IDEMPOTENCY_MISMATCH"
)

// Error is a domain error a client can act on. Anything else reaching the
// GraphQL layer is reported as an internal error.
type Error struct {
	Code    Code
	Detail  string // optional refinement, e.g. ILLEGAL_TRANSITION
	Field   string // optional input field at fault, e.g. "input.channel"
	Message string
}

func (e *Error) Error() string { return e.Message }

// AsError returns the domain error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func newError(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadInput is a BAD_USER_INPUT error on the input field at fault.
func BadInput(field, format string, args ...any) *Error {
	return &Error{Code: CodeBadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

func forbidden(format string, args ...any) *Error {
	return newError(CodeForbidden, format, args...)
}

// NotFound is a NOT_FOUND error.
func NotFound(format string, args ...any) *Error {
	return newError(CodeNotFound, format, args...)
}

func conflict(detail, format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Detail: detail, Message: fmt.Sprintf(format, args...)}
}

// WriteError answers a plain HTTP request (an export, a form) with the
// status and the code the GraphQL layer would give, as JSON {code,
// message}; anything but a domain error is logged and answered as an
// internal error.
func WriteError(w http.ResponseWriter, log *slog.Logger, err error) {
	status, code, msg := http.StatusInternalServerError, "INTERNAL", "internal error"
	if we, ok := AsError(err); ok {
		code, msg = string(we.Code), we.Message
		switch we.Code {
		case CodeBadUserInput:
			status = http.StatusBadRequest
		case CodeUnauthenticated:
			status = http.StatusUnauthorized
		case CodeForbidden:
			status = http.StatusForbidden
		case CodeNotFound:
			status = http.StatusNotFound
		case CodeConflict:
			status = http.StatusConflict
		case CodeRateLimited:
			status = http.StatusTooManyRequests
		}
	} else {
		log.Error("request failed", "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg})
}
