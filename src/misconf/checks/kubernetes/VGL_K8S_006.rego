# METADATA
# title: Capabilities added
# description: >-
#   Added capabilities give a container kernel privileges beyond the default set; only
#   NET_BIND_SERVICE is harmless enough to allow.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
# custom:
#   id: VGL-K8S-006
#   severity: MEDIUM
#   recommended_action: "Remove capabilities from 'securityContext.capabilities.add' except NET_BIND_SERVICE."
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
package builtin.vigil.kubernetes.VGL_K8S_006

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	some capability in k8s.capabilities(container, "add")
	capability != "NET_BIND_SERVICE"
	res := result.new(sprintf("%s adds the capability %s", [k8s.describe(container), capability]), container)
}
