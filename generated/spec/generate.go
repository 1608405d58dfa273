// Package spec embeds api/openapi.yaml for the emulator's request validation
// (GetSpec returns it parsed by kin-openapi).
//
// It is apart from package generated on purpose: kin-openapi pulls in a full
// JSON Schema validator whose package initialisation compiles every
// meta-schema at program start, and the client in package generated is linked
// into every program that talks to GBG. Only the emulator needs the spec.
package spec

//go:generate go tool oapi-codegen -config spec.cfg.yaml ../../api/openapi.yaml
