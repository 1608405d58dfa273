package generator

// Typed IDWise flows. An IDWise flow's steps are known only at run time, from the
// start-journey answer, and the guide warns never to hard-code a step ID. gbggen fetch writes
// a flow's steps to a flow definition file; GenerateFlow turns that file into named step ID
// constants and a Submit helper per step, typed by its kind, plus a digest of the definition,
// so that a republished flow shows as stale generated code (gbggen check) and as a classified
// change (gbggen diff), not as a rejected upload in production.

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"strconv"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/idwise/flow"
)

// flowRuntime is the runtime package generated flow code calls.
const flowRuntime = "github.com/gbggen/gbggen/idwise"

// FlowOptions are the inputs of GenerateFlow.
type FlowOptions struct {
	// Package is the Go package name of the generated file.
	Package string
	// Output is the path of the generated file.
	Output string
	// Flow is the flow definition.
	Flow *flow.Flow
	// Source names the flow definition file in the generated comments (a slash path as the
	// config writes it); it does not affect the code.
	Source string
}

// GenerateFlow emits the Go file of one flow: FlowID, FlowDigest, a StepID constant per step
// (named from its title), Steps, CheckSteps, and a Submit helper per step: Document steps
// take image and image2 (nil for none), Selfie steps one image.
func GenerateFlow(opts FlowOptions) (File, error) {
	switch {
	case !token.IsIdentifier(opts.Package) || opts.Package == "_":
		return File{}, fmt.Errorf("flow: package %q is not a Go package name", opts.Package)
	case opts.Flow == nil || len(opts.Flow.Steps) == 0:
		return File{}, errors.New("flow: no steps")
	}
	names := flowStepNames(opts.Flow.Steps)
	f := jen.NewFile(opts.Package)
	f.HeaderComment(header)
	f.ImportName(flowRuntime, "idwise")
	fl := opts.Flow
	src := ""
	if opts.Source != "" {
		src = " (" + opts.Source + ")"
	}

	f.Add(flowDoc(fmt.Sprintf("FlowID is the IDWise flow whose steps this file names%s.\nStart journeys of it with idwise.StartRequest{FlowID: FlowID}, and call CheckSteps on\nthe answer.", src)).
		Const().Id("FlowID").Op("=").Lit(fl.FlowID))
	f.Line()
	f.Add(flowDoc("FlowDigest is the sha256 of the flow definition's canonical JSON. After the flow is\nrepublished, gbggen fetch changes the definition, gbggen check reports this file stale and\ngbggen diff lists the steps that changed.").
		Const().Id("FlowDigest").Op("=").Lit(fl.Digest()))
	f.Line()

	consts := make([]jen.Code, 0, len(fl.Steps))
	for i, st := range fl.Steps {
		consts = append(consts,
			jen.Comment(fmt.Sprintf("%s is step %s, %s, %s.", names[i].id, st.StepID, flow.Quote(st.Title), flowKindPhrase(st.Type))),
			jen.Id(names[i].id).Qual(flowRuntime, "StepID").Op("=").Lit(st.StepID))
	}
	f.Add(flowDoc("The step IDs of the flow, in flow order. Use these, never literal IDs: they change\nbetween flows.").
		Const().Defs(consts...))
	f.Line()

	defs := make([]jen.Code, 0, len(fl.Steps))
	for i, st := range fl.Steps {
		defs = append(defs, jen.Values(
			jen.Id("StepID").Op(":").Id(names[i].id),
			jen.Id("Type").Op(":").Add(flowStepType(st.Type)),
			jen.Id("Title").Op(":").Lit(st.Title),
		))
	}
	f.Add(flowDoc("Steps are the flow's steps in order, as start-journey lists them.").
		Var().Id("Steps").Op("=").Index().Qual(flowRuntime, "StepDefinition").Values(flowLines(defs)...))
	f.Line()

	f.Add(flowCheckSteps())
	f.Line()
	for i, st := range fl.Steps {
		f.Add(flowSubmit(names[i], st))
		f.Line()
	}
	f.Add(flowSubmitHelper())

	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return File{}, fmt.Errorf("flow %s: %v", fl.FlowID, err)
	}
	return File{Path: opts.Output, Content: buf.Bytes()}, nil
}

