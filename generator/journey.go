package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

const gbgPkg = "github.com/gbggen/gbggen/gbg"

// Journey describes the journey helpers generated next to the types, in
// their own file so that the types file imports only the standard library
// and validate.
type Journey struct {
	// Name is the journey's Go name, e.g. "Onboarding" (StartOnboarding).
	Name string
	// ResourceID is the journey's resource ID (<hash>@<version>).
	ResourceID string
	// Context is the name of the root type of the journey schema, which
	// must be the first root.
	Context string
	// Subject reports that the journey schema is rooted at the subject
	// (identity, documents, …) rather than at the context; the prefill is
	// then sent as {"subject": prefill}.
	Subject bool
	// Tasks are the task schemas: the task name and the root type of its
	// payload.
	Tasks []Task
	// Output is the path of the helpers file; empty means next to the
	// types file, named <types>_journey.go.
	Output string
}

// Task is one task schema of a journey.
type Task struct {
	// Name is the task's Go name (SubmitAddress), Type the root type of its payload.
	Name string
	Type string
	// Key is the task's key in gbggen.yaml, such as "personal-details" (Name when empty);
	// Title is its schema's title (read from the schema when empty).
	Key, Title string
}

func (t Task) title() string {
	if t.Title != "" {
		return t.Title
	}
	return t.Key
}

// journeyIdents are the identifiers the helpers file declares; generated
// types must not take them.
func journeyIdents(j *Journey) []string {
	out := []string{"ResourceID", "SchemaDigest", "Option", "SkipValidation", "WithIntent", "WithResourceID", "options", "Start" + j.Name}
	if len(j.Tasks) > 0 {
		out = append(out, "RefusePending", pendingName(j), prefillName(j), "TaskSchemaDigests", checkName(j))
	}
	for _, t := range j.Tasks {
		out = append(out, "Submit"+goName(t.Name))
	}
	return out
}

// SchemaDigest returns "sha256:<hex>" of the canonical form of a JSON
// value: object members sorted by name, no insignificant whitespace,
// strings escaped as encoding/json does without HTML escaping.
func SchemaDigest(raw any) string {
	sum := sha256.Sum256([]byte(jsonText(raw)))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (g *generation) journeyFile(typesPath string, roots []loadedRoot) (File, error) {
	jc := *g.opts.Journey // taskTypes fills in keys and titles: not in the caller's copy
	jc.Tasks = slices.Clone(jc.Tasks)
	j := &jc
	if len(roots) == 0 || roots[0].name != j.Context {
		return File{}, fmt.Errorf("journey %s: the first root must be the journey schema (%s)", j.Name, j.Context)
	}
	out := j.Output
	if out == "" {
		out = strings.TrimSuffix(typesPath, ".go") + "_journey.go"
	}
	f := jen.NewFile(g.opts.Package)
	f.HeaderComment(header)
	f.ImportName(gbgPkg, "gbg")
	f.Comment("ResourceID is the journey's resource ID.")
	f.Const().Id("ResourceID").Op("=").Lit(j.ResourceID)
	f.Add(comment(fmt.Sprintf("SchemaDigest is the sha256 of the canonical journey schema (%s) the types", filepath.Base(roots[0].file))))
	f.Comment("were generated from: sorted keys, no insignificant whitespace.")
	f.Const().Id("SchemaDigest").Op("=").Lit(SchemaDigest(roots[0].schema.Raw))
	tasks, err := taskSchemas(j, roots)
	if err != nil {
		return File{}, err
	}
	options(f)
	if len(tasks) > 0 {
		refusePendingOption(f, j)
	}
	start(f, j)
	if len(tasks) > 0 {
		pending(f, j)
		g.prefillConstructor(f, j, g.rootType(roots[0].name), tasks, roots[0].file)
		taskDigests(f, j, tasks)
	}
	for _, t := range j.Tasks {
		submit(f, t)
	}
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return File{}, fmt.Errorf("internal error rendering Go: %v", err)
	}
	return File{Path: out, Content: buf.Bytes()}, nil
}

