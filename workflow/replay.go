package workflow

// The performance layer of a transition. A transition plans on the dossier
// as this process last wrote it (see dossierCache) and, once its versioned
// update has won, returns the dossier as written without reading it back:
// the dossier read with the planned mutation applied (applied), the
// mutation replayed onto the transaction's update (copyMutation). The
// version proves nobody changed the row in between. Tests turn on
// Config.CheckWrites, which reads the row back and compares (dossierDiff).
// Reading a dossier before and after each transition cost two statements
// of the eight a transfer sends.

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"lienthong/ent"
	"lienthong/ent/dossier"
)

// dossierDiff names the first field where a and b differ ("" if none);
// times are compared as instants.
func dossierDiff(a, b *ent.Dossier) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for name, i := range dossierFields() {
		fa, fb := va.Field(i), vb.Field(i)
		if fa.Kind() == reflect.Pointer {
			if fa.IsNil() != fb.IsNil() {
				return fmt.Sprintf("%s: %v against %v", name, fa, fb)
			}
			if fa.IsNil() {
				continue
			}
			fa, fb = fa.Elem(), fb.Elem()
		}
		if ta, ok := fa.Interface().(time.Time); ok {
			if !ta.Equal(fb.Interface().(time.Time)) {
				return fmt.Sprintf("%s: %v against %v", name, ta, fb)
			}
			continue
		}
		if !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			return fmt.Sprintf("%s: %v against %v", name, fa, fb)
		}
	}
	return ""
}

// dossierFields maps a dossier's column names to its struct fields.
var dossierFields = sync.OnceValue(func() map[string]int {
	out := map[string]int{}
	rt := reflect.TypeFor[ent.Dossier]()
	for i := range rt.NumField() {
		if name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); dossier.ValidColumn(name) {
			out[name] = i
		}
	}
	return out
})

// applied returns a copy of d with the fields m sets, adds to and clears,
// as the database holds them after m (every value m writes is computed
// here, none by the database). It reports false for a field it cannot map.
func applied(d *ent.Dossier, m *ent.DossierMutation) (*ent.Dossier, bool) {
	if _, ok := m.AppendedComponents(); ok {
		return nil, false // appended to the stored JSON: read it back
	}
	c := *d
	rv := reflect.ValueOf(&c).Elem()
	fields := dossierFields()
	field := func(name string) (reflect.Value, bool) {
		i, ok := fields[name]
		if !ok {
			return reflect.Value{}, false
		}
		return rv.Field(i), true
	}
	for _, name := range m.Fields() {
		f, ok := field(name)
		v, _ := m.Field(name)
		val := reflect.ValueOf(v)
		if !ok || !val.IsValid() {
			return nil, false
		}
		if f.Kind() == reflect.Pointer {
			p := reflect.New(f.Type().Elem())
			if !val.Type().AssignableTo(p.Elem().Type()) {
				return nil, false
			}
			p.Elem().Set(val)
			f.Set(p)
		} else if val.Type().AssignableTo(f.Type()) {
			f.Set(val)
		} else {
			return nil, false
		}
	}
	for _, name := range m.AddedFields() {
		f, ok := field(name)
		v, _ := m.AddedField(name)
		delta, isInt := v.(int)
		if !ok || !isInt || f.Kind() != reflect.Int {
			return nil, false
		}
		f.SetInt(f.Int() + int64(delta))
	}
	for _, name := range m.ClearedFields() {
		f, ok := field(name)
		if !ok || f.Kind() != reflect.Pointer {
			return nil, false
		}
		f.SetZero()
	}
	return &c, true
}

// copyMutation sets on dst every field src sets, adds or clears.
func copyMutation(dst, src *ent.DossierMutation) error {
	for _, f := range src.Fields() {
		v, _ := src.Field(f)
		if err := dst.SetField(f, v); err != nil {
			return err
		}
	}
	for _, f := range src.AddedFields() {
		v, _ := src.AddedField(f)
		if err := dst.AddField(f, v); err != nil {
			return err
		}
	}
	for _, f := range src.ClearedFields() {
		if err := dst.ClearField(f); err != nil {
			return err
		}
	}
	return nil
}
