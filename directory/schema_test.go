package directory_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"lienthong/demo"
	"lienthong/directory"
)

// The schema an editor checks a file with accepts the demo province and
// refuses what Import refuses by shape.
func TestSchema(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(directory.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("directory.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("directory.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, src []byte) error {
		t.Helper()
		var v any
		if err := yaml.Unmarshal(src, &v); err != nil {
			t.Fatal(err)
		}
		// As JSON, the way an editor's YAML support hands it over.
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return sch.Validate(inst)
	}
	src, err := demo.Directory()
	if err != nil {
		t.Fatal(err)
	}
	yml, err := directory.Encode(src.File)
	if err != nil {
		t.Fatal(err)
	}
	if err := check("demo", yml); err != nil {
		t.Errorf("the demo province does not validate: %v", err)
	}
	for name, bad := range map[string]string{
		"unknown key":        "version: 1\nagencys: []\n",
		"bad level":          "version: 1\nagencies: [{code: 000.00.00.H43, name: X, level: VILLAGE}]\n",
		"step without time":  "version: 1\nprocedures: [{code: '1', name: X, field: Y, limit: {legal: 1, province: 1}, channels: [DIRECT], route: [{role: LEAD}]}]\n",
		"agency and kind":    "version: 1\nprocedures: [{code: '1', name: X, field: Y, limit: {legal: 1, province: 1}, channels: [DIRECT], route: [{role: LEAD, days: 1, agency: A1, kind: tax}]}]\n",
		"unknown role":       "version: 1\nofficers: [{subject: s, name: n, agency: A1, roles: [CLERK]}]\n",
		"cut-off not a time": "version: 1\nprocedures: [{code: '1', name: X, field: Y, limit: {legal: 1, province: 1}, channels: [DIRECT], cutoff: '25:00', route: [{role: LEAD, days: 1}]}]\n",
	} {
		if err := check(name, []byte(bad)); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
