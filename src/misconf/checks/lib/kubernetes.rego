# METADATA
# title: Kubernetes helpers for Vigil's embedded checks
# description: Workloads, pod specs and containers of a manifest, as Trivy passes it to Rego.
# custom:
#   library: true
package lib.vigil.kubernetes

import rego.v1

default namespace := "default"

namespace := input.metadata.namespace

name := input.metadata.name

kind := input.kind

workload_kinds := {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}

is_workload if kind in workload_kinds

# Jobs run to completion, so liveness and readiness probes do not apply to them.
is_long_running if {
	is_workload
	not kind in {"Job", "CronJob"}
}

# The pod spec of any workload kind.
pod_spec := input.spec if kind == "Pod"

pod_spec := input.spec.jobTemplate.spec.template.spec if kind == "CronJob"

pod_spec := input.spec.template.spec if {
	is_workload
	not kind in {"Pod", "CronJob"}
}

# The pod template's metadata (annotations live there), or the Pod's own.
pod_metadata := input.metadata if kind == "Pod"

pod_metadata := input.spec.jobTemplate.spec.template.metadata if kind == "CronJob"

pod_metadata := input.spec.template.metadata if {
	is_workload
	not kind in {"Pod", "CronJob"}
}

# Regular containers.
containers contains container if {
	some container in pod_spec.containers
}

# Regular, init and ephemeral containers: everything that runs in the pod.
all_containers contains container if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some container in pod_spec[field]
}

# How findings name a workload: "Deployment 'web'".
workload := sprintf("%s '%s'", [kind, name])

# How findings name a container: "container 'app' of Deployment 'web'".
describe(container) := sprintf("container '%s' of %s", [object.get(container, "name", ""), workload])

# A container's securityContext, or an empty object.
security_context(container) := object.get(container, "securityContext", {})

# The pod-level securityContext, or an empty object.
pod_security_context := object.get(pod_spec, "securityContext", {})

# A security setting from the container, falling back to the pod (container settings win).
effective(container, field) := security_context(container)[field]

effective(container, field) := pod_security_context[field] if {
	not field in object.keys(security_context(container))
}

# Capabilities added or dropped by a container (upper case, without a CAP_ prefix).
capabilities(container, which) := {trim_prefix(upper(cap), "CAP_") |
	some cap in object.get(security_context(container), ["capabilities", which], [])
}

# Image reference split into name, tag and digest.
image_tag(image) := tag if {
	without_digest := split(image, "@")[0]
	parts := split(without_digest, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
}

image_tag(image) := "" if {
	without_digest := split(image, "@")[0]
	parts := split(without_digest, "/")
	last := parts[count(parts) - 1]
	not contains(last, ":")
}

has_digest(image) if contains(image, "@sha256:")
