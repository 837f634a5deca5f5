# METADATA
# title: NET_RAW not dropped
# description: >-
#   NET_RAW lets a process craft raw packets, which enables spoofing and attacks on other pods on
#   the same network.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: VGL-K8S-007
#   severity: MEDIUM
#   recommended_action: "Drop NET_RAW (or ALL) in 'securityContext.capabilities.drop'."
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
package builtin.vigil.kubernetes.VGL_K8S_007

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	dropped := k8s.capabilities(container, "drop")
	not "ALL" in dropped
	not "NET_RAW" in dropped
	res := result.new(sprintf("%s should drop the NET_RAW capability", [k8s.describe(container)]), container)
}
