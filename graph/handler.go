package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

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
	// ComplexityLimit caps a query's cost (see the price list in cost.go);
	// 0 means DefaultComplexityLimit.
	ComplexityLimit int
	Logger          *slog.Logger
	// Websocket, when set, serves subscriptions over websocket
	// (graphql-transport-ws and the older graphql-ws).
	Websocket *Websocket
}

// publicFields may be queried without a token: tracking by code, and the
// working calendar and its arithmetic (public as GET /calendar/{year}.ics
// is: an applicant may ask when a result filed today would be due).
var publicFields = map[string]bool{
	"__schema": true, "__type": true, "__typename": true, "trackDossier": true,
	"calendarYear": true, "workingDeadline": true, "workingMinutesBetween": true,
}

// NewHandler returns the GraphQL handler with its limits, error presenter
// and authentication gate.
func NewHandler(r *Resolver, opts Options) *handler.Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ComplexityLimit == 0 {
		opts.ComplexityLimit = DefaultComplexityLimit
	}
	cfg := Config{Resolvers: r}
	costs(&cfg.Complexity)
	srv := handler.New(NewExecutableSchema(cfg))
	if ws := opts.Websocket; ws != nil {
		if ws.Recheck <= 0 {
			ws.Recheck = time.Minute
		}
		if ws.PerOfficer <= 0 {
			ws.PerOfficer = 5
		}
		if ws.PerSocket <= 0 {
			ws.PerSocket = 10
		}
		r.perSocket = ws.PerSocket
		open := &officers{open: map[string]int{}}
		srv.AddTransport(transport.Websocket{
			Implementation: closeCoded{transport.CoderWebsocketImplementation{
				AcceptOptions: coderws.AcceptOptions{OriginPatterns: ws.OriginPatterns},
			}},
			InitTimeout:           10 * time.Second,
			KeepAlivePingInterval: 15 * time.Second,
			InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
				return ws.initSocket(ctx, p, open, opts.Logger)
			},
		})
	}
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	docs := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(docs)
	srv.SetParserTokenLimit(ParserTokenLimit)
	srv.SetDisableSuggestion(!opts.Dev)
	if opts.Dev {
		srv.Use(extension.Introspection{})
	} else {
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	// After the persisted query is filled in, before gqlgen parses and
	// validates the document.
	srv.Use(shapeLimits{introspection: opts.Dev, cache: docs})
	srv.Use(&costLimit{limit: opts.ComplexityLimit})
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

// rulesWithoutSuggestions are gqlgen's validation rules with none that
// suggests names of the schema ("Did you mean first?"): arguments, types,
// enum values and input fields. gqlgen itself swaps the rules of fields
// and scalar leaves (SetDisableSuggestion).
func rulesWithoutSuggestions() *rules.Rules {
	rs := rules.NewDefaultRules()
	for _, r := range []struct {
		name    string
		without core.Rule
	}{
		{"KnownArgumentNames", rules.KnownArgumentNamesRuleWithoutSuggestions},
		{"KnownTypeNames", rules.KnownTypeNamesRuleWithoutSuggestions},
		{"ValuesOfCorrectType", rules.ValuesOfCorrectTypeRuleWithoutSuggestions},
	} {
		rs.RemoveRule(r.name)
		rs.AddRule(r.without.Name, r.without.RuleFunc)
	}
	return rs
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
// over the maximum (an error, not a silent cap). Once the request's context
// has ended, it resolves no more fields.
func pageSize(ctx context.Context, next graphql.Resolver) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
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
	case errors.Is(err, context.Canceled):
		// The client went away: nobody reads this, and nothing failed.
		out.Message = "request cancelled"
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
