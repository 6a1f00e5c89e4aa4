package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Limits on a document's shape, checked on the parsed document before
// gqlgen validates or prices it. A document of 1 KB can spread a fragment
// that spreads another twice, 29 times over (2^29 fields), and both
// gqlgen's complexity walk and some validation rules expand every spread
// again; so each fragment here is counted once and its counts reused
// (memoised), and nothing runs on a document over these limits.
const (
	// ParserTokenLimit bounds the tokens of a document.
	ParserTokenLimit = 20000
	// MaxFragments bounds a document's fragment definitions: the
	// validation of overlapping fields compares the fragments spread
	// together pair by pair.
	MaxFragments = 20
	// MaxFields bounds a document's selections once its fragments are
	// expanded, in every operation and every fragment no operation
	// spreads: each fragment spread and inline fragment counts as one, and
	// each field once, plus once for each inline fragment it is nested in
	// (up to the nearest field), which validation goes through again.
	MaxFields = 500
	// MaxRepeats bounds the fields landing on one response path (a field
	// asked for again, under the same name or alias, directly or through
	// fragments): the validation of overlapping fields compares them pair
	// by pair, and their selections' fields pair by pair too.
	MaxRepeats = 10
	// MaxDepth bounds nested selections, introspection aside.
	MaxDepth = 12
	// MaxAliases bounds the fields queried under another name in one
	// operation, fragments expanded, introspection aside.
	MaxAliases = 30
	// MaxRootFields bounds the fields at the top of one operation,
	// fragments expanded.
	MaxRootFields = 20
)

// Codes of the shape refusals, in extensions.code.
const (
	CodeTooManyFragments      = "TOO_MANY_FRAGMENTS"
	CodeTooManyFields         = "TOO_MANY_FIELDS"
	CodeRepeatedField         = "REPEATED_FIELD"
	CodeTooDeep               = "QUERY_TOO_DEEP"
	CodeTooManyAliases        = "TOO_MANY_ALIASES"
	CodeTooManyRootFields     = "TOO_MANY_ROOT_FIELDS"
	CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"
)

// shapeLimits checks each document against the shape limits before gqlgen
// parses and validates it (an OperationParameterMutator runs first). It
// parses the document once more for that, unless gqlgen's cache of
// validated documents holds it: those passed already.
type shapeLimits struct {
	// introspection allows __schema and __type (dev mode).
	introspection bool
	cache         graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = shapeLimits{}

func (shapeLimits) ExtensionName() string                          { return "ShapeLimits" }
func (shapeLimits) Validate(schema graphql.ExecutableSchema) error { return nil }

func (s shapeLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" {
		return nil
	}
	if s.cache != nil {
		if _, ok := s.cache.Get(ctx, p.Query); ok {
			return nil
		}
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, ParserTokenLimit)
	if err != nil {
		return nil // gqlgen parses it again and reports the error
	}
	return checkShape(doc, s.introspection)
}

// shapeError is a refusal with its code.
func shapeError(code, format string, args ...any) *gqlerror.Error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}
}

// checkShape refuses a parsed (not yet validated) document beyond the
// shape limits. Its work is linear in the document: each fragment is
// measured once, and the one walk that follows spreads again (the count of
// fields per response path) runs only on a document already known to
// expand to at most MaxFields selections.
func checkShape(doc *ast.QueryDocument, introspection bool) *gqlerror.Error {
	m := &measure{fragments: map[string]*ast.FragmentDefinition{}, memo: map[*ast.FragmentDefinition]*size{}}
	for _, f := range doc.Fragments {
		if _, dup := m.fragments[f.Name]; !dup {
			m.fragments[f.Name] = f
		}
	}
	total := 0
	var sizes []*size
	for _, op := range doc.Operations {
		s := m.set(op.SelectionSet, 0)
		sizes = append(sizes, s)
		total = satAdd(total, s.fields)
	}
	// Fragments no operation spreads are validated all the same.
	var unused []*ast.FragmentDefinition
	for _, f := range doc.Fragments {
		if _, seen := m.memo[f]; !seen {
			unused = append(unused, f)
		}
	}
	for _, f := range unused {
		total = satAdd(total, m.fragment(f).fields)
	}
	if total > MaxFields {
		if total == maxInt {
			return shapeError(CodeTooManyFields, "the document expands to more fields than can be counted once its fragments are expanded; at most %d", MaxFields)
		}
		return shapeError(CodeTooManyFields, "the document expands to %d fields once its fragments are expanded; at most %d", total, MaxFields)
	}
	if n := len(doc.Fragments); n > MaxFragments {
		return shapeError(CodeTooManyFragments, "the document defines %d fragments; at most %d", n, MaxFragments)
	}
	for _, s := range sizes {
		switch {
		case s.introspection && !introspection:
			return shapeError(CodeIntrospectionDisabled, "introspection is disabled")
		case s.top > MaxRootFields:
			return shapeError(CodeTooManyRootFields, "the operation asks for %d root fields; at most %d", s.top, MaxRootFields)
		case s.depth > MaxDepth:
			return shapeError(CodeTooDeep, "the operation nests %d levels; at most %d", s.depth, MaxDepth)
		case s.aliases > MaxAliases:
			return shapeError(CodeTooManyAliases, "the operation uses %d aliases; at most %d", s.aliases, MaxAliases)
		}
	}
	for _, f := range unused {
		if m.memo[f].introspection && !introspection {
			return shapeError(CodeIntrospectionDisabled, "introspection is disabled")
		}
	}
	r := &repeats{fragments: m.fragments, onPath: map[string]bool{}}
	for _, op := range doc.Operations {
		if err := r.walk(op.SelectionSet, &pathNode{}); err != nil {
			return err
		}
	}
	for _, f := range unused {
		if err := r.walk(f.SelectionSet, &pathNode{}); err != nil {
			return err
		}
	}
	return nil
}

