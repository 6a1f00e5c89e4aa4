// Package graph is the GraphQL layer: schema, generated executor and thin
// resolvers that call the workflow engine or read through ent.
package graph

import (
	"lienthong/ent"
	"lienthong/report"
	"lienthong/workflow"
)

//go:generate go tool gqlgen

// Resolver is the root resolver: the one place where dependencies are wired.
type Resolver struct {
	client   *ent.Client
	engine   *workflow.Engine
	reporter *report.Reporter
}

// NewResolver wires the resolvers to the data model, the workflow engine
// and the reports.
func NewResolver(client *ent.Client, engine *workflow.Engine, reporter *report.Reporter) *Resolver {
	return &Resolver{client: client, engine: engine, reporter: reporter}
}
