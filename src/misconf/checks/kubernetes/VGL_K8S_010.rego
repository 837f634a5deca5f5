# METADATA
# title: Pod shares the host IPC namespace
# description: >-
#   With hostIPC the pod shares the host IPC namespace with the node, which breaks isolation from
#   the node and its other pods.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
# custom:
#   id: VGL-K8S-010
#   severity: HIGH
#   recommended_action: "Remove 'hostIPC' or set it to false."
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
package builtin.vigil.kubernetes.VGL_K8S_010

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	k8s.pod_spec.hostIPC == true
	res := result.new(sprintf("%s should not set 'hostIPC' to true", [k8s.workload]), k8s.pod_spec)
}
