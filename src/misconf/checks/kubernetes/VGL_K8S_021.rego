# METADATA
# title: AppArmor disabled
# description: >-
#   An Unconfined AppArmor profile removes the mandatory access control the node would otherwise
#   apply to the container.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/tutorials/security/apparmor/
# custom:
#   id: VGL-K8S-021
#   severity: MEDIUM
#   recommended_action: "Use the runtime/default AppArmor profile or a custom one; never unconfined."
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
package builtin.vigil.kubernetes.VGL_K8S_021

import data.lib.vigil.kubernetes as k8s
import rego.v1

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

deny contains res if {
	some key, value in object.get(k8s.pod_metadata, "annotations", {})
	startswith(key, annotation_prefix)
	value == "unconfined"
	name := substring(key, count(annotation_prefix), -1)
	res := result.new(sprintf("%s disables AppArmor for container '%s'", [k8s.workload, name]), k8s.pod_metadata)
}

deny contains res if {
	some container in k8s.all_containers
	k8s.effective(container, "appArmorProfile").type == "Unconfined"
	res := result.new(sprintf("%s runs without an AppArmor profile", [k8s.describe(container)]), container)
}
