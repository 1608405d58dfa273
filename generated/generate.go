// Package generated holds the oapi-codegen output for api/openapi.yaml: models, the HTTP
// client, and the strict server interface the emulator implements. The embedded spec is in
// package spec, so that programs using the client do not link kin-openapi. Nothing here is edited by
// hand; run `go generate ./generated` after changing the spec.
package generated

//go:generate go tool oapi-codegen -config models.cfg.yaml ../api/openapi.yaml
//go:generate go tool oapi-codegen -config client.cfg.yaml ../api/openapi.yaml
//go:generate go tool oapi-codegen -config server.cfg.yaml ../api/openapi.yaml
