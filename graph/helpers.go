package graph

import "lienthong/ent"

// nilIfNotFound turns a missing row into a null result.
func nilIfNotFound[T any](v *T, err error) (*T, error) {
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}
