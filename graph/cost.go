package graph

import (
	"context"
	"fmt"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"lienthong/calendar"
	"lienthong/report"
)

// The price list of the complexity limit. A field costs 1 plus what is
// selected under it, with these exceptions:
//   - a connection (a field with first and last) costs 1 plus its page
//     size times what is selected under it: first or last, the larger if
//     both, DefaultPageSize if neither, clamped to 0..MaxPageSize (a page
//     beyond that is refused when it runs);
//   - nodes(ids) costs 1 plus the number of ids times what is selected;
//   - a report (performance, performanceTrend, serviceIndex, headRating)
//     costs ReportDayCost a day of its period on top.
//
// Introspection (__schema) is free, as in gqlgen.
const (
	DefaultComplexityLimit = 5000
	ReportDayCost          = 2
)

// CodeComplexity is the refusal of an operation over the complexity limit
// (gqlgen's own code).
const CodeComplexity = "COMPLEXITY_LIMIT_EXCEEDED"

// costs registers the functions of the fields priced by their arguments
// (gqlgen passes them decoded); connections are priced by shape, in
// costWalker.field, so that every connection is, whoever adds it.
func costs(c *ComplexityRoot) {
	c.Query.Nodes = func(child int, ids []int) int {
		return satAdd(1, satMul(len(ids), child))
	}
	c.Query.Performance = func(child int, period report.PeriodInput, _ report.GroupBy, _ report.View, _ []int) int {
		return reportCost(child, period)
	}
	c.Query.PerformanceTrend = func(child int, period report.PeriodInput, _ report.Interval, _ report.View, _ *int) int {
		return reportCost(child, period)
	}
	c.Query.ServiceIndex = func(child int, period report.PeriodInput, _ *int) int {
		return reportCost(child, period)
	}
	c.Query.HeadRating = func(child int, year int) int {
		return reportCost(child, report.PeriodInput{Year: &year})
	}
}

// reportCost prices a report by the days of its period; a period the
// report refuses costs what is selected.
func reportCost(child int, period report.PeriodInput) int {
	days := 0
	if p, err := period.Resolve(calendar.VietnamLocation()); err == nil {
		days = int(math.Ceil(p.To.Sub(p.From).Hours() / 24))
	}
	return satAdd(satAdd(1, child), satMul(ReportDayCost, days))
}

// costLimit refuses operations over the complexity limit before they run.
// It replaces gqlgen's ComplexityLimit extension (same name, code and
// statistics), whose walk expands every fragment spread again and cannot
// be stopped: here each fragment is priced once, and the walk stops when
// the request's context ends.
type costLimit struct {
	limit int
	es    graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &costLimit{}

func (c *costLimit) ExtensionName() string { return "ComplexityLimit" }

func (c *costLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

func (c *costLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	cost, err := operationCost(ctx, c.es, oc.Operation, oc.Variables)
	if err != nil {
		return &gqlerror.Error{Message: "request timed out", Extensions: map[string]any{"code": "TIMEOUT"}}
	}
	oc.Stats.SetExtension(c.ExtensionName(), &extension.ComplexityStats{Complexity: cost, ComplexityLimit: c.limit})
	if cost > c.limit {
		return &gqlerror.Error{
			Message:    fmtCost(cost, c.limit),
			Extensions: map[string]any{"code": CodeComplexity},
		}
	}
	return nil
}

func fmtCost(cost, limit int) string {
	if cost == maxInt {
		return fmt.Sprintf("operation has an unbounded complexity, which exceeds the limit of %d", limit)
	}
	return fmt.Sprintf("operation has complexity %d, which exceeds the limit of %d", cost, limit)
}

// operationCost prices a validated operation with its variables.
func operationCost(ctx context.Context, es graphql.ExecutableSchema, op *ast.OperationDefinition, vars map[string]any) (int, error) {
	if op == nil {
		return 0, nil
	}
	w := &costWalker{ctx: ctx, es: es, schema: es.Schema(), vars: vars, memo: map[string]int{}}
	cost := w.set(op.SelectionSet)
	return cost, w.err
}

// costWalker prices selection sets as gqlgen's complexity walker does
// (custom functions first, the costliest implementation of an interface's
// field), with connections multiplied by their page size, each fragment
// priced once (its fields and their arguments are the same wherever it is
// spread) and a stop when the context ends.
type costWalker struct {
	ctx    context.Context
	es     graphql.ExecutableSchema
	schema *ast.Schema
	vars   map[string]any
	memo   map[string]int
	err    error
}

func (w *costWalker) set(set ast.SelectionSet) int {
	cost := 0
	for _, sel := range set {
		if w.err != nil {
			return 0
		}
		switch s := sel.(type) {
		case *ast.Field:
			cost = satAdd(cost, w.field(s))
		case *ast.InlineFragment:
			cost = satAdd(cost, w.set(s.SelectionSet))
		case *ast.FragmentSpread:
			c, ok := w.memo[s.Name]
			if !ok && s.Definition != nil {
				c = w.set(s.Definition.SelectionSet)
				w.memo[s.Name] = c
			}
			cost = satAdd(cost, c)
		}
	}
	return cost
}

func (w *costWalker) field(f *ast.Field) int {
	if err := w.ctx.Err(); err != nil {
		w.err = err
		return 0
	}
	if f.Definition == nil || f.ObjectDefinition == nil {
		return 1
	}
	def := w.schema.Types[f.Definition.Type.Name()]
	if def == nil || def.Name == "__Schema" {
		return 0
	}
	child := 0
	switch def.Kind {
	case ast.Object, ast.Interface, ast.Union:
		child = w.set(f.SelectionSet)
	}
	var args map[string]any
	if len(f.Definition.Arguments) > 0 {
		args = f.ArgumentMap(w.vars)
	}
	if f.ObjectDefinition.Kind != ast.Interface {
		return w.fieldCost(f, f.ObjectDefinition.Name, child, args)
	}
	// An interface's field costs what its costliest implementation's does.
	cost := 0
	for _, t := range w.schema.GetPossibleTypes(f.ObjectDefinition) {
		cost = max(cost, w.fieldCost(f, t.Name, child, args))
	}
	return cost
}

func (w *costWalker) fieldCost(f *ast.Field, typeName string, child int, args map[string]any) int {
	if c, ok := w.es.Complexity(w.ctx, typeName, f.Name, child, args); ok && c >= 1 {
		return c
	}
	if page, ok := pageOf(f.Definition, args); ok {
		return satAdd(1, satMul(page, child))
	}
	return satAdd(1, child)
}

// pageOf is the page size a connection field is asked for: first or last
// (the larger if both), DefaultPageSize if neither, within 0..MaxPageSize.
func pageOf(def *ast.FieldDefinition, args map[string]any) (int, bool) {
	if def.Arguments.ForName("first") == nil || def.Arguments.ForName("last") == nil {
		return 0, false
	}
	page, given := 0, false
	for _, name := range []string{"first", "last"} {
		v, ok := args[name]
		if !ok || v == nil {
			continue
		}
		n, err := graphql.UnmarshalInt(v)
		if err != nil {
			continue
		}
		page, given = max(page, n), true
	}
	if !given {
		page = DefaultPageSize
	}
	return min(max(page, 0), MaxPageSize), true
}

// satMul multiplies two non-negative counts, saturating instead of
// overflowing.
func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > maxInt/b {
		return maxInt
	}
	return a * b
}
