// Package workflow owns the dossier lifecycle: the state machine, the
// working-day calendar and deadlines, intake, transitions and the sweeper.
// It knows nothing of HTTP or GraphQL.
package workflow
