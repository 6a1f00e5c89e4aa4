package graph

import (
	"context"

	"lienthong/ent"
	"lienthong/problem"
)

// MaxNodes bounds one nodes(ids:) query, as MaxPageSize bounds a page.
const MaxNodes = 100

// nilIfNotFound turns a missing row into a null result.
func nilIfNotFound[T any](v *T, err error) (*T, error) {
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}

// noders reads up to MaxNodes nodes by id, each through its type's scope.
func noders(ctx context.Context, client *ent.Client, ids []int) ([]ent.Noder, error) {
	if len(ids) > MaxNodes {
		return nil, problem.BadInput("ids", "at most %d ids per nodes query (got %d)", MaxNodes, len(ids))
	}
	return client.Noders(ctx, ids)
}
