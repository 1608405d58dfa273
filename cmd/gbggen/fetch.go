package main

import (
	"context"
	"io"
)

// fetch is the command gbgfetch (package internal/fetch), not code in this binary: it is the
// only verb that talks to the network, and the API client, net/http and crypto/tls would cost
// every gbggen run (go generate starts one per directive) about 1.5 ms, the network packages
// making the binary dynamically linked. "gbggen fetch" runs it when the module declares it as
// a tool, so the command works as documented; otherwise it says how to get it.
var fetchTool = tool{verb: "fetch", name: "gbgfetch", what: "the schema downloader"}

func init() {
	verbs["fetch"] = verb{summary: "download the task schemas of a journey version, or an IDWise flow's steps (creates and deletes an instance or journey; the gbgfetch tool)", run: func(args []string, stdout, stderr io.Writer) int {
		return runTool(context.Background(), fetchTool, args, stdout, stderr)
	}}
}
