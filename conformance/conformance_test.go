package conformance

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gbggen/gbggen/generator"
	"github.com/gbggen/gbggen/generator/schema"
	"github.com/gbggen/gbggen/internal/modtest"
	"github.com/gbggen/gbggen/validate"
)

var updateBaseline = flag.Bool("update-baseline", false, "rewrite baseline.json with the measured figures")

func TestConformance(t *testing.T) {
	corpus := corpusDir(t)
	work := t.TempDir()
	if err := os.MkdirAll(filepath.Join(work, "schemas"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := schemaStoreCases(t, corpus)
	cases = append(cases, suiteCases(t, corpus, "draft7", work)...)
	cases = append(cases, suiteCases(t, corpus, "draft2020-12", work)...)
	id := 0
	for _, c := range cases {
		for _, in := range c.instances {
			in.id = id
			id++
		}
	}
	refs := refMap(corpus)
	parallel(cases, func(c *schemaCase) {
		if !c.remote {
			reference(c, refs)
			generate(c, work, refs)
		}
	})
	build(t, work, cases)
	drive(t, work, cases)
	f := measure(cases)
	report(t, f, cases)
	checkBaseline(t, f)
}

func parallel(cases []*schemaCase, fn func(*schemaCase)) {
	var wg sync.WaitGroup
	ch := make(chan *schemaCase)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range ch {
				fn(c)
			}
		}()
	}
	for _, c := range cases {
		ch <- c
	}
	close(ch)
	wg.Wait()
}

// refMap maps the remote documents the corpus refers to onto its own copies: the test
// suite's localhost:1234 remotes and SchemaStore's schemas referring to one another. The
// published metaschemas are not in the corpus; groups that need them stay skipped.
func refMap(corpus string) map[string]string {
	return map[string]string{
		"http://localhost:1234/":        filepath.Join(corpus, "json-schema-test-suite", "remotes") + "/",
		"https://json.schemastore.org/": filepath.Join(corpus, "schemastore", "schemas") + "/",
	}
}

// mappedLoader gives the reference validator the same documents as refMap gives gbggen.
type mappedLoader map[string]string

func (m mappedLoader) Load(url string) (any, error) {
	for prefix, dir := range m {
		if rest, ok := strings.CutPrefix(url, prefix); ok {
			f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rest)))
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return jsonschema.UnmarshalJSON(f)
		}
	}
	return nil, fmt.Errorf("%s is not in the corpus", url)
}

// reference labels every instance with the full validator's verdict.
func reference(c *schemaCase, refs map[string]string) {
	if c.optional {
		// Optional behaviour is where validators legitimately differ (big numbers,
		// ECMAScript regexes, formats): the suite's own verdict is the measure.
		for _, in := range c.instances {
			in.want = in.valid
		}
		return
	}
	comp := jsonschema.NewCompiler()
	comp.AssertFormat()
	mapped := mappedLoader(refs)
	comp.UseLoader(jsonschema.SchemeURLLoader{"file": jsonschema.FileLoader{}, "http": mapped, "https": mapped})
	d := c.draft
	if d == 0 {
		raw, err := os.ReadFile(c.path)
		if err == nil {
			if v, err := schema.ParseJSON(raw); err == nil {
				d = schema.DetectDraft(v)
			}
		}
	}
	comp.DefaultDraft(refDraft(d))
	sch, err := comp.Compile(c.path)
	if err != nil {
		c.refErr = err.Error()
		return
	}
	for _, in := range c.instances {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(in.data))
		in.want = err == nil && sch.Validate(v) == nil
	}
}

func refDraft(d schema.Draft) *jsonschema.Draft {
	switch d {
	case schema.Draft4:
		return jsonschema.Draft4
	case schema.Draft6:
		return jsonschema.Draft6
	case schema.Draft7:
		return jsonschema.Draft7
	case schema.Draft2019:
		return jsonschema.Draft2019
	}
	return jsonschema.Draft2020
}

func generate(c *schemaCase, work string, refs map[string]string) {
	defer func() {
		if r := recover(); r != nil {
			c.panicked = fmt.Sprint(r)
		}
	}()
	files, _, err := generator.Generate(generator.Options{
		Package: c.pkg, DefaultDraft: c.draft, RefMap: refs,
		Roots: []generator.Root{{Name: "Root", Schema: c.path}},
	})
	if err != nil {
		c.genErr = err.Error()
		// A remote document that refers on to a published metaschema needs what the
		// corpus does not have.
		c.remote = c.suite != "schemastore" && metaschemaErr.MatchString(c.genErr)
		return
	}
	dir := filepath.Join(work, "pkgs", c.pkg)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		c.genErr = err.Error()
		return
	}
	if err := os.WriteFile(filepath.Join(dir, "generated.go"), files[0].Content, 0o644); err != nil {
		c.genErr = err.Error()
	}
}

