# METADATA
# title: Unmasked /proc
# description: >-
#   procMount Unmasked exposes /proc paths the runtime normally hides, such as kernel and host
#   information.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
# custom:
#   id: VGL-K8S-028
#   severity: HIGH
#   recommended_action: "Remove 'securityContext.procMount' or set it to Default."
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
package builtin.vigil.kubernetes.VGL_K8S_028

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	mount := k8s.security_context(container).procMount
	mount != "Default"
	res := result.new(sprintf("%s sets 'securityContext.procMount' to %s", [k8s.describe(container), mount]), container)
}
