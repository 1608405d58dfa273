package generator

import (
	"github.com/gbggen/gbggen/generator/internal/ir"
	"github.com/gbggen/gbggen/generator/schema"
)

// build turns the loaded roots into the complete IR of the types file: every type, check
// function, evaluation function, regexp and literal, each named (build_names.go), none
// added later. reserved are identifiers the package declares elsewhere.
func build(roots []loadedRoot, reserved []string, warn func(*schema.Schema, string, string)) *ir.Package {
	b := newBuilder(warn)
	for _, r := range roots {
		b.root(r.schema, r.name)
		walkWarnings(r.schema, warn, map[*schema.Schema]bool{})
	}
	pkg := &ir.Package{Types: b.types}
	h := newHelpers(b, pkg)
	h.collect()
	nameAll(pkg, b.info, h, reserved)
	return pkg
}
