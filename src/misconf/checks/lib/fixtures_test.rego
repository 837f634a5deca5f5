# Helpers for the embedded checks' tests. The file name ends in _test.rego, so scans never load it.
package lib.vigil.fixtures

import rego.v1

# A Dockerfile input with one stage per list of instructions; each instruction is
# [cmd, value…], e.g. [["from", "alpine:3.20"], ["user", "app"]].
dockerfile(stages) := {"Stages": [stage |
	some stage_index, instructions in stages
	stage := {
		"Name": instructions[0][1],
		"Commands": [command(stage_index, i, inst) | some i, inst in instructions],
	}
]}

command(stage_index, i, inst) := {
	"Cmd": inst[0],
	"SubCmd": "",
	"Flags": [],
	"Value": array.slice(inst, 1, count(inst)),
	"Original": concat(" ", [upper(inst[0]), concat(" ", array.slice(inst, 1, count(inst)))]),
	"JSON": false,
	"Stage": stage_index,
	"Path": "Dockerfile",
	"StartLine": i + 1,
	"EndLine": i + 1,
}

# One Deployment running the given containers, with an optional pod spec overlay.
deployment(containers, pod) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": "shop"},
	"spec": {"template": {
		"metadata": {"labels": {"app": "web"}},
		"spec": object.union({"containers": containers}, pod),
	}},
}

# A Pod running the given containers, with an optional pod spec overlay.
pod(containers, spec) := {
	"apiVersion": "v1",
	"kind": "Pod",
	"metadata": {"name": "p", "namespace": "shop"},
	"spec": object.union({"containers": containers}, spec),
}

# A container that passes every embedded Kubernetes check, to be changed one field at a time.
hardened := {
	"name": "app",
	"image": "registry.example/app:1.2.3@sha256:2b3f7e7a4f1e2d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c",
	"imagePullPolicy": "Always",
	"securityContext": {
		"allowPrivilegeEscalation": false,
		"readOnlyRootFilesystem": true,
		"runAsNonRoot": true,
		"runAsUser": 10001,
		"seccompProfile": {"type": "RuntimeDefault"},
		"capabilities": {"drop": ["ALL"]},
	},
	"resources": {
		"limits": {"cpu": "500m", "memory": "256Mi"},
		"requests": {"cpu": "100m", "memory": "128Mi"},
	},
	"livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
	"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
}

# The hardened container with one field replaced or added (deep merge).
container_with(overlay) := object.union(hardened, overlay)

# The hardened container with a top-level field removed.
container_without(field) := object.remove(hardened, [field])

# The hardened container with a securityContext field removed.
container_without_security(field) := object.union(
	object.remove(hardened, ["securityContext"]),
	{"securityContext": object.remove(hardened.securityContext, [field])},
)

# Pod spec settings that pass every pod-level check.
hardened_pod := {"automountServiceAccountToken": false}
