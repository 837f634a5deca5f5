# METADATA
# title: hostPort used
# description: >-
#   A hostPort binds a port on the node itself, bypassing network policies and limiting where the
#   pod can be scheduled.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
# custom:
#   id: VGL-K8S-026
#   severity: MEDIUM
#   recommended_action: "Remove 'hostPort' and expose the pod through a Service."
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
package builtin.vigil.kubernetes.VGL_K8S_026

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	some port in container.ports
	object.get(port, "hostPort", 0) != 0
	res := result.new(sprintf("%s uses the host port %d", [k8s.describe(container), port.hostPort]), port)
}
