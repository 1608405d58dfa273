package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	neturl "net/url"
	"strings"
	"time"

	"github.com/gbggen/gbggen/sandbox/idwise"
)

// iwFlags are the flags of the IDWise emulator served alongside GBG's.
type iwFlags struct {
	enabled              *bool
	flows, prefix        *string
	key, secret          *string
	delay                *time.Duration
	webhook, webhookAuth *string
}

func idwiseFlags(fs *flag.FlagSet) *iwFlags {
	def := idwise.DefaultCredentials
	return &iwFlags{
		enabled:     fs.Bool("idwise", true, "serve IDWise's Journey Builder API too"),
		flows:       fs.String("idwise-flows", "", "serve the IDWise flows in `DIR` (DIR/*.json) instead of the built-in demo flow"),
		prefix:      fs.String("idwise-prefix", idwise.DefaultPrefix, "path prefix of the IDWise reference paths (the guide's /v2/… are served too)"),
		key:         fs.String("idwise-key", def.Key, "IDWise API key (Basic user name) accepted"),
		secret:      fs.String("idwise-secret", def.Secret, "IDWise API secret (Basic password) accepted"),
		delay:       fs.Duration("idwise-delay", time.Second, "how long an IDWise step upload stays In Progress"),
		webhook:     fs.String("idwise-webhook", "", "post Finished Journey events to `URL`"),
		webhookAuth: fs.String("idwise-webhook-auth", "", "webhook credentials: basic:USER:PASSWORD, bearer:TOKEN or header:NAME:VALUE"),
	}
}

// server builds the IDWise emulator the flags describe, or nil with -idwise=false.
func (f *iwFlags) server(stderr io.Writer) (*idwise.Server, error) {
	if !*f.enabled {
		return nil, nil
	}
	opts := []idwise.Option{
		idwise.WithCredentials(idwise.Credentials{Key: *f.key, Secret: *f.secret}),
		idwise.WithPrefix(*f.prefix),
		idwise.WithProcessingDelay(*f.delay),
		idwise.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))),
	}
	if *f.flows != "" {
		opts = append(opts, idwise.WithFlowsDir(*f.flows))
	}
	if *f.webhook != "" {
		auth, err := idwise.ParseWebhookAuth(*f.webhookAuth)
		if err != nil {
			return nil, err
		}
		opts = append(opts, idwise.WithWebhook(idwise.Webhook{URL: *f.webhook, Auth: auth}))
	} else if *f.webhookAuth != "" {
		return nil, fmt.Errorf("-idwise-webhook-auth needs -idwise-webhook")
	}
	return idwise.New(opts...)
}

func (f *iwFlags) describe(w io.Writer, url string, srv *idwise.Server) {
	fmt.Fprintf(w, "gbgserve: IDWise at %s%s/… and %s/v2/…, API key %s, flows %s\n",
		url, srv.Prefix(), url, srv.Credentials().Key, strings.Join(srv.FlowIDs(), ", "))
	if *f.webhook != "" {
		auth, _ := idwise.ParseWebhookAuth(*f.webhookAuth) // checked in server
		target := *f.webhook
		if u, err := neturl.Parse(target); err == nil {
			target = u.Redacted()
		}
		fmt.Fprintf(w, "gbgserve: IDWise webhooks to %s, auth %s\n", target, auth)
	}
}
