# METADATA
# title: Container may run as root
# description: >-
#   Without runAsNonRoot the kubelet starts the container as whatever user the image names, which is
#   often root.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: VGL-K8S-003
#   severity: MEDIUM
#   recommended_action: "Set 'securityContext.runAsNonRoot' to true on the container or the pod."
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
package builtin.vigil.kubernetes.VGL_K8S_003

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	not k8s.effective(container, "runAsNonRoot") == true
	res := result.new(sprintf("%s should set 'securityContext.runAsNonRoot' to true", [k8s.describe(container)]), container)
}
