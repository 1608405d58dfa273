// Package idwise holds the oapi-codegen output for api/idwise.yaml, IDWise's
// Journey Builder API: models and the HTTP client. The embedded spec is in
// package spec below, so that programs using the client do not link
// kin-openapi. Nothing here is edited by hand; run `go generate
// ./generated/...` after changing the spec.
//
// The paths carry IDWise's reference prefix /journey/v2. Package
// github.com/gbggen/gbggen/idwise rewrites it to a configured prefix with a
// request editor; used on its own, this client always sends /journey/v2.
package idwise

//go:generate go tool oapi-codegen -config models.cfg.yaml ../../api/idwise.yaml
//go:generate go tool oapi-codegen -config client.cfg.yaml ../../api/idwise.yaml
