package main

// The typed flow code in ./kyc is generated from gbggen.yaml (the flow definition in ./flows,
// written by `gbggen fetch -idwise-flow demo-flow -out flows` against the emulator) and
// committed; `go generate ./...` (or `make generate`) rewrites it byte for byte.
//
// gbggen is this module's own command, so `go run` builds it from this checkout. A project
// that uses gbggen as a dependency writes `//go:generate go tool gbggen generate`.

//go:generate go run github.com/gbggen/gbggen/cmd/gbggen generate
