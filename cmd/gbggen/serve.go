package main

import (
	"fmt"
	"io"
)

// The emulator used to be the verb "serve"; it is now the command gbgserve (see its package
// comment for why). The verb stays to tell people where it went.
func init() {
	verbs["serve"] = verb{summary: "moved: the emulator is the gbgserve command", run: func(args []string, stdout, stderr io.Writer) int {
		fmt.Fprintln(stderr, "gbggen serve: the emulator is its own command now:")
		fmt.Fprintln(stderr, "  go run github.com/gbggen/gbggen/cmd/gbgserve [flags]")
		fmt.Fprintln(stderr, "  (or go get -tool github.com/gbggen/gbggen/cmd/gbgserve, then go tool gbgserve)")
		return exitUsage
	}}
}
