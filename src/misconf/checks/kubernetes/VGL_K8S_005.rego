# METADATA
# title: Capabilities not dropped
# description: >-
#   Containers keep a default set of Linux capabilities unless they drop them; most workloads need
#   none.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: VGL-K8S-005
#   severity: LOW
#   recommended_action: "Add ALL to 'securityContext.capabilities.drop' and add back only what is needed."
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
package builtin.vigil.kubernetes.VGL_K8S_005

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	not "ALL" in k8s.capabilities(container, "drop")
	res := result.new(sprintf("%s should drop all capabilities", [k8s.describe(container)]), container)
}
