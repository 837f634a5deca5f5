# METADATA
# title: Workload in the default namespace
# description: >-
#   The default namespace is shared by everything that forgets to choose one, so policies and quotas
#   there fit nobody.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
# custom:
#   id: VGL-K8S-023
#   severity: LOW
#   recommended_action: "Set 'metadata.namespace' to a namespace of its own."
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
package builtin.vigil.kubernetes.VGL_K8S_023

import data.lib.vigil.kubernetes as k8s
import rego.v1

deny contains res if {
	k8s.is_workload
	k8s.namespace == "default"
	res := result.new(sprintf("%s runs in the default namespace", [k8s.workload]), input.metadata)
}
