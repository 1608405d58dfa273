// Package gbgcontext holds the Go types gbggen generates from GBG's
// published context schema (the prefill `context`, corpus
// gbg/context.schema.json). The benchmarks in package bench validate and
// decode prefills with them. Regenerate with `go generate ./bench/...`.
package gbgcontext

//go:generate go run ../internal/gencontext -package gbgcontext -type Context -o context.go
