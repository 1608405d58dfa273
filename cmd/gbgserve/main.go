// Command gbgserve runs a local emulator of the GBG GO journey API (package sandbox) until
// interrupted.
//
// Usage: gbgserve [-addr host:port] [-journeys DIR] [-client-id ID] [-client-secret S]
// [-username U] [-password P] [limits] [-idwise=false] [-idwise-flows DIR] [-idwise-prefix P]
// [-idwise-key K] [-idwise-secret S] [-idwise-delay D] [-idwise-webhook URL]
// [-idwise-webhook-auth basic:USER:PASSWORD|bearer:TOKEN|header:NAME:VALUE]
//
// It serves IDWise's Journey Builder API too (package sandbox/idwise) unless -idwise=false.
//
// The limits bound what a peer can make it hold: -max-body-bytes (an authenticated request
// body; default 1 MiB), -max-instances (journey instances kept; default 10000; at the bound a
// start forgets the instance that finished first, or is refused with 503 when all are in
// progress), -instance-ttl (how long a finished instance is kept; default 1h), and the
// connection timeouts -read-header-timeout, -read-timeout, -write-timeout and -idle-timeout
// (defaults 10s, 30s, 30s, 2m).
//
// "gbggen serve" runs it when a module declares it as a tool. It is a binary of its own, not
// code in gbggen: the emulator validates requests and task data with a full JSON Schema
// validator whose package initialisation costs milliseconds at every program start, and
// gbggen starts once per go:generate line.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gbggen/gbggen/sandbox"
)

func main() { os.Exit(serve(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

// serve runs the emulator until SIGINT, SIGTERM or ctx ends, then shuts down gracefully.
// Exit 0 after a clean shutdown, 2 on a usage or input error (bad flag, journeys directory
// or address), 1 when serving fails.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	def := sandbox.DefaultCredentials
	fs := flag.NewFlagSet("gbgserve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on; port 0 picks a free port")
	journeys := fs.String("journeys", "", "serve the journeys in `DIR` (DIR/<journey>/journey.yaml) instead of the built-in demo set")
	clientID := fs.String("client-id", def.ClientID, "client ID the token endpoint accepts")
	clientSecret := fs.String("client-secret", def.ClientSecret, "client secret the token endpoint accepts")
	username := fs.String("username", def.Username, "username the password grant accepts")
	password := fs.String("password", def.Password, "password the password grant accepts")
	maxBody := fs.Int64("max-body-bytes", 1<<20, "largest request `body` of an authenticated call, in bytes")
	maxInstances := fs.Int("max-instances", 10000, "journey instances kept at most; at the bound a start forgets the one that finished first, or is refused (503) when all are in progress")
	instanceTTL := fs.Duration("instance-ttl", time.Hour, "how long a finished journey instance is kept")
	dt := sandbox.DefaultTimeouts
	var to sandbox.Timeouts
	fs.DurationVar(&to.ReadHeader, "read-header-timeout", dt.ReadHeader, "time to read a request's header")
	fs.DurationVar(&to.Read, "read-timeout", dt.Read, "time to read a whole request, body included")
	fs.DurationVar(&to.Write, "write-timeout", dt.Write, "time from the end of a request's header to the end of its answer")
	fs.DurationVar(&to.Idle, "idle-timeout", dt.Idle, "time a kept-alive connection may wait for its next request")
	iw := idwiseFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gbgserve [-addr host:port] [-journeys DIR] [-client-id ID] [-client-secret S] [-username U] [-password P] [limits] [-idwise-… flags]")
		fmt.Fprintln(stderr, "Serves a local emulator of the GBG GO journey API (token, v1, device and v2 paths), and of IDWise's Journey Builder API, until interrupted.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2 // the flag package has printed the problem (or the help asked for)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gbgserve: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return 2
	}

	creds := sandbox.Credentials{ClientID: *clientID, ClientSecret: *clientSecret, Username: *username, Password: *password}
	opts := []sandbox.Option{
		sandbox.WithCredentials(creds),
		sandbox.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))),
		sandbox.WithMaxBodyBytes(*maxBody),
		sandbox.WithMaxInstances(*maxInstances),
		sandbox.WithInstanceTTL(*instanceTTL),
		sandbox.WithTimeouts(to),
	}
	if *journeys != "" {
		opts = append(opts, sandbox.WithJourneysDir(*journeys))
	}
	iwSrv, err := iw.server(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gbgserve: %v\n", err)
		return 2
	}
	if iwSrv != nil {
		defer iwSrv.Close()
	}
	opts = append(opts, sandbox.WithIDWise(iwSrv))
	srv, err := sandbox.New(opts...)
	if err != nil {
		fmt.Fprintf(stderr, "gbgserve: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "gbgserve: %v\n", err)
		return 2
	}
	host, _, _ := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	url := "http://" + net.JoinHostPort(host, port)
	fmt.Fprintf(stdout, "gbgserve: listening on %s\n", url)
	fmt.Fprintf(stdout, "gbgserve: token URL %s/as/token.oauth2, client %s, user %s\n", url, creds.ClientID, creds.Username)
	if iwSrv != nil {
		iw.describe(stdout, url, iwSrv)
	}
	for _, j := range srv.Journeys() {
		fmt.Fprintf(stdout, "gbgserve: journey %s (%s): resource ID %s@latest, versions %s\n",
			j.Key, j.Name, j.ResourceID, strings.Join(j.Versions, ", "))
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "gbgserve: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "gbgserve: stopped")
	return 0
}
