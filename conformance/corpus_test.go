package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gbggen/gbggen/generator/schema"
)

// schemaCase is one schema of the corpus and its instances.
type schemaCase struct {
	suite     string // "schemastore", "draft7", "draft2020-12"
	optional  bool   // from the suite's optional tests, judged by the suite's own verdicts
	name      string // schema name or file#group
	keyword   string // test-suite file name (optional/… for optional tests), used to group misses
	format    string // the format the group's schema asserts, when that is all it says
	pkg       string
	path      string // schema file
	draft     schema.Draft
	instances []*instance

	genErr   string
	panicked string
	buildErr string
	remote   bool // skipped: needs remote references
	refErr   string
}

type instance struct {
	id   int
	name string
	data []byte
	want bool // reference verdict (for optional suite tests, the suite's)
	// valid is the suite's own verdict (test-suite instances only).
	valid bool
	// second is another authority's verdict, where there is one: SchemaStore's label (the
	// sample is under valid/ or invalid/), or for a required test of a format the verdict
	// the suite's optional format tests give the same string. Where it and the reference
	// differ, the instance is disputed and matching either counts (judged).
	second *bool

	ran      bool
	decoded  bool
	got      bool
	encoded  string
	err      string
	panicked string
}

func corpusDir(t *testing.T) string {
	dir := os.Getenv("GBGGEN_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing at %s (set GBGGEN_CORPUS): %v", dir, err)
		}
		t.Skipf("corpus missing at %s (set GBGGEN_CORPUS)", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

var (
	nonIdent      = regexp.MustCompile(`[^a-z0-9]+`)
	metaschemaRef = regexp.MustCompile(`"\$ref"\s*:\s*"https?://json-schema\.org/`)
	metaschemaErr = regexp.MustCompile(`remote \$ref "https?://json-schema\.org/`)
)

func pkgName(prefix, name string) string {
	return prefix + "_" + strings.Trim(nonIdent.ReplaceAllString(strings.ToLower(name), "_"), "_")
}

func schemaStoreCases(t *testing.T, corpus string) []*schemaCase {
	dir := filepath.Join(corpus, "schemastore")
	files, err := filepath.Glob(filepath.Join(dir, "schemas", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no SchemaStore schemas in %s: %v", dir, err)
	}
	sort.Strings(files)
	var out []*schemaCase
	used := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		pkg := pkgName("ss", name)
		for used[pkg] {
			pkg += "x"
		}
		used[pkg] = true
		c := &schemaCase{suite: "schemastore", name: name, pkg: pkg, path: f}
		for _, kind := range []string{"valid", "invalid"} {
			inst, _ := filepath.Glob(filepath.Join(dir, kind, name, "*.json"))
			sort.Strings(inst)
			for _, p := range inst {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				label := kind == "valid"
				c.instances = append(c.instances, &instance{name: kind + "/" + filepath.Base(p), data: data, second: &label})
			}
		}
		out = append(out, c)
	}
	return out
}

type suiteGroup struct {
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Tests       []struct {
		Description string          `json:"description"`
		Data        json.RawMessage `json:"data"`
		Valid       bool            `json:"valid"`
	} `json:"tests"`
}

// suiteCases writes every group's schema to its own file under work: the draft's
// required tests, then its optional ones (optional/*.json and optional/format/*.json).
func suiteCases(t *testing.T, corpus, draftDir, work string) []*schemaCase {
	dir := filepath.Join(corpus, "json-schema-test-suite", "tests", draftDir)
	var files []string
	for _, sub := range []string{"", "optional", filepath.Join("optional", "format")} {
		m, err := filepath.Glob(filepath.Join(dir, sub, "*.json"))
		if err != nil || len(m) == 0 {
			t.Fatalf("no test-suite files in %s: %v", filepath.Join(dir, sub), err)
		}
		sort.Strings(m)
		files = append(files, m...)
	}
	draft := schema.Draft2020
	prefix := "t20"
	if draftDir == "draft7" {
		draft, prefix = schema.Draft7, "t7"
	}
	var out []*schemaCase
	formatVerdicts := map[string]bool{} // format + "\x00" + instance, from optional/format
	for _, f := range files {
		var groups []suiteGroup
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &groups); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rel, _ := filepath.Rel(dir, f)
		kw := strings.TrimSuffix(filepath.ToSlash(rel), ".json")
		for i, g := range groups {
			c := &schemaCase{suite: draftDir, name: fmt.Sprintf("%s#%d %s", kw, i, g.Description), keyword: kw,
				optional: strings.HasPrefix(kw, "optional/"),
				pkg:      pkgName(prefix, fmt.Sprintf("%s_%d", kw, i)), draft: draft}
			c.path = filepath.Join(work, "schemas", c.pkg+".json")
			if err := os.WriteFile(c.path, g.Schema, 0o644); err != nil {
				t.Fatal(err)
			}
			// The suite's localhost:1234 remotes are mapped to its remotes directory
			// (refMap); the published metaschemas are not in the corpus.
			c.remote = metaschemaRef.Match(g.Schema)
			c.format = formatOf(g.Schema)
			for _, tc := range g.Tests {
				c.instances = append(c.instances, &instance{name: tc.Description, data: tc.Data, valid: tc.Valid})
				if c.format != "" && strings.HasPrefix(kw, "optional/format/") {
					formatVerdicts[c.format+"\x00"+string(tc.Data)] = tc.Valid
				}
			}
			out = append(out, c)
		}
	}
	for _, c := range out {
		if c.keyword != "format" || c.format == "" {
			continue
		}
		for _, in := range c.instances {
			if v, ok := formatVerdicts[c.format+"\x00"+string(in.data)]; ok {
				in.second = &v
			}
		}
	}
	return out
}

// formatOf returns the format a group's schema asserts, when that is all it says besides
// $schema.
func formatOf(raw []byte) string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	delete(m, "$schema")
	f, _ := m["format"].(string)
	if len(m) != 1 {
		return ""
	}
	return f
}
