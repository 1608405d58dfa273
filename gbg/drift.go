package gbg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// SchemaDigest returns "sha256:<hex>" of the canonical form of a JSON
// document: object members sorted by name, no insignificant whitespace,
// numbers as written, strings escaped as encoding/json escapes them without
// its HTML escapes. It is the digest gbggen writes into generated code
// (SchemaDigest, TaskSchemaDigests) and gbggen fetch into its lock file, so
// that a schema read at run time can be compared with the one the code was
// generated from, whatever its layout.
func SchemaDigest(doc []byte) (string, error) {
	compact, err := CanonicalJSON(doc)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(compact)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// CanonicalJSON returns the canonical form of a JSON document (see
// SchemaDigest). A member name given twice keeps its last value, as
// encoding/json decodes it.
func CanonicalJSON(doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // maps are written with their keys sorted
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// SchemaDrift is a task of a journey instance whose schema is not the one
// generated code was made from: the journey was republished since, and the
// task may ask for fields the types lack, or reject ones they send.
type SchemaDrift struct {
	// Key is the task's schema key (the <key> of "#/schemas/<key>" in
	// task/list/schema, and the task's key in gbggen.yaml).
	Key string
	// TaskID is the task in the instance.
	TaskID string
	// Want is the digest the code was generated from, "" for a task the code
	// does not know; Got is the instance's.
	Want, Got string
}

func (d SchemaDrift) String() string {
	if d.Want == "" {
		return fmt.Sprintf("task %s (%s): not in the schemas the code was generated from", d.Key, d.TaskID)
	}
	return fmt.Sprintf("task %s (%s): schema %s, generated from %s", d.Key, d.TaskID, d.Got, d.Want)
}

// CheckTaskSchemas compares the task schemas of a running instance with
// want, the digests by task key that generated code holds
// (<package>.TaskSchemaDigests), and returns a SchemaDrift for each task
// whose schema differs or which the code does not know, in the order of the
// response; none when all match. It makes one request (TaskSchemas).
//
// task/list/schema lists the tasks still to do, so a task of want that the
// instance does not list is not drift: the prefill may have completed it.
// Tasks are compared by TaskSchemaList.Key.
func (c *Client) CheckTaskSchemas(ctx context.Context, instanceID string, want map[string]string) ([]SchemaDrift, error) {
	list, err := c.TaskSchemas(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	return list.drift(want)
}

func (l *TaskSchemaList) drift(want map[string]string) ([]SchemaDrift, error) {
	var out []SchemaDrift
	for i, id := range l.TaskIDs {
		key := l.Key(i)
		got, err := SchemaDigest(l.Schemas[id])
		if err != nil {
			return nil, fmt.Errorf("gbg: CheckTaskSchemas: the schema of task %s (%s): %w", key, id, err)
		}
		if w := want[key]; w != got {
			out = append(out, SchemaDrift{Key: key, TaskID: id, Want: w, Got: got})
		}
	}
	return out, nil
}
