# METADATA
# title: Readiness probe missing
# description: >-
#   Without a readiness probe traffic reaches the container before it can serve it.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
# custom:
#   id: VGL-K8S-025
#   severity: LOW
#   recommended_action: "Add a 'readinessProbe' to every long-running container."
#   input:
#     selector:
#       - type: kubernetes
#         subtypes:
#           - kind: Pod
#           - kind: Deployment
#           - kind: StatefulSet
#           - kind: DaemonSet
#           - kind: ReplicaSet
#           - kind: ReplicationController
#           - kind: Job
#           - kind: CronJob
package builtin.vigil.kubernetes.VGL_K8S_025

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	k8s.is_long_running
	some container in k8s.containers
	not container.readinessProbe
	res := result.new(sprintf("%s should define a readinessProbe", [k8s.describe(container)]), container)
}
