package workflow

import (
	"context"
	"fmt"

	"lienthong/auth"
	"lienthong/ent"
)

// MaxImport bounds one importDossiers call.
const MaxImport = 500

// ImportStatus is what became of one imported dossier.
type ImportStatus string

// Import statuses.
const (
	ImportCreated ImportStatus = "CREATED" // received now
	ImportExisted ImportStatus = "EXISTED" // received before with the same content: nothing changed
	ImportError   ImportStatus = "ERROR"   // refused: see the error
)

// ImportResult answers for one input of an import, by its position.
type ImportResult struct {
	Index   int
	Status  ImportStatus
	Dossier *ent.Dossier
	Error   *Error
}

// Import receives dossiers pushed by the one-stop electronic system or the
// national portal (INTEGRATION), each in its own transaction and each
// idempotent by externalCode and source, which every input must carry. One
// refused input never holds up the others: each gets its own answer.
func (e *Engine) Import(ctx context.Context, inputs []*ReceiveInput) ([]*ImportResult, error) {
	v, err := requireRole(ctx, auth.RoleIntegration)
	if err != nil {
		return nil, err
	}
	if len(inputs) > MaxImport {
		return nil, badInput("inputs", "at most %d dossiers per import (got %d): split the batch", MaxImport, len(inputs))
	}
	out := make([]*ImportResult, len(inputs))
	for i, in := range inputs {
		r := &ImportResult{Index: i}
		out[i] = r
		if in.ExternalCode == nil || in.Source == nil {
			r.Status, r.Error = ImportError, badInput(fmt.Sprintf("inputs[%d].externalCode", i), "an imported dossier needs externalCode and source, so that a retry does not receive it twice")
			continue
		}
		d, created, err := e.receive(ctx, v, *in)
		switch {
		case err == nil && created:
			r.Status, r.Dossier = ImportCreated, d
		case err == nil:
			r.Status, r.Dossier = ImportExisted, d
		default:
			r.Status = ImportError
			if de, ok := AsError(err); ok {
				r.Error = de
				if r.Error.Field != "" {
					c := *de
					c.Field = fmt.Sprintf("inputs[%d].%s", i, trimInput(de.Field))
					r.Error = &c
				}
			} else {
				e.log.ErrorContext(ctx, "import", "index", i, "err", err)
				r.Error = &Error{Code: CodeInternal, Message: "internal error: retry this dossier"}
			}
		}
	}
	return out, nil
}

func trimInput(field string) string {
	const p = "input."
	if len(field) > len(p) && field[:len(p)] == p {
		return field[len(p):]
	}
	return field
}
