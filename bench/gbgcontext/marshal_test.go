package gbgcontext

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// A float with no JSON form fails MarshalJSON as it fails encoding/json, even when it sits
// deep in a value: the Encoder keeps the first error and no member after it needs a check.
func TestMarshalRejectsNaN(t *testing.T) {
	side := NewSide("front", "id-1", "good", 0.75)
	out, err := json.Marshal([]Side{side})
	if want := `[{"side":"front","id":"id-1","documentQuality":"good","documentQualityScore":0.75}]`; err != nil || string(out) != want {
		t.Fatalf("got %s, %v; want %s", out, err, want)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(-1)} {
		side.DocumentQualityScore = bad
		out, err := json.Marshal(map[string]Side{"s": side})
		if err == nil || !strings.Contains(err.Error(), "no JSON form") {
			t.Errorf("score %v: got %s, %v; want the no-JSON-form error", bad, out, err)
		}
	}
}