// flowDoc renders text as // comment lines (jennifer would make a /* */ comment of a text with
// line breaks), ending with a line break, to put before a declaration.
func flowDoc(text string) *jen.Statement {
	var st *jen.Statement
	for _, line := range strings.Split(text, "\n") {
		if st == nil {
			st = jen.Comment(line)
		} else {
			st.Line().Comment(line)
		}
	}
	return st.Line()
}

func flowLines(items []jen.Code) []jen.Code {
	out := make([]jen.Code, 0, len(items)+1)
	for _, it := range items {
		out = append(out, jen.Line().Add(it))
	}
	return append(out, jen.Line())
}

func flowKindPhrase(kind string) string {
	switch kind {
	case flow.Document:
		return "a Document step"
	case flow.Selfie:
		return "a Selfie step"
	}
	return "a step of type " + strconv.Quote(kind)
}

func flowStepType(kind string) jen.Code {
	switch kind {
	case flow.Document:
		return jen.Qual(flowRuntime, "StepDocument")
	case flow.Selfie:
		return jen.Qual(flowRuntime, "StepSelfie")
	}
	return jen.Qual(flowRuntime, "StepType").Call(jen.Lit(kind))
}

// flowStepName is the Go names of one step: its constant and its Submit helper.
type flowStepName struct{ id, submit string }

// flowStepNames names the steps from their titles ("ID Document" → StepIDDocument,
// SubmitIDDocument). Steps whose titles give the same name are told apart by their step IDs
// (StepDocument0, StepDocument3), and an untitled step is named by its ID (Step0).
func flowStepNames(steps []flow.Step) []flowStepName {
	base := make([]string, len(steps))
	count := map[string]int{}
	for i, st := range steps {
		base[i] = flowIdent(st.Title)
		count[base[i]]++
	}
	used := map[string]bool{}
	out := make([]flowStepName, len(steps))
	for i, st := range steps {
		name := base[i]
		if name == "" || count[name] > 1 {
			name += flowIdent(st.StepID)
		}
		if name == "" {
			name = strconv.Itoa(i + 1) // neither the title nor the ID has a letter or digit
		}
		cand := name
		for n := 2; used[cand]; n++ {
			cand = name + "V" + strconv.Itoa(n)
		}
		used[cand] = true
		out[i] = flowStepName{id: "Step" + cand, submit: "Submit" + cand}
	}
	return out
}

// flowInitialisms are written in upper case in generated names.
var flowInitialisms = map[string]bool{
	"AML": true, "API": true, "EU": true, "ID": true, "KYC": true, "MRZ": true, "NFC": true,
	"OCR": true, "PDF": true, "PEP": true, "QR": true, "UAE": true, "UK": true, "URL": true, "US": true,
}

// flowIdent turns a title into the tail of an exported identifier: words (split at
// anything but letters and digits, and at lower-to-upper case changes) capitalised,
// initialisms upper-cased, letters outside ASCII kept. "" when the title has no letter or
// digit; a leading digit is kept, as the name gets a prefix.
func flowIdent(s string) string {
	var b strings.Builder
	var word []rune
	flush := func() {
		if len(word) == 0 {
			return
		}
		w := string(word)
		if up := strings.ToUpper(w); flowInitialisms[up] {
			b.WriteString(up)
		} else {
			word[0] = unicode.ToUpper(word[0])
			b.WriteString(string(word))
		}
		word = word[:0]
	}
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(word) > 0 && unicode.IsLower(word[len(word)-1]):
			flush()
			word = append(word, r)
		default:
			word = append(word, r)
		}
	}
	flush()
	return b.String()
}

