// Command cnpg-instance prints the Pods CloudNativePG creates for a Cluster: given one Cluster (YAML or JSON on
// standard input, unknown fields refused), it writes a JSON list of the first instance's Pod and its initdb
// Job, built by the operator's own code (pkg/specs) after the Cluster's defaults are set, as the operator
// does when it creates them. The manifests tests check those pods against Pod Security.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	apiv1 "github.com/cloudnative-pg/cloudnative-pg/api/v1"
	"github.com/cloudnative-pg/cloudnative-pg/pkg/specs"
	"github.com/cloudnative-pg/cloudnative-pg/pkg/versions"
	"sigs.k8s.io/yaml"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cnpg-instance:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	text, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	var cluster apiv1.Cluster
	if err := yaml.UnmarshalStrict(text, &cluster); err != nil {
		return fmt.Errorf("reading the Cluster: %w", err)
	}
	cluster.SetDefaults()
	// The operator resolves the PostgreSQL image before it creates pods: the Cluster's, else its default.
	cluster.Status.Image = cluster.Spec.ImageName
	if cluster.Status.Image == "" {
		cluster.Status.Image = versions.DefaultImageName
	}
	pod, err := specs.NewInstance(context.Background(), cluster, 1, true)
	if err != nil {
		return fmt.Errorf("the instance Pod: %w", err)
	}
	pod.APIVersion, pod.Kind = "v1", "Pod"
	job := specs.CreatePrimaryJobViaInitdb(cluster, 1)
	job.APIVersion, job.Kind = "batch/v1", "Job"
	return json.NewEncoder(out).Encode([]any{pod, job})
}
