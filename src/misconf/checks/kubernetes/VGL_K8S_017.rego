# METADATA
# title: Image tag latest or missing
# description: >-
#   An image without a tag, or tagged latest, may change between pulls; nodes can run different code
#   for the same spec.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/containers/images/
# custom:
#   id: VGL-K8S-017
#   severity: MEDIUM
#   recommended_action: "Use a version tag or a digest for every image."
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
package builtin.vigil.kubernetes.VGL_K8S_017

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	not k8s.has_digest(container.image)
	k8s.image_tag(container.image) in {"", "latest"}
	res := result.new(sprintf("%s uses the image %q without a pinned tag", [k8s.describe(container), container.image]), container)
}
