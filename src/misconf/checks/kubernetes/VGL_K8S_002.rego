# METADATA
# title: Privilege escalation allowed
# description: >-
#   Unless allowPrivilegeEscalation is false, a process can gain more rights than its parent, e.g.
#   through setuid binaries.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: VGL-K8S-002
#   severity: MEDIUM
#   recommended_action: "Set 'securityContext.allowPrivilegeEscalation' to false."
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
package builtin.vigil.kubernetes.VGL_K8S_002

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	not k8s.security_context(container).allowPrivilegeEscalation == false
	res := result.new(
		sprintf("%s should set 'securityContext.allowPrivilegeEscalation' to false", [k8s.describe(container)]),
		container,
	)
}
