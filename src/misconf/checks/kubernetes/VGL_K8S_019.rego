# METADATA
# title: Image pull policy is not Always
# description: >-
#   With IfNotPresent or Never a node runs whatever image it cached under that name, even if the
#   registry copy changed or the cache was tampered with.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
# custom:
#   id: VGL-K8S-019
#   severity: LOW
#   recommended_action: "Set 'imagePullPolicy' to Always, or pin images by digest."
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
package builtin.vigil.kubernetes.VGL_K8S_019

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	policy := object.get(container, "imagePullPolicy", "")
	policy != "Always"
	not k8s.has_digest(container.image)
	res := result.new(sprintf("%s should set 'imagePullPolicy' to Always", [k8s.describe(container)]), container)
}
