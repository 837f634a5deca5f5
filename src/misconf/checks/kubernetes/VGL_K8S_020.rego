# METADATA
# title: Seccomp profile not set
# description: >-
#   Without a seccomp profile (or with Unconfined) the container can make every system call,
#   including rarely needed dangerous ones.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/tutorials/security/seccomp/
# custom:
#   id: VGL-K8S-020
#   severity: LOW
#   recommended_action: "Set 'securityContext.seccompProfile.type' to RuntimeDefault (or Localhost) on the pod or container."
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
package builtin.vigil.kubernetes.VGL_K8S_020

import data.lib.vigil.kubernetes as k8s
import rego.v1

confined(container) if k8s.effective(container, "seccompProfile").type in {"RuntimeDefault", "Localhost"}

deny contains res if {
	some container in k8s.all_containers
	not confined(container)
	res := result.new(
		sprintf("%s should set 'securityContext.seccompProfile.type' to RuntimeDefault", [k8s.describe(container)]),
		container,
	)
}
