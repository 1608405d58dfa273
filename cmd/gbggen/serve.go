package main

import (
	"context"
	"io"
)

// The emulator is the command gbgserve, not code in this binary: it links a full JSON Schema
// validator whose package initialisation would cost every gbggen run (go generate starts one
// per directive) several milliseconds. "gbggen serve" runs it when the module declares it as a
// tool, so the command works as documented; otherwise it says how to get it.
var serveTool = tool{verb: "serve", name: "gbgserve", what: "the emulator"}

func init() {
	verbs["serve"] = verb{summary: "run the local emulator of the GBG GO journey API (the gbgserve tool)", run: func(args []string, stdout, stderr io.Writer) int {
		return runTool(context.Background(), serveTool, args, stdout, stderr)
	}}
}
