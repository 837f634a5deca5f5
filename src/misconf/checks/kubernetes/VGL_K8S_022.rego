# METADATA
# title: Service account token mounted
# description: >-
#   Most pods never call the Kubernetes API, yet get a token for it; a compromised pod can use it
#   against the cluster.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/
# custom:
#   id: VGL-K8S-022
#   severity: LOW
#   recommended_action: "Set 'automountServiceAccountToken' to false in the pod spec unless the pod needs the API."
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
package builtin.vigil.kubernetes.VGL_K8S_022

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	k8s.is_workload
	not k8s.pod_spec.automountServiceAccountToken == false
	res := result.new(sprintf("%s should set 'automountServiceAccountToken' to false", [k8s.workload]), k8s.pod_spec)
}
