package templates

import (
	"strings"
	"testing"
)

func TestRenderEveryInitTemplate(t *testing.T) {
	data := Init{Journey: "Onboarding", ResourceID: "abc@1", Package: "onboarding", GenDir: "onboarding", Config: "../gbggen.yaml",
		Schema: "schemas/journey.schema.json", TasksDir: "schemas/tasks",
		Output: "onboarding/onboarding.go", Region: "eu", WorkDir: ".", GoMod: "go.mod"}
	listed := map[string]bool{}
	for _, f := range InitFiles {
		listed[f.Template] = true
		out, err := Render(f.Template, data)
		if err != nil {
			t.Fatal(err)
		}
		s := string(out)
		if strings.Contains(s, "[[") || strings.Contains(s, "]]") || strings.Contains(s, "<no value>") {
			t.Errorf("%s: template actions left:\n%s", f.Template, s)
		}
		if !strings.HasSuffix(s, "\n") || strings.HasSuffix(s, "\n\n") {
			t.Errorf("%s does not end with exactly one newline", f.Template)
		}
	}
	for _, n := range Names() {
		if strings.HasPrefix(n, "init/") && !listed[n] {
			t.Errorf("template %s is embedded but not in InitFiles", n)
		}
	}
	wf, _ := Render("init/gbggen-drift.yml.tmpl", data)
	if !strings.Contains(string(wf), "${{ secrets.GBG_CLIENT_SECRET }}") || !strings.Contains(string(wf), "path: schemas/tasks\n") {
		t.Errorf("workflow:\n%s", wf)
	}
}

func TestRenderErrors(t *testing.T) {
	if _, err := Render("init/none.tmpl", Init{}); err == nil {
		t.Error("unknown template")
	}
	if _, err := Render("init/gen.go.tmpl", map[string]string{}); err == nil {
		t.Error("missing field")
	}
}