func flowCheckSteps() jen.Code {
	return flowDoc("CheckSteps returns an error when the steps of a started journey are not Steps, in the\nsame order with the same IDs and types: the flow was republished since this file was\ngenerated. Run gbggen fetch and gbggen generate again.").
		Func().Id("CheckSteps").Params(jen.Id("j").Op("*").Qual(flowRuntime, "Journey")).Error().Block(
		jen.If(jen.Len(jen.Id("j").Dot("Steps")).Op("!=").Len(jen.Id("Steps"))).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("flow %s: the journey has %d steps, the generated code %d: regenerate it"),
				jen.Id("FlowID"), jen.Len(jen.Id("j").Dot("Steps")), jen.Len(jen.Id("Steps")))),
		),
		jen.For(jen.List(jen.Id("i"), jen.Id("want")).Op(":=").Range().Id("Steps")).Block(
			jen.Id("got").Op(":=").Id("j").Dot("Steps").Index(jen.Id("i")).Dot("Definition"),
			jen.If(jen.Id("got").Dot("StepID").Op("!=").Id("want").Dot("StepID").Op("||").Id("got").Dot("Type").Op("!=").Id("want").Dot("Type")).Block(
				jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("flow %s: step %d is %s (%s), the generated code expects %s (%s): regenerate it"),
					jen.Id("FlowID"), jen.Id("i"), jen.Id("got").Dot("StepID"), jen.Id("got").Dot("Type"), jen.Id("want").Dot("StepID"), jen.Id("want").Dot("Type"))),
			),
		),
		jen.Return(jen.Nil()),
	)
}

func flowSubmit(n flowStepName, st flow.Step) jen.Code {
	params := []jen.Code{
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("client").Op("*").Qual(flowRuntime, "Client"),
		jen.Id("journeyID").String(),
	}
	image2 := jen.Nil()
	var text string
	if st.Type == flow.Selfie {
		params = append(params, jen.Id("image").Qual("io", "Reader"))
		text = fmt.Sprintf("%s submits the selfie image of step %s (%s).\nThe image is read to its end first.", n.submit, flow.Quote(st.Title), n.id)
	} else {
		params = append(params, jen.List(jen.Id("image"), jen.Id("image2")).Qual("io", "Reader"))
		image2 = jen.Id("image2")
		text = fmt.Sprintf("%s submits the image of step %s (%s), %s,\nand image2 (such as the back of an ID card) unless it is nil. The images are read to\ntheir end first.", n.submit, flow.Quote(st.Title), n.id, flowKindPhrase(st.Type))
	}
	text += " Processing is asynchronous: wait with\nclient.WaitForSummary(ctx, journeyID, idwise.UntilStepProcessed(" + n.id + "))\nbefore the next step or CompleteJourney."
	return flowDoc(text).
		Func().Id(n.submit).Params(params...).Error().Block(
		jen.Return(jen.Id("submit").Call(jen.Id("ctx"), jen.Id("client"), jen.Id("journeyID"), jen.Id(n.id), jen.Id("image"), image2)),
	)
}

func flowSubmitHelper() jen.Code {
	return jen.Func().Id("submit").Params(
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id("client").Op("*").Qual(flowRuntime, "Client"),
		jen.Id("journeyID").String(),
		jen.Id("step").Qual(flowRuntime, "StepID"),
		jen.List(jen.Id("image"), jen.Id("image2")).Qual("io", "Reader"),
	).Error().Block(
		jen.List(jen.Id("img"), jen.Err()).Op(":=").Qual(flowRuntime, "ImageReader").Call(jen.Id("image")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Var().Id("img2").Qual(flowRuntime, "Image"),
		jen.If(jen.Id("image2").Op("!=").Nil()).Block(
			jen.If(jen.List(jen.Id("img2"), jen.Err()).Op("=").Qual(flowRuntime, "ImageReader").Call(jen.Id("image2")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Err()),
			),
		),
		jen.Return(jen.Id("client").Dot("ProcessStep").Call(jen.Id("ctx"), jen.Id("journeyID"), jen.Id("step"), jen.Id("img"), jen.Id("img2"))),
	)
}
