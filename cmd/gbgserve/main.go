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

	"github.com/gbggen/gbggen/sandbox"
)

// serveCmd runs the local GBG GO emulator until SIGINT, SIGTERM or ctx ends, then shuts
// down gracefully. Exit 0 after a clean shutdown, 2 on a usage or input error (bad flag,
// journeys directory or address), 1 when serving fails.
func init() {
	verbs["serve"] = verb{summary: "run a local emulator of the GBG GO journey API", run: func(args []string, stdout, stderr io.Writer) int {
		return serveCmd(context.Background(), args, stdout, stderr)
	}}
}

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	def := sandbox.DefaultCredentials
	fs := flag.NewFlagSet("gbggen serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "`host:port` to listen on; port 0 picks a free port")
	journeys := fs.String("journeys", "", "serve the journeys in `DIR` (DIR/<journey>/journey.yaml) instead of the built-in demo set")
	clientID := fs.String("client-id", def.ClientID, "client ID the token endpoint accepts")
	clientSecret := fs.String("client-secret", def.ClientSecret, "client secret the token endpoint accepts")
	username := fs.String("username", def.Username, "username the password grant accepts")
	password := fs.String("password", def.Password, "password the password grant accepts")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gbggen serve [-addr host:port] [-journeys DIR] [-client-id ID] [-client-secret S] [-username U] [-password P]")
		fmt.Fprintln(stderr, "Serves a local emulator of the GBG GO journey API (token, v1, device and v2 paths) until interrupted.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2 // the flag package has printed the problem (or the help asked for)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gbggen serve: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return 2
	}

	creds := sandbox.Credentials{ClientID: *clientID, ClientSecret: *clientSecret, Username: *username, Password: *password}
	opts := []sandbox.Option{
		sandbox.WithCredentials(creds),
		sandbox.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))),
	}
	if *journeys != "" {
		opts = append(opts, sandbox.WithJourneysDir(*journeys))
	}
	srv, err := sandbox.New(opts...)
	if err != nil {
		fmt.Fprintf(stderr, "gbggen serve: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "gbggen serve: %v\n", err)
		return 2
	}
	host, _, _ := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	url := "http://" + net.JoinHostPort(host, port)
	fmt.Fprintf(stdout, "gbggen serve: listening on %s\n", url)
	fmt.Fprintf(stdout, "gbggen serve: token URL %s/as/token.oauth2, client %s, user %s\n", url, creds.ClientID, creds.Username)
	for _, j := range srv.Journeys() {
		fmt.Fprintf(stdout, "gbggen serve: journey %s (%s): resource ID %s@latest, versions %s\n",
			j.Key, j.Name, j.ResourceID, strings.Join(j.Versions, ", "))
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "gbggen serve: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "gbggen serve: stopped")
	return 0
}
