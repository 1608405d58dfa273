// Package spec embeds api/idwise.yaml for request validation in an emulator
// (GetSpec returns it parsed by kin-openapi). It is apart from package idwise
// for the reason generated/spec is apart from generated: kin-openapi's
// initialisation cost belongs only in programs that validate.
package spec

//go:generate go tool oapi-codegen -config spec.cfg.yaml ../../../api/idwise.yaml
