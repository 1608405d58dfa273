// Package conformance measures the generator against real-world schemas:
// every SchemaStore schema and every JSON-Schema-Test-Suite group of
// ../shared/corpus (the required tests of draft-07 and 2020-12, and their
// optional ones) is generated into its own package of one temporary module,
// compiled in one go build, and exercised by one driver binary.
//
// Verdicts are compared with github.com/santhosh-tekuri/jsonschema/v6
// (formats asserted), except in the suite's optional tests, where
// validators legitimately differ and the suite's own verdict is the measure.
// Where a second authority differs from santhosh (SchemaStore's valid/ and
// invalid/ labels; for a required format test, what the optional format
// tests say of the same string) the instance is disputed, matching either
// counts, and -v lists it. Run it with
//
//	go test ./conformance/ -run Conformance -v
//
// and raise baseline.json with -args -update-baseline when figures rise.
package conformance
