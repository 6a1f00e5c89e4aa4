// Package workflow is the engine: the one way to change a dossier. Its
// event table (events.go) says which events may be fired in which state,
// by whom, with what input and to what effect; intake numbers and receives
// dossiers; every transition, intake and sweeper record is one transaction
// that writes the dossier, its legs, its history event, the reports'
// roll-ups and the outbound message together. Working time comes from
// package calendar (the engine loads the overrides from the database),
// what the reports count from package rollup. It knows nothing of HTTP or
// GraphQL.
package workflow
