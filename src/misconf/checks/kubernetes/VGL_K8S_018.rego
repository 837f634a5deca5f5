# METADATA
# title: Image not pinned to a digest
# description: >-
#   Tags can be moved to other images; only a digest guarantees that the image pulled is the one
#   reviewed.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/containers/images/
# custom:
#   id: VGL-K8S-018
#   severity: LOW
#   recommended_action: "Reference images by digest (name@sha256:…)."
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
package builtin.vigil.kubernetes.VGL_K8S_018

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some container in k8s.all_containers
	not k8s.has_digest(container.image)
	res := result.new(sprintf("%s should reference its image by digest", [k8s.describe(container)]), container)
}
