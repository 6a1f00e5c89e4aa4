package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits on an operation's shape, beside its complexity: page sizes are
// priced by the complexity limit, but a deep or wide query can be cheap
// by that measure and still costly to plan, resolve and answer.
const (
	MaxDepth      = 12 // nested selections, introspection aside
	MaxAliases    = 30 // fields queried under another name
	MaxRootFields = 20 // fields at the top of one operation
)

// limitShape refuses operations beyond the shape limits before anything
// is resolved, with a code a client can act on.
func limitShape(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil {
		return next(ctx)
	}
	refuse := func(code, format string, args ...any) graphql.ResponseHandler {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
			Message:    fmt.Sprintf(format, args...),
			Extensions: map[string]any{"code": code},
		}}})
	}
	if n := len(oc.Operation.SelectionSet); n > MaxRootFields {
		return refuse("TOO_MANY_ROOT_FIELDS", "the operation asks for %d root fields; at most %d", n, MaxRootFields)
	}
	s := &shape{seen: map[string]bool{}}
	s.walk(oc.Operation.SelectionSet, 1)
	switch {
	case s.depth > MaxDepth:
		return refuse("QUERY_TOO_DEEP", "the operation nests %d levels; at most %d", s.depth, MaxDepth)
	case s.aliases > MaxAliases:
		return refuse("TOO_MANY_ALIASES", "the operation uses %d aliases; at most %d", s.aliases, MaxAliases)
	}
	return next(ctx)
}

type shape struct {
	depth, aliases int
	seen           map[string]bool // fragments on the current path (validation forbids cycles; this bounds the walk anyway)
}

func (s *shape) walk(set ast.SelectionSet, depth int) {
	for _, sel := range set {
		switch f := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(f.Name, "__") {
				continue // introspection has its own fixed shape
			}
			if f.Alias != "" && f.Alias != f.Name {
				s.aliases++
			}
			s.depth = max(s.depth, depth)
			s.walk(f.SelectionSet, depth+1)
		case *ast.InlineFragment:
			s.walk(f.SelectionSet, depth)
		case *ast.FragmentSpread:
			if f.Definition == nil || s.seen[f.Name] {
				continue
			}
			s.seen[f.Name] = true
			s.walk(f.Definition.SelectionSet, depth)
			delete(s.seen, f.Name)
		}
	}
}
