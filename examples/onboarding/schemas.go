package main

import (
	"embed"
	"encoding/json"
	"sort"

	"github.com/gbggen/gbggen/validate"
)

// The schemas the generated code comes from: the journey (context) schema and one schema per
// task, as the GBG GO dashboard and task/schema give them.
//
//go:embed schemas/*.json schemas/tasks/*.json
var schemaFiles embed.FS

// The tasks of the Onboarding journey, named by the titles of their schemas.
const (
	personalDetailsTitle = "Personal details"
	addressTitle         = "Address"
	contactTitle         = "Contact details"
	documentTitle        = "Identity document"
)

var knownTasks = []struct{ title, file string }{
	{personalDetailsTitle, "tasks/personal-details.json"},
	{addressTitle, "tasks/address.json"},
	{contactTitle, "tasks/contact.json"},
	{documentTitle, "tasks/document.json"},
}

// schemaTitle returns a schema's title, or "".
func schemaTitle(raw json.RawMessage) string {
	var s struct {
		Title string `json:"title"`
	}
	_ = json.Unmarshal(raw, &s)
	return s.Title
}

// requiredLeaves lists the JSON Pointers of the values a schema requires, following
// required and properties down to the innermost required members.
func requiredLeaves(raw json.RawMessage) []string {
	var doc any
	if json.Unmarshal(raw, &doc) != nil {
		return nil
	}
	var out []string
	var walk func(s any, at string)
	walk = func(s any, at string) {
		m, _ := s.(map[string]any)
		req, _ := m["required"].([]any)
		props, _ := m["properties"].(map[string]any)
		if len(req) == 0 {
			if at != "" {
				out = append(out, at)
			}
			return
		}
		for _, r := range req {
			name, _ := r.(string)
			walk(props[name], at+"/"+validate.EscapePointer(name))
		}
	}
	walk(doc, "")
	sort.Strings(out)
	return out
}