// size is what a selection set expands to.
type size struct {
	fields        int  // selections, fragments expanded (saturating)
	top           int  // fields at its own level, fragments expanded
	depth         int  // levels of fields below and including its own, introspection aside
	aliases       int  // fields under another name, introspection aside
	introspection bool // asks for __schema or __type
}

func (s *size) add(o *size) {
	s.fields = satAdd(s.fields, o.fields)
	s.top = satAdd(s.top, o.top)
	s.aliases = satAdd(s.aliases, o.aliases)
	s.depth = max(s.depth, o.depth)
	s.introspection = s.introspection || o.introspection
}

// measure sizes selection sets, each fragment once.
type measure struct {
	fragments map[string]*ast.FragmentDefinition
	memo      map[*ast.FragmentDefinition]*size // nil while being measured: a cycle, which validation refuses
}

func (m *measure) fragment(f *ast.FragmentDefinition) *size {
	if s, ok := m.memo[f]; ok {
		if s == nil {
			return &size{}
		}
		return s
	}
	m.memo[f] = nil
	s := m.set(f.SelectionSet, 0)
	m.memo[f] = s
	return s
}

// set sizes a selection set inside inline fragments inline deep (up to
// the nearest field or fragment definition). A field there counts
// 1 + inline times: validation collects the fields of a selection set
// through its inline fragments, and does so again for each inline
// fragment, comparing them pair by pair each time.
func (m *measure) set(set ast.SelectionSet, inline int) *size {
	s := &size{}
	for _, sel := range set {
		switch f := sel.(type) {
		case *ast.Field:
			sub := m.set(f.SelectionSet, 0)
			s.fields = satAdd(s.fields, satAdd(1+inline, sub.fields))
			s.top = satAdd(s.top, 1)
			s.introspection = s.introspection || sub.introspection || f.Name == "__schema" || f.Name == "__type"
			if strings.HasPrefix(f.Name, "__") {
				continue // introspection has its own fixed shape
			}
			if f.Alias != "" && f.Alias != f.Name {
				s.aliases = satAdd(s.aliases, 1)
			}
			s.aliases = satAdd(s.aliases, sub.aliases)
			s.depth = max(s.depth, 1+sub.depth)
		case *ast.InlineFragment:
			s.fields = satAdd(s.fields, 1)
			s.add(m.set(f.SelectionSet, inline+1))
		case *ast.FragmentSpread:
			s.fields = satAdd(s.fields, 1)
			if def := m.fragments[f.Name]; def != nil {
				s.add(m.fragment(def))
			}
		}
	}
	return s
}

// repeats counts the fields landing on each response path, the fields of
// every fragment spread and inline fragment merged where they land.
type repeats struct {
	fragments map[string]*ast.FragmentDefinition
	onPath    map[string]bool // fragments being expanded (cycles, which validation refuses)
}

// pathNode is one response path of the merged selections.
type pathNode struct {
	name   string
	parent *pathNode
	fields int
	kids   map[string]*pathNode
}

func (p *pathNode) String() string {
	var names []string
	for ; p.parent != nil; p = p.parent {
		names = append(names, p.name)
	}
	var b strings.Builder
	for i := len(names) - 1; i >= 0; i-- {
		b.WriteString(names[i])
		if i > 0 {
			b.WriteByte('.')
		}
	}
	return b.String()
}

func (r *repeats) walk(set ast.SelectionSet, at *pathNode) *gqlerror.Error {
	for _, sel := range set {
		switch f := sel.(type) {
		case *ast.Field:
			key := f.Alias
			if key == "" {
				key = f.Name
			}
			if at.kids == nil {
				at.kids = map[string]*pathNode{}
			}
			kid := at.kids[key]
			if kid == nil {
				kid = &pathNode{name: key, parent: at}
				at.kids[key] = kid
			}
			kid.fields++
			if kid.fields > MaxRepeats {
				return shapeError(CodeRepeatedField, "the document asks for %s %d times (fragments expanded); at most %d", kid, kid.fields, MaxRepeats)
			}
			if err := r.walk(f.SelectionSet, kid); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := r.walk(f.SelectionSet, at); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			def := r.fragments[f.Name]
			if def == nil || r.onPath[f.Name] {
				continue
			}
			r.onPath[f.Name] = true
			err := r.walk(def.SelectionSet, at)
			delete(r.onPath, f.Name)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

const maxInt = int(^uint(0) >> 1)

// satAdd adds two non-negative counts, saturating instead of overflowing.
func satAdd(a, b int) int {
	if a > maxInt-b {
		return maxInt
	}
	return a + b
}
