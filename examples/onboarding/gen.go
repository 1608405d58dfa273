package main

// The typed journey code in ./onboarding is generated from gbggen.yaml (the schemas in
// ./schemas) and committed; `go generate ./...` (or `make generate`) rewrites it byte for byte.
//
// gbggen is this module's own command, so `go run` builds it from this checkout: no install,
// and the generator that runs is always the one the example is tested with. A project that
// uses gbggen as a dependency registers its commands once with `go get -tool
// github.com/gbggen/gbggen/cmd/...` and writes `//go:generate go tool gbggen generate`.

//go:generate go run github.com/gbggen/gbggen/cmd/gbggen generate
