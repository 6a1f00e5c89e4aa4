package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"lienthong/auth"
	"lienthong/problem"
)

// Websocket close codes of graphql-transport-ws a client acts on: 4403
// means "sign in again" (the token expired or was withdrawn), 4429 "too
// many" (this officer has as many sockets open as they may).
const (
	closeForbidden      = 4403
	closeTooManySockets = 4429
)

// Websocket configures subscriptions.
type Websocket struct {
	// OriginPatterns are the browser origins' hosts allowed besides the
	// server's own (coder/websocket patterns, e.g. "localhost:*").
	OriginPatterns []string
	// Authenticate verifies the token of the connection_init payload
	// {"Authorization": "Bearer <token>"}; the viewer carries its expiry.
	Authenticate func(ctx context.Context, token string) (*auth.Viewer, error)
	// Recheck is how often an open socket's token is verified again (its
	// key still published, its agency still active); default a minute.
	Recheck time.Duration
	// PerOfficer bounds the sockets one officer (token subject) has open
	// on this instance (default 5); PerSocket the subscriptions one socket
	// runs at once (default 10).
	PerOfficer, PerSocket int
}

// socket is one websocket connection: what closes it and with which code,
// and the subscriptions it runs.
type socket struct {
	mu     sync.Mutex
	code   int    // the close code to send instead of gqlgen's normal closure
	reason string // and its reason
	subs   int
}

type socketKey struct{}

// Sockets gives each websocket request its socket record; the subscription
// transport finds it in the request's context.
func Sockets(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), socketKey{}, &socket{})))
	})
}

func socketOf(ctx context.Context) *socket {
	s, _ := ctx.Value(socketKey{}).(*socket)
	return s
}

// closeWith makes the socket's close carry code and reason.
func (s *socket) closeWith(code int, reason string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.code, s.reason = code, reason
	s.mu.Unlock()
}

// subscribe counts one more subscription on the socket of ctx until ctx
// ends, or refuses it when the socket runs as many as it may.
func subscribe(ctx context.Context, limit int) error {
	s := socketOf(ctx)
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.subs >= limit {
		return problem.New(problem.CodeRateLimited, "a socket runs at most %d subscriptions: close one first", limit)
	}
	s.subs++
	context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.subs--
		s.mu.Unlock()
	})
	return nil
}

// closeCoded accepts sockets whose close frame says why: gqlgen closes a
// socket whose context ended with a normal closure, which tells a client
// nothing; a socket closed for its token says 4403.
type closeCoded struct {
	transport.CoderWebsocketImplementation
}

func (c closeCoded) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := c.CoderWebsocketImplementation.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	return &codedConn{WebsocketConn: conn, s: socketOf(r.Context())}, nil
}

type codedConn struct {
	transport.WebsocketConn
	s *socket
}

func (c *codedConn) WriteClose(code int, msg string) error {
	if c.s != nil {
		c.s.mu.Lock()
		if c.s.code != 0 {
			code, msg = c.s.code, c.s.reason
		}
		c.s.mu.Unlock()
	}
	return c.WebsocketConn.WriteClose(code, msg)
}

// SetReadLimit and SetReadDeadline pass gqlgen's optional interfaces on.
func (c *codedConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *codedConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// officers counts the sockets each officer has open on this instance.
type officers struct {
	mu   sync.Mutex
	open map[string]int
}

func (o *officers) take(subject string, limit int) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.open[subject] >= limit {
		return false
	}
	o.open[subject]++
	return true
}

func (o *officers) give(subject string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.open[subject]--; o.open[subject] <= 0 {
		delete(o.open, subject)
	}
}

// initSocket authenticates a socket's connection_init and keeps it
// authenticated: it closes with 4403 when the token expires or when a
// periodic check refuses it (its key withdrawn from the JWKS, its agency
// deactivated). A front-end whose token is about to expire opens a new
// socket with a fresh token (graphql-ws: connectionParams as a function,
// called on every connect, and lazy reconnects) and lets this one close.
func (ws *Websocket) initSocket(ctx context.Context, p transport.InitPayload, open *officers, log interface {
	WarnContext(ctx context.Context, msg string, args ...any)
}) (context.Context, *transport.InitPayload, error) {
	scheme, token, _ := strings.Cut(p.Authorization(), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ctx, nil, errors.New("connection_init needs {\"Authorization\": \"Bearer <token>\"}")
	}
	token = strings.TrimSpace(token)
	v, err := ws.Authenticate(ctx, token)
	if err != nil {
		log.WarnContext(ctx, "websocket: rejected connection", "reason", err.Error())
		return transport.WithWebsocketCloseCode(ctx, closeForbidden), nil, errors.New("authentication failed")
	}
	if !open.take(v.Subject, ws.PerOfficer) {
		return transport.WithWebsocketCloseCode(ctx, closeTooManySockets), nil,
			problem.New(problem.CodeRateLimited, "at most %d sockets per officer: close one first", ws.PerOfficer)
	}
	ctx, cancel := context.WithCancel(auth.NewContext(ctx, v))
	s := socketOf(ctx)
	end := func(reason string) {
		s.closeWith(closeForbidden, reason)
		cancel()
	}
	go func() {
		defer open.give(v.Subject)
		expiry := time.NewTimer(time.Until(v.Expires))
		defer expiry.Stop()
		check := time.NewTicker(ws.Recheck)
		defer check.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-expiry.C:
				end("Forbidden: the token has expired")
			case <-check.C:
				if _, err := ws.Authenticate(ctx, token); err != nil {
					log.WarnContext(ctx, "websocket: closed", "reason", err.Error())
					end("Forbidden: the token is no longer accepted")
				}
			}
		}
	}()
	return ctx, nil, nil
}
