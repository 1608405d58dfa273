package generator

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

// A journey's real contract is its tasks' schemas: GBG's published context schema makes
// almost everything optional, and a task stays pending unless the prefill holds what its
// schema requires. The journey helpers file therefore gets, for a journey with tasks,
//
//   - Pending<Journey>Tasks, which predicts the tasks a prefill would leave pending (the
//     work is gbg.PredictPending's; the generated function only binds the journey's types);
//   - the RefusePending option of Start<Journey>, which refuses to send such a prefill;
//   - New<Journey>Prefill, whose parameters are every value the journey schema and its
//     tasks require, so that leaving one out does not compile.

func pendingName(j *Journey) string { return "Pending" + j.Name + "Tasks" }
func prefillName(j *Journey) string { return "New" + j.Name + "Prefill" }

// pending emits Pending<Journey>Tasks.
func pending(f *jen.File, j *Journey) {
	checks := make([]jen.Code, 0, len(j.Tasks))
	for _, t := range j.Tasks {
		checks = append(checks, jen.Values(jen.Dict{
			jen.Id("Key"):   jen.Lit(t.Key),
			jen.Id("Title"): jen.Lit(t.title()),
			jen.Id("Check"): jen.Qual(gbgPkg, "CheckAs").Index(jen.Id(t.Type)),
		}))
	}
	name := pendingName(j)
	f.Comment(fmt.Sprintf("%s returns the tasks that starting the journey with prefill would leave", name))
	f.Comment("pending, in the order of gbggen.yaml, each with what it lacks or rejects (pointers rooted at")
	f.Comment("the context). As GBG does, it first drops the values the journey schema rejects, then")
	f.Comment("applies each task's schema to {\"context\": prefill}: a task whose schema holds is")
	f.Comment("completed at once by GBG, any other waits for someone to supply the rest.")
	f.Func().Id(name).Params(jen.Id("prefill").Id(j.Context)).Index().Qual(gbgPkg, "PendingTask").Block(
		jen.Return(jen.Qual(gbgPkg, "PredictPending").Call(jen.Id("prefill"), jen.Lit(j.Subject),
			jen.Qual(gbgPkg, "CheckAs").Index(jen.Id(j.Context)),
			jen.Index().Qual(gbgPkg, "TaskCheck").Values(checks...))))
}

// refusePendingOption emits the RefusePending option.
func refusePendingOption(f *jen.File, j *Journey) {
	f.Comment(fmt.Sprintf("RefusePending makes Start%s return a *gbg.PendingTasksError, and send nothing, when", j.Name))
	f.Comment(fmt.Sprintf("%s finds a task the prefill would leave pending.", pendingName(j)))
	f.Func().Id("RefusePending").Params().Id("Option").Block(
		jen.Return(jen.Func().Params(jen.Id("o").Op("*").Id("options")).Block(jen.Id("o").Dot("refusePending").Op("=").True())))
}

// refusePendingCheck is the check Start<Journey> makes when RefusePending is given.
func refusePendingCheck(j *Journey) jen.Code {
	return jen.If(jen.Id("o").Dot("refusePending")).Block(
		jen.If(jen.Id("tasks").Op(":=").Id(pendingName(j)).Call(jen.Id("prefill")), jen.Len(jen.Id("tasks")).Op(">").Lit(0)).Block(
			jen.Return(jen.Nil(), jen.Op("&").Qual(gbgPkg, "PendingTasksError").Values(jen.Dict{
				jen.Id("Journey"): jen.Lit(j.Name), jen.Id("Tasks"): jen.Id("tasks")}))))
}

// reqNode is one member of the tree of required members: the union of the journey
// schema's required members and every task's, as JSON names below the prefill's root.
type reqNode struct {
	json     string
	field    *ir.Field
	children []*reqNode
	tasks    []string // what requires it: "the journey schema", "task <key>"
}

// maxRequired bounds the tree of required members. A schema can describe far more
// required members than it has lines (a chain of definitions that each require two members
// of the next doubles at every link), and no constructor of that many parameters is any use.
const maxRequired = 10000

// reqTree builds the tree of required members within maxRequired nodes.
type reqTree struct {
	root  reqNode
	nodes int
	full  bool // a member was left out because the tree reached maxRequired
}

// child returns n's child name, adding it if it is new, or nil when the tree is full.
func (t *reqTree) child(n *reqNode, name string) *reqNode {
	for _, c := range n.children {
		if c.json == name {
			return c
		}
	}
	if t.nodes >= maxRequired {
		t.full = true
		return nil
	}
	t.nodes++
	c := &reqNode{json: name}
	n.children = append(n.children, c)
	return c
}

