package auth

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// BearerToken returns the token of an "Authorization: Bearer <token>" header.
// The scheme is matched case-insensitively (RFC 9110 §11.1).
func BearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// Middleware authenticates requests that carry an Authorization header.
//
// A request without the header passes through anonymous: resolvers decide
// what an anonymous caller may see. A header that is not a valid bearer
// token, or a token that fails v or resolve with an error wrapping
// ErrUnauthenticated, gets a 401 GraphQL error response (code
// UNAUTHENTICATED). Any other resolve error (say, the database is down) is
// not the caller's fault: it gets a 500 "internal error" and is logged at
// Error. Otherwise the viewer returned by resolve, or c.Viewer() when resolve
// is nil, is put in the request context (see FromContext).
//
// A nil logger means slog.Default().
func Middleware(v *Verifier, resolve func(ctx context.Context, c *Claims) (*Viewer, error), logger *slog.Logger) func(http.Handler) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				next.ServeHTTP(w, r)
				return
			}
			ctx := r.Context()
			if ClientAddr(ctx) == "" {
				ctx = context.WithValue(ctx, addrKey{}, remoteHost(r))
			}
			viewer, err := authenticate(ctx, r, v, resolve)
			switch {
			case errors.Is(err, ErrRateLimited):
				// The first failures were logged at Warn; these repeat them.
				logger.LogAttrs(ctx, slog.LevelDebug, "auth: rate limited",
					slog.String("remote_addr", r.RemoteAddr))
				w.Header().Set("Retry-After", strconv.Itoa(v.retryAfter()))
				writeError(w, http.StatusTooManyRequests, err.Error(), "RATE_LIMITED")
				return
			case errors.Is(err, ErrUnauthenticated):
				// The reason is ours (never the token) and names no person.
				logger.LogAttrs(ctx, slog.LevelWarn, "auth: rejected request",
					slog.String("remote_addr", r.RemoteAddr),
					slog.String("reason", err.Error()))
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				writeError(w, http.StatusUnauthorized, err.Error(), "UNAUTHENTICATED")
				return
			case err != nil:
				logger.LogAttrs(ctx, slog.LevelError, "auth: resolve viewer",
					slog.String("remote_addr", r.RemoteAddr),
					slog.Any("error", err))
				writeError(w, http.StatusInternalServerError, "internal error", "INTERNAL")
				return
			}
			next.ServeHTTP(w, r.WithContext(NewContext(ctx, viewer)))
		})
	}
}

func authenticate(ctx context.Context, r *http.Request, v *Verifier, resolve func(context.Context, *Claims) (*Viewer, error)) (*Viewer, error) {
	token, ok := BearerToken(r)
	if !ok {
		return nil, v.failed(ctx, unauthenticated("auth: authorization header is not a bearer token", nil))
	}
	return Authenticate(ctx, v, resolve, token)
}

// Authenticate verifies a bearer token (without the "Bearer " prefix) and
// resolves its viewer, as Middleware does for a request: for a websocket's
// connection_init payload, say. resolve nil means c.Viewer().
//
// Failures count against the client address in ctx (see WithClientAddr);
// a failure from an address over its limit is ErrRateLimited. A valid
// token always passes: one office behind one address, one of whose tabs
// keeps sending an expired token, does not lock out the others.
func Authenticate(ctx context.Context, v *Verifier, resolve func(context.Context, *Claims) (*Viewer, error), token string) (*Viewer, error) {
	viewer, err := verify(ctx, v, resolve, token)
	if err != nil {
		return nil, v.failed(ctx, err)
	}
	return viewer, nil
}

// verify is Authenticate without the count of failures.
func verify(ctx context.Context, v *Verifier, resolve func(context.Context, *Claims) (*Viewer, error), token string) (*Viewer, error) {
	if resolve == nil {
		resolve = func(_ context.Context, c *Claims) (*Viewer, error) { return c.Viewer() }
	}
	if token == "" {
		return nil, unauthenticated("auth: no token", nil)
	}
	claims, err := v.VerifyContext(ctx, token)
	if err != nil {
		return nil, err
	}
	viewer, err := resolve(ctx, claims)
	if err != nil {
		return nil, err
	}
	if viewer == nil {
		return nil, errors.New("auth: resolve returned no viewer and no error")
	}
	// A copy: resolve may hand out one viewer for many tokens of an officer.
	v2 := *viewer
	if claims.ExpiresAt != nil {
		v2.Expires = claims.ExpiresAt.Time
	}
	return &v2, nil
}

// failed counts err against the client address in ctx when it is an
// authentication failure, and returns it, or ErrRateLimited once the
// address is over its limit.
func (v *Verifier) failed(ctx context.Context, err error) error {
	if v.failures != nil && errors.Is(err, ErrUnauthenticated) && !v.failures.Allow(ClientAddr(ctx)) {
		return ErrRateLimited
	}
	return err
}

// retryAfter is the number of seconds after which a limited address may
// try again.
func (v *Verifier) retryAfter() int {
	return max(int(math.Ceil(v.failures.Interval().Seconds())), 1)
}

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// writeError writes a GraphQL-shaped error response, so clients handle a
// rejected token like any other GraphQL error.
func writeError(w http.ResponseWriter, status int, msg, code string) {
	e := gqlError{Message: msg}
	e.Extensions.Code = code
	body, _ := json.Marshal(struct {
		Errors []gqlError `json:"errors"`
	}{[]gqlError{e}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
