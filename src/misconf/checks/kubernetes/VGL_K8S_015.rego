# METADATA
# title: CPU request not set
# description: >-
#   Without 'resources.requests.cpu' a container is scheduled without a reservation, so the
#   scheduler cannot place it sensibly.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
# custom:
#   id: VGL-K8S-015
#   severity: LOW
#   recommended_action: "Set 'resources.requests.cpu' for every container."
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
package builtin.vigil.kubernetes.VGL_K8S_015

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.containers
	not container.resources.requests.cpu
	res := result.new(sprintf("%s should set 'resources.requests.cpu'", [k8s.describe(container)]), container)
}
