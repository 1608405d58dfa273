// Package pendingtest holds the tests that prove the generated Pending<Journey>Tasks
// functions agree with the emulator: for the example's Onboarding journey and for the
// Account journey generated here (./account, from gbggen.yaml), every prefill of a table is
// predicted, then started on the emulator, and the two pending sets compared.
package pendingtest

//go:generate go run github.com/gbggen/gbggen/cmd/gbggen generate
