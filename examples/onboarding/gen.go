package main

// The typed journey code in ./onboarding is generated from the schemas in ./schemas and
// committed; `go generate ./...` (or `make generate`) rewrites it byte for byte.
//
// gbggen is this module's own command, so `go run` builds it from this checkout: no install,
// and the generator that runs is always the one the example is tested with. (A project that
// uses gbggen as a dependency registers it once with `go get -tool
// github.com/gbggen/gbggen/cmd/gbggen` and writes `//go:generate go tool gbggen generate`.)

//go:generate go run github.com/gbggen/gbggen/cmd/gbggen generate -schema schemas/journey.schema.json -package onboarding -type Context -o onboarding/onboarding.go
//go:generate go run github.com/gbggen/gbggen/cmd/gbggen generate -schema schemas/personal-details.schema.json -package personaldetails -type Task -o onboarding/personaldetails/personaldetails.go
//go:generate go run github.com/gbggen/gbggen/cmd/gbggen generate -schema schemas/address.schema.json -package address -type Task -o onboarding/address/address.go
//go:generate go run github.com/gbggen/gbggen/cmd/gbggen generate -schema schemas/document.schema.json -package document -type Task -o onboarding/document/document.go
