// Command gbgfetch downloads the task schemas of a GBG GO journey version into a directory,
// with a lock file (package internal/fetch; run it with -h for the details).
//
// Usage: gbgfetch -resource ID@VERSION [-region eu|us|au | -base-url URL] [-token-url URL]
// [-timeout D] -out DIR
//
// "gbggen fetch" runs it when a module declares it as a tool. It is a binary of its own, not
// code in gbggen: the API client, net/http and crypto/tls cost every program start time (the
// network packages alone make the binary dynamically linked), and go generate starts gbggen
// once per directive.
package main

import (
	"os"

	"github.com/gbggen/gbggen/internal/fetch"
)

func main() { os.Exit(fetch.Main(os.Args[1:], os.Stdout, os.Stderr)) }
