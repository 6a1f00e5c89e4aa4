// Package graph is the GraphQL layer: schema, generated executor and thin
// resolvers that call the workflow engine or read through ent.
package graph

import (
	"lienthong/ent"
	"lienthong/workflow"
)

//go:generate go tool gqlgen

// Resolver is the root resolver: the one place where dependencies are wired.
type Resolver struct {
	client *ent.Client
	engine *workflow.Engine
}

// NewResolver wires the resolvers to the data model and the workflow engine.
func NewResolver(client *ent.Client, engine *workflow.Engine) *Resolver {
	return &Resolver{client: client, engine: engine}
}