// rootType returns the IR type of the root named name.
func (g *generation) rootType(name string) *ir.Type {
	for _, t := range g.pkg.Types {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// taskSchemas returns the schema of each task, in j.Tasks' order, and fills in the keys and
// titles left empty.
func taskSchemas(j *Journey, roots []loadedRoot) ([]*schema.Schema, error) {
	out := make([]*schema.Schema, len(j.Tasks))
	for i := range j.Tasks {
		t := &j.Tasks[i]
		for _, r := range roots {
			if r.name == t.Type {
				out[i] = r.schema
				if t.Title == "" {
					t.Title = r.schema.Title
				}
			}
		}
		if out[i] == nil {
			return nil, fmt.Errorf("journey %s: task %s: no root named %s", j.Name, t.Name, t.Type)
		}
		if t.Key == "" {
			t.Key = t.Name
		}
		for _, u := range j.Tasks[:i] {
			if u.Key == t.Key {
				return nil, fmt.Errorf("journey %s: tasks %s and %s have the same key %q", j.Name, u.Name, t.Name, t.Key)
			}
		}
	}
	return out, nil
}

func checkName(j *Journey) string { return "Check" + j.Name + "Schemas" }

// taskDigests declares TaskSchemaDigests and Check<Journey>Schemas, the run-time half
// of the drift check: a journey started at @latest runs the version published last,
// whose task schemas may no longer be the ones the types were generated from.
func taskDigests(f *jen.File, j *Journey, tasks []*schema.Schema) {
	digests := jen.Dict{}
	for i, t := range j.Tasks {
		digests[jen.Lit(t.Key)] = jen.Lit(SchemaDigest(tasks[i].Raw))
	}
	f.Comment("TaskSchemaDigests returns the sha256 of each canonical task schema the types were")
	f.Comment("generated from, by task key (see gbg.SchemaDigest).")
	f.Func().Id("TaskSchemaDigests").Params().Map(jen.String()).String().Block(
		jen.Return(jen.Map(jen.String()).String().Values(digests)))
	f.Comment(checkName(j) + " compares the task schemas of a running instance with the ones the")
	f.Comment("types were generated from, and returns the tasks whose schema differs or is unknown")
	f.Comment("(see gbg.Client.CheckTaskSchemas): the journey was republished since. It makes one request.")
	f.Func().Id(checkName(j)).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("client").Op("*").Qual(gbgPkg, "Client"), jen.Id("instanceID").String()).
		Params(jen.Index().Qual(gbgPkg, "SchemaDrift"), jen.Error()).Block(
		jen.Return(jen.Id("client").Dot("CheckTaskSchemas").Call(jen.Id("ctx"), jen.Id("instanceID"), jen.Id("TaskSchemaDigests").Call())))
}

func options(f *jen.File) {
	f.Comment("Option changes how Start and Submit helpers behave.")
	f.Type().Id("Option").Func().Params(jen.Op("*").Id("options"))
	f.Type().Id("options").Struct(jen.Id("skipValidation").Bool(), jen.Id("refusePending").Bool(),
		jen.Id("intent").Qual(gbgPkg, "Intent"), jen.Id("resourceID").String())
	f.Comment("SkipValidation sends the payload without calling Validate first.")
	f.Func().Id("SkipValidation").Params().Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(jen.Id("o").Dot("skipValidation").Op("=").True())))
	f.Comment("WithResourceID starts another version, or the same journey published on another tenant,")
	f.Comment("instead of ResourceID. Its schema must be the one the types were generated from.")
	f.Func().Id("WithResourceID").Params(jen.Id("id").String()).Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(jen.Id("o").Dot("resourceID").Op("=").Id("id"))))
	f.Comment("WithIntent sets the task/update intent of a Submit helper (gbg.IntentComplete by default).")
	f.Func().Id("WithIntent").Params(jen.Id("i").Qual(gbgPkg, "Intent")).Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(jen.Id("o").Dot("intent").Op("=").Id("i"))))
}

func applyOptions() []jen.Code {
	return []jen.Code{
		jen.Id("o").Op(":=").Id("options").Values(jen.Dict{jen.Id("intent"): jen.Qual(gbgPkg, "IntentComplete"), jen.Id("resourceID"): jen.Id("ResourceID")}),
		jen.For(jen.List(jen.Id("_"), jen.Id("opt")).Op(":=").Range().Id("opts")).Block(jen.Id("opt").Call(jen.Op("&").Id("o"))),
	}
}

func validateFirst(v string) jen.Code {
	return jen.If(jen.Op("!").Id("o").Dot("skipValidation")).Block(
		jen.If(jen.Err().Op(":=").Id(v).Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Err())))
}

func start(f *jen.File, j *Journey) {
	name := "Start" + j.Name
	var body []jen.Code
	body = append(body, applyOptions()...)
	body = append(body, validateFirst("prefill"))
	if len(j.Tasks) > 0 {
		body = append(body, refusePendingCheck(j))
	}
	var payload jen.Code = jen.Id("prefill")
	if j.Subject {
		payload = jen.Map(jen.String()).Any().Values(jen.Dict{jen.Lit("subject"): jen.Id("prefill")})
	}
	body = append(body, jen.Return(jen.Id("client").Dot("StartJourney").Call(jen.Id("ctx"), jen.Id("o").Dot("resourceID"), payload)))
	f.Comment(fmt.Sprintf("%s validates prefill (unless SkipValidation is given) and starts the journey.", name))
	f.Comment("GBG does not reject a wrong prefill: it turns every missing or invalid required field")
	f.Comment("into a manual task, which is why the prefill is checked here first.")
	f.Func().Id(name).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("client").Op("*").Qual(gbgPkg, "Client"),
		jen.Id("prefill").Id(j.Context), jen.Id("opts").Op("...").Id("Option")).
		Params(jen.Op("*").Qual(gbgPkg, "StartResult"), jen.Error()).Block(body...)
}

func submit(f *jen.File, t Task) {
	name := "Submit" + goName(t.Name)
	body := applyOptions()
	body = append(body, jen.If(jen.Op("!").Id("o").Dot("skipValidation")).Block(
		jen.If(jen.Err().Op(":=").Id("payload").Dot("Validate").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err()))))
	body = append(body, jen.Return(jen.Id("client").Dot("UpdateTask").Call(jen.Id("ctx"), jen.Id("instanceID"), jen.Id("taskID"),
		jen.Id("o").Dot("intent"), jen.Id("payload"))))
	f.Comment(fmt.Sprintf("%s validates payload (unless SkipValidation is given) and sends it as the", name))
	f.Comment(fmt.Sprintf("task/update of task %q (intent Complete unless WithIntent says otherwise). client is the", t.Name))
	f.Comment("back end's *gbg.Client or a connected device's *gbg.DeviceClient.")
	f.Func().Id(name).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("client").Qual(gbgPkg, "TaskUpdater"),
		jen.List(jen.Id("instanceID"), jen.Id("taskID")).String(), jen.Id("payload").Id(t.Type), jen.Id("opts").Op("...").Id("Option")).
		Error().Block(body...)
}
