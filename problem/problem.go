// Package problem is the error a client can act on: a code that the
// GraphQL layer puts in extensions.code (a front-end localises by it), an
// optional refinement, the input field at fault and a message; and how
// each code answers a plain HTTP request (exports, forms). It imports
// nothing of ours, so that every package may return its errors.
package problem

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"unicode/utf8"
)

// Code classifies an error for clients.
type Code string

// Codes.
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

// Error is a domain error a client can act on. Anything else reaching a
// client is reported as an internal error, and logged in full.
type Error struct {
	Code    Code
	Detail  string // optional refinement, e.g. ILLEGAL_TRANSITION
	Field   string // optional input field at fault, e.g. "input.channel"
	Message string
}

func (e *Error) Error() string { return e.Message }

// As returns the domain error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// New is an error of code with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadInput is a BAD_USER_INPUT error on the input field at fault.
func BadInput(field, format string, args ...any) *Error {
	return &Error{Code: CodeBadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Forbidden is a FORBIDDEN error.
func Forbidden(format string, args ...any) *Error { return New(CodeForbidden, format, args...) }

// NotFound is a NOT_FOUND error.
func NotFound(format string, args ...any) *Error { return New(CodeNotFound, format, args...) }

// Conflict is a CONFLICT error with its refinement (may be empty).
func Conflict(detail, format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Detail: detail, Message: fmt.Sprintf(format, args...)}
}

// Status is the HTTP status a plain request answers with for code.
func Status(code Code) int {
	switch code {
	case CodeBadUserInput:
		return http.StatusBadRequest
	case CodeUnauthenticated:
		return http.StatusUnauthorized
	case CodeForbidden:
		return http.StatusForbidden
	case CodeNotFound:
		return http.StatusNotFound
	case CodeConflict:
		return http.StatusConflict
	case CodeRateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// Write answers a plain HTTP request (an export, a form) with the status
// and the code the GraphQL layer would give, as JSON {code, message};
// anything but a domain error is logged and answered as an internal error.
func Write(w http.ResponseWriter, log *slog.Logger, err error) {
	code, msg := CodeInternal, "internal error"
	if pe, ok := As(err); ok {
		code, msg = pe.Code, pe.Message
	} else {
		log.Error("request failed", "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	if code == CodeRateLimited && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "5")
	}
	w.WriteHeader(Status(code))
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg})
}

// Clip cuts untrusted input to at most n bytes, on a rune boundary, for
// repeating it in a message.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
