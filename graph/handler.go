package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/problem"
)

// Page sizes of every connection.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Options tune the GraphQL handler.
type Options struct {
	// Dev turns introspection and field suggestions on.
	Dev bool
	// ComplexityLimit caps a query's cost; 0 means 5000.
	ComplexityLimit int
	Logger          *slog.Logger
	// Websocket, when set, serves subscriptions over websocket
	// (graphql-transport-ws and the older graphql-ws).
	Websocket *Websocket
}

// Websocket configures subscriptions.
type Websocket struct {
	// OriginPatterns are the browser origins' hosts allowed besides the
	// server's own (coder/websocket patterns, e.g. "localhost:*").
	OriginPatterns []string
	// Authenticate verifies the token of the connection_init payload
	// {"Authorization": "Bearer <token>"}.
	Authenticate func(ctx context.Context, token string) (*auth.Viewer, error)
}

// publicFields may be queried without a token.
var publicFields = map[string]bool{"__schema": true, "__type": true, "__typename": true, "trackDossier": true}

// NewHandler returns the GraphQL handler with its limits, error presenter
// and authentication gate.
func NewHandler(r *Resolver, opts Options) *handler.Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ComplexityLimit == 0 {
		opts.ComplexityLimit = 5000
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r}))
	if ws := opts.Websocket; ws != nil {
		srv.AddTransport(transport.Websocket{
			Implementation: transport.CoderWebsocketImplementation{
				AcceptOptions: coderws.AcceptOptions{OriginPatterns: ws.OriginPatterns},
			},
			InitTimeout:           10 * time.Second,
			KeepAlivePingInterval: 15 * time.Second,
			InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
				scheme, token, _ := strings.Cut(p.Authorization(), " ")
				if !strings.EqualFold(scheme, "Bearer") {
					return ctx, nil, errors.New("connection_init needs {\"Authorization\": \"Bearer <token>\"}")
				}
				v, err := ws.Authenticate(ctx, strings.TrimSpace(token))
				if err != nil {
					opts.Logger.WarnContext(ctx, "websocket: rejected connection", "reason", err.Error())
					return ctx, nil, errors.New("authentication failed")
				}
				return auth.NewContext(ctx, v), nil, nil
			},
		})
	}
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(20000)
	srv.SetDisableSuggestion(!opts.Dev)
	if opts.Dev {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(opts.ComplexityLimit))
	srv.AroundOperations(limitShape)
	srv.AroundOperations(limitStrings)
	srv.AroundRootFields(requireViewer)
	srv.AroundFields(pageSize)
	log := opts.Logger
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, log, err)
	})
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "graphql: panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		return errors.New("internal error")
	})
	return srv
}

// requireViewer refuses every root field but introspection to anonymous callers.
func requireViewer(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if _, ok := auth.FromContext(ctx); ok || fc == nil || publicFields[fc.Field.Name] {
		return next(ctx)
	}
	graphql.AddError(ctx, &gqlerror.Error{
		Message:    "authentication required",
		Path:       graphql.GetPath(ctx),
		Extensions: map[string]any{"code": string(problem.CodeUnauthenticated)},
	})
	return graphql.Null
}

// pageSize gives every connection the default page size and refuses pages
// over the maximum (an error, not a silent cap).
func pageSize(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Args == nil {
		return next(ctx)
	}
	first, hasFirst := fc.Args["first"].(*int)
	last, hasLast := fc.Args["last"].(*int)
	if !hasFirst && !hasLast {
		return next(ctx)
	}
	for name, v := range map[string]*int{"first": first, "last": last} {
		if v != nil && (*v < 0 || *v > MaxPageSize) {
			return nil, &problem.Error{
				Code:    problem.CodeBadUserInput,
				Field:   name,
				Message: fmt.Sprintf("%s must be between 0 and %d", name, MaxPageSize),
			}
		}
	}
	if first == nil && last == nil {
		n := DefaultPageSize
		fc.Args["first"] = &n
	}
	return next(ctx)
}

// presentError gives every error a code in extensions.code. Domain errors
// keep their message; anything unexpected is logged in full and reported
// as "internal error", so no SQL or internal detail reaches a client.
func presentError(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil {
		// Raised by gqlgen itself: parsing, validation, complexity, arguments.
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		if _, ok := gqlErr.Extensions["code"]; !ok {
			gqlErr.Extensions["code"] = string(problem.CodeBadUserInput)
		}
		return gqlErr
	}
	out := graphql.DefaultErrorPresenter(ctx, err)
	if out.Extensions == nil {
		out.Extensions = map[string]any{}
	}
	var we *problem.Error
	switch {
	case errors.As(err, &we):
		out.Message = we.Message
		out.Extensions["code"] = string(we.Code)
		if we.Detail != "" {
			out.Extensions["detail"] = we.Detail
		}
		if we.Field != "" {
			out.Extensions["field"] = we.Field
		}
	case errors.Is(err, auth.ErrUnauthenticated):
		out.Message = "authentication required"
		out.Extensions["code"] = string(problem.CodeUnauthenticated)
	case ent.IsNotFound(err):
		out.Message = "not found"
		out.Extensions["code"] = string(problem.CodeNotFound)
	case ent.IsValidationError(err):
		var ve *ent.ValidationError
		errors.As(err, &ve)
		out.Message = fmt.Sprintf("invalid value for %s", ve.Name)
		out.Extensions["code"] = string(problem.CodeBadUserInput)
		out.Extensions["field"] = ve.Name
	case ent.IsConstraintError(err):
		out.Message = "conflicts with existing data"
		out.Extensions["code"] = string(problem.CodeConflict)
	case errors.Is(err, context.DeadlineExceeded):
		out.Message = "request timed out"
		out.Extensions["code"] = "TIMEOUT"
	default:
		if gqlErr != nil && len(gqlErr.Path) > len(graphql.GetPath(ctx)) {
			// An argument gqlgen could not decode (a bad cursor or enum):
			// its path runs below the field into the argument.
			out.Message = fmt.Sprintf("invalid value for argument %s", gqlErr.Path[len(gqlErr.Path)-1])
			out.Extensions["code"] = string(problem.CodeBadUserInput)
			return out
		}
		log.ErrorContext(ctx, "graphql: internal error", "err", err, "path", out.Path.String())
		out.Message = "internal error"
		out.Extensions["code"] = "INTERNAL"
	}
	return out
}

// Timeout bounds every request's work.
func Timeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.TimeoutHandler(next, d, `{"errors":[{"message":"request timed out","extensions":{"code":"TIMEOUT"}}]}`)
	}
}
