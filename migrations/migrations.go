// Package migrations embeds the versioned schema migrations, one directory
// per dialect, generated from the ent schema by `make migration`.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
