package gbg_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gbggen/gbggen/gbg"
)

func Example() {
	ctx := context.Background()
	client, err := gbg.New(gbg.Config{
		Region:       gbg.EU,
		ClientID:     os.Getenv("GBG_CLIENT_ID"),
		ClientSecret: os.Getenv("GBG_CLIENT_SECRET"),
	})
	if err != nil {
		log.Fatal(err)
	}

	prefill := map[string]any{
		"subject": map[string]any{
			"identity": map[string]any{"firstName": "Ada", "lastNames": []string{"Lovelace"}},
		},
	}
	inst, err := client.StartJourney(ctx, "0123…cdef@latest", prefill)
	if err != nil {
		log.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	state, err := client.WaitForCompletion(ctx, inst.InstanceID)
	switch {
	case errors.Is(err, gbg.ErrJourneyFailed):
		fmt.Println("journey failed:", state.InstanceID)
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("journey completed:", state.InstanceID)
	}
}

func ExampleAPIError() {
	var client *gbg.Client // from gbg.New
	_, err := client.ListTasks(context.Background(), "0123456789abcdef")

	var apiErr *gbg.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		fmt.Println("no such instance; request ID", apiErr.RequestID)
	}
}

func ExampleClient_ConnectDevice() {
	ctx := context.Background()
	var client *gbg.Client // from gbg.New
	instanceID := "0123456789abcdef"

	// The backend creates a connect token and hands it to the device...
	ct, err := client.StartDevice(ctx, instanceID, gbg.ScopeMobile)
	if err != nil {
		log.Fatal(err)
	}
	// ...which exchanges it for its own token and submits task data.
	device, err := client.ConnectDevice(ctx, ct.Token, gbg.DeviceInfo{ID: "phone-1", Type: "mobile"})
	if err != nil {
		log.Fatal(err)
	}
	payload := map[string]any{"context": map[string]any{"subject": map[string]any{}}}
	if err := device.UpdateTask(ctx, instanceID, "task-0123456789abcdef", gbg.IntentComplete, payload); err != nil {
		log.Fatal(err)
	}
}

func ExampleStatus_Equal() {
	fmt.Println(gbg.Status("IN_PROGRESS").Equal(gbg.StatusInProgress))
	fmt.Println(gbg.Status("Completed").Equal(gbg.StatusFailed))
	// Output:
	// true
	// false
}

func ExampleConfig_String() {
	cfg := gbg.Config{ClientID: "my-client", ClientSecret: "hunter2"}
	fmt.Println(cfg.String())
	// Output:
	// {Region: BaseURL: TokenURL: ClientID:my-client ClientSecret:[REDACTED] Username: Password: HTTPClient:<nil> Logger:<nil> Retry:{MaxAttempts:0 BaseDelay:0s MaxDelay:0s MaxRetryAfter:0s} MaxResponseBytes:0}
}