func (n *reqNode) require(by string) {
	for _, t := range n.tasks {
		if t == by {
			return
		}
	}
	n.tasks = append(n.tasks, by)
}

// addRequired adds to n the members typ requires, recursively through structs.
func (t *reqTree) addRequired(n *reqNode, typ *ir.Type, by string, onPath map[*ir.Type]bool) {
	if typ == nil || typ.Kind != ir.KindStruct || onPath[typ] {
		return
	}
	onPath[typ] = true
	defer delete(onPath, typ)
	for _, f := range typ.Fields {
		if !f.Required {
			continue
		}
		c := t.child(n, f.JSON)
		if c == nil {
			return
		}
		c.require(by)
		t.addRequired(c, structOf(f.Ref), by, onPath)
	}
}

// addRequiredBy adds to n the members the schema s requires, recursively through the
// properties (and $ref and allOf) that declare them. Task schemas are read as schemas, not
// as their Go types, since a task type may be dynamic where its schema still says plainly
// what it requires. A schema already on the path (a recursive one) requires nothing new.
func (t *reqTree) addRequiredBy(n *reqNode, s *schema.Schema, by string, onPath map[*schema.Schema]bool) {
	subs := conjuncts(s)
	for _, sub := range subs {
		for _, name := range sub.Required {
			c := t.child(n, name)
			if c == nil {
				return
			}
			c.require(by)
			p := property(subs, name)
			if p == nil || onPath[p.Deref()] {
				continue
			}
			onPath[p.Deref()] = true
			t.addRequiredBy(c, p, by, onPath)
			delete(onPath, p.Deref())
		}
	}
}

// conjuncts are s and what it is made of by $ref and allOf, each once: every one must hold.
func conjuncts(s *schema.Schema) []*schema.Schema {
	var out []*schema.Schema
	seen := map[*schema.Schema]bool{}
	var walk func(*schema.Schema)
	walk = func(s *schema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
		walk(s.Ref)
		for _, a := range s.AllOf {
			walk(a)
		}
	}
	walk(s)
	return out
}

// property returns the schema of member name as the first of subs that declares it does.
func property(subs []*schema.Schema, name string) *schema.Schema {
	for _, sub := range subs {
		for _, p := range sub.Properties {
			if p.Name == name {
				return p.Schema
			}
		}
	}
	return nil
}

func structOf(r *ir.Ref) *ir.Type {
	if r != nil && r.Named != nil && r.Named.Kind == ir.KindStruct {
		return r.Named
	}
	return nil
}

// prefillLeaf is one parameter of New<Journey>Prefill.
type prefillLeaf struct {
	node    *reqNode
	path    []string // JSON names from the root
	param   string
	pointer string
}

// prefillTree builds the tree of required members and binds it to the journey root's
// fields. Members the journey schema does not declare are reported and left out; a member
// that is not a struct in the journey's types is a leaf whatever a task requires inside it
// (its elements are checked by Pending<Journey>Tasks, not by the compiler).
func (g *generation) prefillTree(root *ir.Type, tasks []*schema.Schema, j *Journey, file string) (*reqNode, bool) {
	if root == nil || root.Kind != ir.KindStruct {
		return nil, false
	}
	t := &reqTree{}
	t.addRequired(&t.root, root, "the journey schema", map[*ir.Type]bool{})
	for i, task := range j.Tasks {
		t.addRequiredBy(&t.root, taskContext(tasks[i], j.Subject), "task "+task.Key, map[*schema.Schema]bool{})
	}
	if t.full {
		g.warnings = append(g.warnings, Warning{File: file, Keyword: "required",
			Message: fmt.Sprintf("%s is not generated: the journey schema and its tasks require more than %d members", prefillName(j), maxRequired)})
		return nil, false
	}
	return &t.root, g.bind(&t.root, root, file)
}

// taskContext returns the schema of a task document's context (or of context.subject, for
// a journey rooted at the subject).
func taskContext(s *schema.Schema, subject bool) *schema.Schema {
	path := []string{"context"}
	if subject {
		path = append(path, "subject")
	}
	for _, name := range path {
		if s = property(conjuncts(s), name); s == nil {
			return nil
		}
	}
	return s
}

