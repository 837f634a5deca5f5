# METADATA
# title: Root file system is writable
# description: >-
#   A writable root file system lets an attacker change binaries and configuration inside the
#   container.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
# custom:
#   id: VGL-K8S-004
#   severity: LOW
#   recommended_action: "Set 'securityContext.readOnlyRootFilesystem' to true and mount writable volumes where needed."
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
package builtin.vigil.kubernetes.VGL_K8S_004

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	not k8s.security_context(container).readOnlyRootFilesystem == true
	res := result.new(
		sprintf("%s should set 'securityContext.readOnlyRootFilesystem' to true", [k8s.describe(container)]),
		container,
	)
}
