package workflow

import (
	"context"
	"fmt"
	"strings"

	"lienthong/auth"
	"lienthong/ent"
	"lienthong/problem"
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
	Error   *problem.Error
}

// importChunk is how many checked dossiers one import transaction writes.
const importChunk = 50

// Import receives dossiers pushed by the one-stop electronic system or the
// national portal (INTEGRATION), each idempotent by externalCode and
// source, which every input must carry. One refused input never holds up
// the others: each gets its own answer. Checked inputs are written 50 to a
// transaction; should one of them fail in the database (say, the same
// external code arriving twice at once), that group is written again one
// dossier per transaction.
func (e *Engine) Import(ctx context.Context, inputs []*ReceiveInput) ([]*ImportResult, error) {
	v, err := auth.RequireRole(ctx, auth.RoleIntegration)
	if err != nil {
		return nil, err
	}
	if len(inputs) > MaxImport {
		return nil, problem.BadInput("inputs", "at most %d dossiers per import (got %d): split the batch", MaxImport, len(inputs))
	}
	out := make([]*ImportResult, len(inputs))
	seen := &lookups{desks: map[string]*ent.Agency{}, procs: map[string]*ent.Procedure{}}
	for start := 0; start < len(inputs); start += importChunk {
		type checked struct {
			i int
			p *intake
		}
		var todo []checked
		chunk := inputs[start:min(start+importChunk, len(inputs))]
		if err := seen.fetchIntakes(auth.SystemContext(ctx), e.client, chunk); err != nil {
			return nil, err
		}
		for i := start; i < min(start+importChunk, len(inputs)); i++ {
			in := inputs[i]
			out[i] = &ImportResult{Index: i}
			if n := normalizeReceive(*in); n.ExternalCode == nil || n.Source == nil {
				out[i].Status, out[i].Error = ImportError, problem.BadInput(fmt.Sprintf("inputs[%d].externalCode", i), "an imported dossier needs externalCode and source, so that a retry does not receive it twice")
				continue
			}
			p, existing, err := e.prepare(ctx, v, *in, seen)
			switch {
			case err != nil:
				e.importFailed(ctx, out[i], err)
			case existing != nil:
				out[i].Status, out[i].Dossier = ImportExisted, existing
			default:
				todo = append(todo, checked{i, p})
			}
		}
		if len(todo) == 0 {
			continue
		}
		ps := make([]*intake, len(todo))
		for k, c := range todo {
			ps[k] = c.p
		}
		var made []*ent.Dossier
		err := e.inTx(ctx, func(tx *ent.Tx) error {
			var err error
			made, err = e.createDossiers(ctx, tx, v, ps)
			return err
		})
		for k, c := range todo {
			if err == nil {
				out[c.i].Status, out[c.i].Dossier = ImportCreated, made[k].Unwrap()
				continue
			}
			d, created, err := e.receive(ctx, v, *inputs[c.i])
			switch {
			case err != nil:
				e.importFailed(ctx, out[c.i], err)
			case created:
				out[c.i].Status, out[c.i].Dossier = ImportCreated, d
			default:
				out[c.i].Status, out[c.i].Dossier = ImportExisted, d
			}
		}
	}
	return out, nil
}

// importFailed answers for a refused input with its error, the input at
// fault named by its position.
func (e *Engine) importFailed(ctx context.Context, r *ImportResult, err error) {
	r.Status = ImportError
	de, ok := problem.As(err)
	if !ok {
		e.log.ErrorContext(ctx, "import", "index", r.Index, "err", err)
		r.Error = &problem.Error{Code: problem.CodeInternal, Message: "internal error: retry this dossier"}
		return
	}
	r.Error = de
	if de.Field != "" {
		c := *de
		c.Field = fmt.Sprintf("inputs[%d].%s", r.Index, strings.TrimPrefix(de.Field, "input."))
		r.Error = &c
	}
}
