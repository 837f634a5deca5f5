# METADATA
# title: hostPath volume
# description: >-
#   A hostPath volume exposes a directory of the node to the pod; writes to it survive the pod and
#   can reach other workloads.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
# custom:
#   id: VGL-K8S-011
#   severity: MEDIUM
#   recommended_action: "Use another volume type, such as emptyDir, a persistent volume or a projected volume."
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
package builtin.vigil.kubernetes.VGL_K8S_011

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	some volume in k8s.pod_spec.volumes
	volume.hostPath
	res := result.new(sprintf("%s mounts the host path %q", [k8s.workload, volume.hostPath.path]), volume)
}
