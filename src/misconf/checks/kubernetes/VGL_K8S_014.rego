# METADATA
# title: Memory limit not set
# description: >-
#   Without 'resources.limits.memory' a container is free to use as much of the node as it likes,
#   starving its neighbours.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: VGL-K8S-014
#   severity: LOW
#   recommended_action: "Set 'resources.limits.memory' for every container."
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
package builtin.vigil.kubernetes.VGL_K8S_014

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.containers
	not container.resources.limits.memory
	res := result.new(sprintf("%s should set 'resources.limits.memory'", [k8s.describe(container)]), container)
}