func repoRoot(t *testing.T) string {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// build compiles every generated package in one go build and attributes
// compile errors to their packages.
func build(t *testing.T, work string, cases []*schemaCase) {
	modtest.Write(t, work, repoRoot(t))
	out, _ := modtest.Command(work, "build", "-trimpath", "./pkgs/...").CombinedOutput()
	failed := map[string]*strings.Builder{}
	var cur *strings.Builder
	for _, line := range strings.Split(string(out), "\n") {
		if pkg, ok := strings.CutPrefix(line, "# gt/pkgs/"); ok {
			cur = &strings.Builder{}
			failed[pkg] = cur
			continue
		}
		if cur != nil {
			cur.WriteString(line + "\n")
		}
	}
	for _, c := range cases {
		if b, ok := failed[c.pkg]; ok {
			c.buildErr = b.String()
		}
	}
	if len(failed) == 0 && len(out) > 0 && !bytes.Contains(out, []byte("gt/pkgs")) {
		t.Logf("go build output: %s", out)
	}
}

type task struct {
	ID   int             `json:"id"`
	Pkg  string          `json:"pkg"`
	Data json.RawMessage `json:"data"`
}

type result struct {
	ID      int    `json:"id"`
	Decoded bool   `json:"decoded"`
	Valid   bool   `json:"valid"`
	Encoded string `json:"encoded"`
	Err     string `json:"err"`
	Panic   string `json:"panic"`
}

func runnable(c *schemaCase) bool {
	return !c.remote && c.genErr == "" && c.panicked == "" && c.buildErr == ""
}

// drive builds one binary importing every compiled package and runs all
// instances through it.
func drive(t *testing.T, work string, cases []*schemaCase) {
	var imports, table strings.Builder
	var tasks []task
	byID := map[int]*instance{}
	for _, c := range cases {
		if !runnable(c) {
			continue
		}
		fmt.Fprintf(&imports, "\t%s \"gt/pkgs/%s\"\n", c.pkg, c.pkg)
		fmt.Fprintf(&table, "\t%q: run[%s.Root],\n", c.pkg, c.pkg)
		for _, in := range c.instances {
			tasks = append(tasks, task{ID: in.id, Pkg: c.pkg, Data: in.data})
			byID[in.id] = in
		}
	}
	src := strings.Replace(strings.Replace(driverSource, "//IMPORTS\n", imports.String(), 1), "//TABLE\n", table.String(), 1)
	dir := filepath.Join(work, "driver")
	must(t, os.MkdirAll(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644))
	if out, err := modtest.Command(work, "build", "-trimpath", "-o", "driver.bin", "./driver").CombinedOutput(); err != nil {
		t.Fatalf("building the driver: %v\n%s", err, out)
	}
	data, err := json.Marshal(tasks)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(work, "tasks.json"), data, 0o644))
	cmd := exec.Command(filepath.Join(work, "driver.bin"), filepath.Join(work, "tasks.json"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("driver: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r result
		must(t, dec.Decode(&r))
		in := byID[r.ID]
		in.ran, in.decoded, in.got, in.encoded, in.err, in.panicked = true, r.Decoded, r.Valid, r.Encoded, r.Err, r.Panic
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const driverSource = `package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

//IMPORTS
)

type result struct {
	ID      int    ` + "`json:\"id\"`" + `
	Decoded bool   ` + "`json:\"decoded\"`" + `
	Valid   bool   ` + "`json:\"valid\"`" + `
	Encoded string ` + "`json:\"encoded\"`" + `
	Err     string ` + "`json:\"err\"`" + `
	Panic   string ` + "`json:\"panic\"`" + `
}

func run[T any, P interface{ *T; Validate() error }](data []byte) (r result) {
	defer func() {
		if x := recover(); x != nil {
			r.Panic = fmt.Sprint(x)
		}
	}()
	var v T
	if err := json.Unmarshal(data, P(&v)); err != nil {
		r.Err = err.Error()
		return r
	}
	r.Decoded = true
	verr := P(&v).Validate()
	r.Valid = verr == nil
	if verr != nil {
		r.Err = verr.Error()
	}
	out, err := json.Marshal(P(&v))
	if err != nil {
		r.Err = "encode: " + err.Error()
		return r
	}
	r.Encoded = string(out)
	return r
}

var table = map[string]func([]byte) result{
//TABLE
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var tasks []struct {
		ID   int             ` + "`json:\"id\"`" + `
		Pkg  string          ` + "`json:\"pkg\"`" + `
		Data json.RawMessage ` + "`json:\"data\"`" + `
	}
	if err := json.Unmarshal(data, &tasks); err != nil {
		panic(err)
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for _, t := range tasks {
		r := table[t.Pkg](t.Data)
		r.ID = t.ID
		enc.Encode(r)
	}
	w.Flush()
}
`

// right reports whether the generated code judged in like the reference:
// same verdict, and a valid instance re-encodes to an equal JSON value.
func right(in *instance) bool {
	if !in.ran || in.panicked != "" {
		return false
	}
	if !in.want {
		return !in.decoded || !in.got
	}
	return in.decoded && in.got && roundTrips(in)
}

// judged reports whether in was judged right: like the reference, or, when it is disputed
// (a second authority differs from the reference, see instance.second), like either.
func judged(in *instance) bool {
	if right(in) {
		return true
	}
	if !disputed(in) {
		return false
	}
	other := *in
	other.want = *in.second
	return right(&other)
}

func disputed(in *instance) bool { return in.second != nil && *in.second != in.want }

func roundTrips(in *instance) bool {
	a, err1 := validate.DecodeAny(in.data)
	b, err2 := validate.DecodeAny([]byte(in.encoded))
	return err1 == nil && err2 == nil && validate.Equal(a, b)
}

// Figures are the measured results; every one must stay at or above the
// committed baseline.
type Figures struct {
	SchemaStoreSchemas      int `json:"schemastore_schemas"`
	SchemaStoreCompiled     int `json:"schemastore_compiled"`
	ValidAllAccepted        int `json:"schemastore_valid_all_accepted"`
	ValidSchemas            int `json:"schemastore_schemas_with_valid"`
	InvalidAllRejected      int `json:"schemastore_invalid_all_rejected"`
	InvalidSchemas          int `json:"schemastore_schemas_with_invalid"`
	InstancesRight          int `json:"schemastore_instances_right"`
	Instances               int `json:"schemastore_instances"`
	SuiteGroups             int `json:"suite_groups"`
	SuiteCompiled           int `json:"suite_groups_compiled"`
	SuiteInstancesRight     int `json:"suite_instances_right"`
	SuiteInstances          int `json:"suite_instances"`
	SuiteRemoteSkipped      int `json:"suite_remote_groups_skipped"`
	OptionalGroups          int `json:"suite_optional_groups"`
	OptionalCompiled        int `json:"suite_optional_groups_compiled"`
	OptionalInstancesRight  int `json:"suite_optional_instances_right"`
	OptionalInstances       int `json:"suite_optional_instances"`
	Panics                  int `json:"-"`
	RoundTripFailures       int `json:"-"`
	Disputed                int `json:"-"` // SchemaStore samples its label and the reference judge differently
	SuiteDisputed           int `json:"-"` // required format tests the optional ones and the reference judge differently
	ReferenceRejectedSchema int `json:"-"`
}

func measure(cases []*schemaCase) Figures {
	var f Figures
	for _, c := range cases {
		if c.panicked != "" {
			f.Panics++
		}
		for _, in := range c.instances {
			if in.panicked != "" {
				f.Panics++
			}
			if in.want && in.decoded && in.got && !roundTrips(in) {
				f.RoundTripFailures++
			}
		}
		if c.refErr != "" {
			f.ReferenceRejectedSchema++
		}
		if c.suite == "schemastore" {
			measureSchemaStore(&f, c)
		} else {
			measureSuite(&f, c)
		}
	}
	return f
}

func measureSchemaStore(f *Figures, c *schemaCase) {
	f.SchemaStoreSchemas++
	if runnable(c) {
		f.SchemaStoreCompiled++
	}
	if c.refErr != "" {
		// Without a reference verdict the instances cannot be judged.
		return
	}
	hasValid, hasInvalid, allValid, allInvalid := false, false, true, true
	for _, in := range c.instances {
		f.Instances++
		if disputed(in) {
			f.Disputed++
		}
		ok := judged(in)
		if ok {
			f.InstancesRight++
		}
		if in.want {
			hasValid = true
			allValid = allValid && ok
		} else {
			hasInvalid = true
			allInvalid = allInvalid && ok
		}
	}
	if hasValid {
		f.ValidSchemas++
		if allValid {
			f.ValidAllAccepted++
		}
	}
	if hasInvalid {
		f.InvalidSchemas++
		if allInvalid {
			f.InvalidAllRejected++
		}
	}
}

func measureSuite(f *Figures, c *schemaCase) {
	if c.remote || c.refErr != "" {
		f.SuiteRemoteSkipped++
		return
	}
	groups, compiled, instances, rightOnes := &f.SuiteGroups, &f.SuiteCompiled, &f.SuiteInstances, &f.SuiteInstancesRight
	if c.optional {
		groups, compiled, instances, rightOnes = &f.OptionalGroups, &f.OptionalCompiled, &f.OptionalInstances, &f.OptionalInstancesRight
	}
	*groups++
	if runnable(c) {
		*compiled++
	}
	for _, in := range c.instances {
		*instances++
		if disputed(in) {
			f.SuiteDisputed++
		}
		if judged(in) {
			*rightOnes++
		}
	}
}

func report(t *testing.T, f Figures, cases []*schemaCase) {
	t.Logf("SchemaStore: %d/%d schemas generated and compiled", f.SchemaStoreCompiled, f.SchemaStoreSchemas)
	t.Logf("SchemaStore: valid instances all accepted for %d/%d schemas", f.ValidAllAccepted, f.ValidSchemas)
	t.Logf("SchemaStore: invalid instances all rejected for %d/%d schemas", f.InvalidAllRejected, f.InvalidSchemas)
	t.Logf("SchemaStore: %d/%d instances judged right (%d disputed: SchemaStore's label and the reference differ, either counts)",
		f.InstancesRight, f.Instances, f.Disputed)
	t.Logf("Test suite: %d/%d groups generated and compiled (%d remote-ref groups skipped)", f.SuiteCompiled, f.SuiteGroups, f.SuiteRemoteSkipped)
	t.Logf("Test suite: %d/%d instances judged right (%.2f%%; %d disputed: the suite's optional format tests and the reference differ, either counts)",
		f.SuiteInstancesRight, f.SuiteInstances, 100*float64(f.SuiteInstancesRight)/float64(max(f.SuiteInstances, 1)), f.SuiteDisputed)
	t.Logf("Test suite, optional tests (judged by the suite's verdicts): %d/%d groups generated and compiled, %d/%d instances right",
		f.OptionalCompiled, f.OptionalGroups, f.OptionalInstancesRight, f.OptionalInstances)
	t.Logf("panics: %d, round-trip failures: %d, schemas the reference rejects: %d", f.Panics, f.RoundTripFailures, f.ReferenceRejectedSchema)
	misses := map[string]int{}
	for _, c := range cases {
		for _, in := range c.instances {
			if c.suite != "schemastore" && !c.remote && !judged(in) {
				misses[c.suite+"/"+c.keyword]++
			}
		}
	}
	keys := make([]string, 0, len(misses))
	for k := range misses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("  suite misses %-40s %d", k, misses[k])
	}
	if testing.Verbose() {
		details(t, cases)
	}
}

// details lists every failure, for whoever raises the figures next.
func details(t *testing.T, cases []*schemaCase) {
	for _, c := range cases {
		switch {
		case c.remote:
			continue
		case c.refErr != "":
			t.Logf("REFERENCE %s %s: %s", c.suite, c.name, firstLine(c.refErr))
			continue // no verdicts to compare with
		case c.panicked != "":
			t.Logf("PANIC %s %s: %s", c.suite, c.name, c.panicked)
		case c.genErr != "":
			t.Logf("GENERATE %s %s: %s", c.suite, c.name, firstLine(c.genErr))
		case c.buildErr != "":
			t.Logf("BUILD %s %s: %s", c.suite, c.name, firstLine(c.buildErr))
		}
		for _, in := range c.instances {
			if disputed(in) {
				t.Logf("DISPUTED %s %s %s: the second authority says valid %v, the reference %v; gbggen matches the reference: %v",
					c.suite, c.name, in.name, *in.second, in.want, right(in))
			}
			if runnable(c) && !judged(in) {
				t.Logf("MISS %s %s %s: want %v, decoded %v valid %v err %q roundtrip %v",
					c.suite, c.name, in.name, in.want, in.decoded, in.got, firstLine(in.err), in.decoded && roundTrips(in))
			}
		}
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

func checkBaseline(t *testing.T, f Figures) {
	path := "baseline.json"
	if *updateBaseline {
		data, _ := json.MarshalIndent(f, "", "  ")
		must(t, os.WriteFile(path, append(data, '\n'), 0o644))
		return
	}
	if f.Panics > 0 {
		t.Errorf("%d panics", f.Panics)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading baseline: %v (create it with -args -update-baseline)", err)
	}
	var base map[string]int
	must(t, json.Unmarshal(data, &base))
	got := map[string]int{}
	data, _ = json.Marshal(f)
	must(t, json.Unmarshal(data, &got))
	// Only figures where more is better have a floor; the others
	// (corpus sizes, skipped groups) are recorded for context.
	for _, k := range []string{"schemastore_compiled", "schemastore_valid_all_accepted", "schemastore_invalid_all_rejected",
		"schemastore_instances_right", "suite_groups_compiled", "suite_instances_right"} {
		if want := base[k]; got[k] < want {
			t.Errorf("%s dropped below the baseline: %d < %d", k, got[k], want)
		}
	}
}
