package generator

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/gbggen/gbggen/generator/schema"
)

const rt = "github.com/gbggen/gbggen/validate"

// addErr is `errs.Add(path, keyword, message)`.
func addErr(path jen.Code, keyword, msg string) jen.Code {
	return jen.Id("errs").Dot("Add").Call(path, jen.Lit(keyword), jen.Lit(msg))
}

// stringChecks checks the string expression x against s's string
// keywords.
func (e *emitter) stringChecks(x, path jen.Code, s *schema.Schema) []jen.Code {
	var out []jen.Code
	if s.MinLength != nil && *s.MinLength > 0 {
		out = append(out, jen.If(jen.Qual(rt, "Len").Call(x).Op("<").Lit(*s.MinLength)).Block(
			addErr(path, "minLength", fmt.Sprintf("must be at least %d characters long", *s.MinLength))))
	}
	if s.MaxLength != nil {
		out = append(out, jen.If(jen.Qual(rt, "Len").Call(x).Op(">").Lit(*s.MaxLength)).Block(
			addErr(path, "maxLength", fmt.Sprintf("must be at most %d characters long", *s.MaxLength))))
	}
	if s.Pattern != nil {
		if m := e.pattern(*s.Pattern); m != nil {
			out = append(out, jen.If(jen.Op("!").Parens(m(x))).Block(
				addErr(path, "pattern", "does not match "+*s.Pattern)))
		}
	}
	if s.Format != "" {
		if fn, ok := formatCheckers[s.Format]; ok {
			out = append(out, jen.If(jen.Op("!").Qual(rt, fn).Call(x)).Block(
				addErr(path, "format", "is not a valid "+s.Format)))
		}
	}
	return out
}

var formatCheckers = map[string]string{
	"date": "IsDate", "date-time": "IsDateTime", "time": "IsTime", "email": "IsEmail", "uri": "IsURI",
	"uuid": "IsUUID", "ipv4": "IsIPv4", "ipv6": "IsIPv6", "hostname": "IsHostname",
	"uri-reference": "IsURIReference", "json-pointer": "IsJSONPointer", "regex": "IsRegex",
	"iri": "IsIRI", "iri-reference": "IsIRIReference", "relative-json-pointer": "IsRelativeJSONPointer",
	"duration": "IsDuration", "uri-template": "IsURITemplate", "idn-hostname": "IsIDNHostname", "idn-email": "IsIDNEmail",
}

type bound struct {
	keyword string
	n       *json.Number
	op      string // violation when value <op> bound
	msg     string
}

func bounds(s *schema.Schema) []bound {
	return []bound{
		{"minimum", s.Minimum, "<", "must be >= "},
		{"maximum", s.Maximum, ">", "must be <= "},
		{"exclusiveMinimum", s.ExclusiveMinimum, "<=", "must be > "},
		{"exclusiveMaximum", s.ExclusiveMaximum, ">=", "must be < "},
	}
}

// dynamicNumberChecks checks the dynamic value v (known to be a number)
// exactly, with the bound as written.
func dynamicNumberChecks(v jen.Code, path jen.Code, s *schema.Schema) []jen.Code {
	var out []jen.Code
	for _, b := range bounds(s) {
		if b.n == nil {
			continue
		}
		out = append(out, jen.If(jen.Qual(rt, "Compare").Call(v, jen.Lit(string(*b.n))).Op(b.op).Lit(0)).Block(
			addErr(path, b.keyword, b.msg+string(*b.n))))
	}
	if s.MultipleOf != nil {
		out = append(out, jen.If(jen.Op("!").Qual(rt, "MultipleOf").Call(v, jen.Lit(string(*s.MultipleOf)))).Block(
			addErr(path, "multipleOf", "must be a multiple of "+string(*s.MultipleOf))))
	}
	return out
}

// typedNumberChecks checks an int64 or float64 expression without
// allocating.
func typedNumberChecks(x jen.Code, isInt bool, path jen.Code, s *schema.Schema) []jen.Code {
	var out []jen.Code
	asFloat := x
	if isInt {
		asFloat = jen.Float64().Call(x)
	}
	for _, b := range bounds(s) {
		if b.n == nil {
			continue
		}
		f, err := strconv.ParseFloat(string(*b.n), 64)
		if err != nil || math.IsInf(f, 0) {
			out = append(out, jen.If(jen.Qual(rt, "Compare").Call(asFloat, jen.Lit(string(*b.n))).Op(b.op).Lit(0)).Block(
				addErr(path, b.keyword, b.msg+string(*b.n))))
			continue
		}
		out = append(out, jen.If(asFloat.(*jen.Statement).Clone().Op(b.op).Lit(f)).Block(
			addErr(path, b.keyword, b.msg+string(*b.n))))
	}
	if s.MultipleOf != nil {
		m := string(*s.MultipleOf)
		if i, err := strconv.ParseInt(m, 10, 64); err == nil && isInt && i > 0 {
			out = append(out, jen.If(x.(*jen.Statement).Clone().Op("%").Lit(i).Op("!=").Lit(0)).Block(
				addErr(path, "multipleOf", "must be a multiple of "+m)))
		} else {
			out = append(out, jen.If(jen.Op("!").Qual(rt, "FloatMultipleOf").Call(asFloat, jen.Lit(m))).Block(
				addErr(path, "multipleOf", "must be a multiple of "+m)))
		}
	}
	return out
}

var typeBits = map[string]string{"null": "Null", "boolean": "Boolean", "integer": "Integer", "number": "Number",
	"string": "String", "array": "Array", "object": "Object"}

func typeMask(types []string) jen.Code {
	var mask *jen.Statement
	for i, t := range types {
		if i == 0 {
			mask = jen.Qual(rt, typeBits[t])
			continue
		}
		mask = mask.Op("|").Qual(rt, typeBits[t])
	}
	return mask
}

func typeMessage(types []string) string {
	return "must be of type " + strings.Join(types, " or ")
}
