package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"lienthong/problem"
)

// limitStrings refuses an operation that carries, anywhere in its
// variables or in its literal arguments, a string with a NUL character or
// not valid UTF-8: PostgreSQL stores and compares neither (a where-filter
// holding one failed inside), and no client means to send them. What the
// engine stores is held to the stricter rules of problem.Text.
func limitStrings(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil {
		return next(ctx)
	}
	names := make([]string, 0, len(oc.Variables))
	for name := range oc.Variables {
		names = append(names, name)
	}
	sort.Strings(names)
	bad := ""
	for _, name := range names {
		if bad = badString(oc.Variables[name], "$"+name); bad != "" {
			break
		}
	}
	if bad == "" && oc.Doc != nil {
		for _, op := range oc.Doc.Operations {
			if bad = badSelection(op.SelectionSet, op.Directives); bad != "" {
				break
			}
		}
		for _, f := range oc.Doc.Fragments {
			if bad == "" {
				bad = badSelection(f.SelectionSet, f.Directives)
			}
		}
	}
	if bad == "" {
		return next(ctx)
	}
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
		Message:    fmt.Sprintf("%s holds a NUL character or is not valid UTF-8 text", bad),
		Extensions: map[string]any{"code": string(problem.CodeBadUserInput), "field": bad},
	}}})
}

// badString is the path of the first string in v (a decoded JSON value)
// holding NUL or invalid UTF-8, or "".
func badString(v any, path string) string {
	switch x := v.(type) {
	case string:
		if strings.ContainsRune(x, 0) || !utf8.ValidString(x) {
			return path
		}
	case []any:
		for i, e := range x {
			if p := badString(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p := badString(k, path); p != "" {
				return p
			}
			if p := badString(x[k], path+"."+k); p != "" {
				return p
			}
		}
	}
	return ""
}

// badSelection is the argument of the first literal string in a selection
// set (or its directives) holding NUL or invalid UTF-8, or "".
func badSelection(set ast.SelectionSet, dirs ast.DirectiveList) string {
	for _, d := range dirs {
		if p := badArguments(d.Arguments, "@"+d.Name); p != "" {
			return p
		}
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if p := badArguments(s.Arguments, s.Name); p != "" {
				return p
			}
			if p := badSelection(s.SelectionSet, s.Directives); p != "" {
				return p
			}
		case *ast.InlineFragment:
			if p := badSelection(s.SelectionSet, s.Directives); p != "" {
				return p
			}
		case *ast.FragmentSpread:
			if p := badSelection(nil, s.Directives); p != "" {
				return p
			}
		}
	}
	return ""
}

func badArguments(args ast.ArgumentList, field string) string {
	for _, a := range args {
		if p := badValue(a.Value, field+"."+a.Name); p != "" {
			return p
		}
	}
	return ""
}

func badValue(v *ast.Value, path string) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		if strings.ContainsRune(v.Raw, 0) || !utf8.ValidString(v.Raw) {
			return path
		}
	case ast.ListValue:
		for i, c := range v.Children {
			if p := badValue(c.Value, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case ast.ObjectValue:
		for _, c := range v.Children {
			if p := badValue(c.Value, path+"."+c.Name); p != "" {
				return p
			}
		}
	}
	return ""
}
