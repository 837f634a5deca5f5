# METADATA
# title: CPU limit not set
# description: >-
#   Without 'resources.limits.cpu' a container is free to use as much of the node as it likes,
#   starving its neighbours.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: VGL-K8S-013
#   severity: LOW
#   recommended_action: "Set 'resources.limits.cpu' for every container."
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
package builtin.vigil.kubernetes.VGL_K8S_013

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.containers
	not container.resources.limits.cpu
	res := result.new(sprintf("%s should set 'resources.limits.cpu'", [k8s.describe(container)]), container)
}
