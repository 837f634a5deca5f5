# METADATA
# title: Container runs as UID 0
# description: >-
#   runAsUser 0 starts the container as root, whatever the image says.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: VGL-K8S-030
#   severity: MEDIUM
#   recommended_action: "Set 'securityContext.runAsUser' to a non-zero UID."
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
package builtin.vigil.kubernetes.VGL_K8S_030

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	k8s.effective(container, "runAsUser") == 0
	res := result.new(sprintf("%s sets 'runAsUser' to 0 (root)", [k8s.describe(container)]), container)
}