// bind sets the journey field of every node below n (whose type is t), in the order t
// declares its fields, dropping what t does not declare. It reports whether anything is
// left to take as a parameter.
func (g *generation) bind(n *reqNode, t *ir.Type, file string) bool {
	var kept []*reqNode
	for _, f := range t.Fields {
		for _, c := range n.children {
			if c.json != f.JSON {
				continue
			}
			c.field = f
			if s := structOf(f.Ref); s != nil && len(c.children) > 0 {
				g.bind(c, s, file)
			} else {
				c.children = nil
			}
			kept = append(kept, c)
		}
	}
	for _, c := range n.children {
		if c.field == nil {
			g.warnings = append(g.warnings, Warning{File: file, Keyword: "required",
				Message: fmt.Sprintf("member %q, required by %s, is not declared by the journey schema's %s: no prefill can supply it",
					c.json, strings.Join(c.tasks, ", "), t.Name)})
		}
	}
	n.children = kept
	return len(kept) > 0
}

// leaves lists the parameters in schema order and names them: the member's own name, or,
// where two leaves share it, as many of the enclosing names as tell them apart.
func leaves(tree *reqNode) []*prefillLeaf {
	var out []*prefillLeaf
	var walk func(n *reqNode, path []string)
	walk = func(n *reqNode, path []string) {
		for _, c := range n.children {
			p := append(append([]string(nil), path...), c.json)
			if len(c.children) == 0 {
				out = append(out, &prefillLeaf{node: c, path: p, pointer: pointerOf(p)})
				continue
			}
			walk(c, p)
		}
	}
	walk(tree, nil)
	nameLeaves(out)
	return out
}

func pointerOf(path []string) string {
	var b strings.Builder
	for _, p := range path {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

func nameLeaves(ls []*prefillLeaf) {
	depth := make([]int, len(ls))
	for i := range ls {
		depth[i] = 1
	}
	for {
		names := map[string][]int{}
		for i, l := range ls {
			ls[i].param = lowerName(strings.Join(l.path[max(0, len(l.path)-depth[i]):], " "))
			names[l.param] = append(names[l.param], i)
		}
		clash := false
		for _, idx := range names {
			if len(idx) < 2 {
				continue
			}
			for _, i := range idx {
				if depth[i] < len(ls[i].path) {
					depth[i]++
					clash = true
				}
			}
		}
		if !clash {
			// Names that still clash with every enclosing name used come from JSON names
			// that read alike as Go (postal_code and postalCode): number them by underscores.
			for _, idx := range names {
				for k, i := range idx[1:] {
					ls[i].param += strings.Repeat("_", k+1)
				}
			}
			return
		}
	}
}

// prefillConstructor emits New<Journey>Prefill.
func (g *generation) prefillConstructor(f *jen.File, j *Journey, root *ir.Type, tasks []*schema.Schema, file string) {
	tree, ok := g.prefillTree(root, tasks, j, file)
	if !ok {
		return
	}
	ls := leaves(tree)
	params := make([]jen.Code, 0, len(ls))
	param := map[*reqNode]string{}
	name := prefillName(j)
	f.Comment(fmt.Sprintf("%s returns %s holding every value the journey schema and the tasks", name, article(root.Name)))
	f.Comment("of the journey require, so that leaving one out does not compile; what the compiler")
	f.Comment(fmt.Sprintf("cannot see (formats, patterns, the elements of arrays) %s and Validate check.", pendingName(j)))
	f.Comment("Each parameter sets one member:")
	f.Comment("")
	for _, l := range ls {
		param[l.node] = l.param
		params = append(params, jen.Id(l.param).Add(goType(l.node.field.Ref)))
		f.Comment(fmt.Sprintf("  - %s: %s (required by %s)", l.param, l.pointer, strings.Join(l.node.tasks, ", ")))
	}
	f.Func().Id(name).Params(params...).Id(root.Name).Block(jen.Return(literal(tree, root, param)))
}

// literal is the composite literal of t holding n's members.
func literal(n *reqNode, t *ir.Type, param map[*reqNode]string) jen.Code {
	var members []jen.Code
	for _, c := range n.children {
		var v *jen.Statement
		if len(c.children) == 0 {
			v = jen.Id(param[c])
		} else {
			v = jen.Add(literal(c, structOf(c.field.Ref), param))
		}
		if c.field.Ptr {
			v = jen.Op("&").Add(v)
		}
		members = append(members, jen.Id(c.field.Name).Op(":").Add(v))
	}
	return jen.Id(t.Name).Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, members...)
}
