# METADATA
# title: Container runtime socket mounted
# description: >-
#   Mounting the Docker, containerd or CRI-O socket gives the pod control over every container on
#   the node.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
# custom:
#   id: VGL-K8S-012
#   severity: HIGH
#   recommended_action: "Do not mount container runtime sockets into pods."
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
package builtin.vigil.kubernetes.VGL_K8S_012

import data.lib.vigil.kubernetes as k8s
import rego.v1

sockets := {
	"/var/run/docker.sock",
	"/run/docker.sock",
	"/var/run/containerd/containerd.sock",
	"/run/containerd/containerd.sock",
	"/var/run/crio/crio.sock",
	"/run/crio/crio.sock",
}

deny contains res if {
	some volume in k8s.pod_spec.volumes
	trim_suffix(volume.hostPath.path, "/") in sockets
	res := result.new(sprintf("%s mounts the container runtime socket %s", [k8s.workload, volume.hostPath.path]), volume)
}
