# METADATA
# title: Privileged container
# description: >-
#   A privileged container has every capability and access to all host devices; escaping to the node
#   is trivial.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: VGL-K8S-001
#   severity: HIGH
#   recommended_action: "Set 'securityContext.privileged' to false, or remove it."
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
package builtin.vigil.kubernetes.VGL_K8S_001

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	k8s.security_context(container).privileged == true
	res := result.new(sprintf("%s runs privileged", [k8s.describe(container)]), container)
}
