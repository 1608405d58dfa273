package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/gbggen/gbggen/sandbox"
)

// startEmulator runs the gbggen emulator (the same server as `gbgserve`, with its
// built-in demo journeys) on a free loopback port inside this process, so the demo needs no
// second program. The client still talks to it over real HTTP. stop shuts it down.
func startEmulator(ctx context.Context) (url string, creds sandbox.Credentials, stop func() error, err error) {
	srv, err := sandbox.New()
	if err != nil {
		return "", creds, nil, fmt.Errorf("emulator: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", creds, nil, fmt.Errorf("emulator: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	stop = func() error {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("emulator: %w", err)
		}
		return nil
	}
	return "http://" + ln.Addr().String(), srv.Credentials(), stop, nil
}
