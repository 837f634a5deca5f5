# METADATA
# title: Custom SELinux options
# description: >-
#   Setting the SELinux user or role, or a type outside the container types, can lift the
#   confinement SELinux provides.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
# custom:
#   id: VGL-K8S-029
#   severity: MEDIUM
#   recommended_action: "Leave 'seLinuxOptions.user' and 'role' unset and use only container_t, container_init_t or container_kvm_t as type."
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
package builtin.vigil.kubernetes.VGL_K8S_029

import data.lib.vigil.kubernetes as k8s
import rego.v1

allowed_types := {"container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

options(container) := k8s.security_context(container).seLinuxOptions

options(container) := k8s.pod_security_context.seLinuxOptions if {
	not k8s.security_context(container).seLinuxOptions
}

custom(opts) if opts.user

custom(opts) if opts.role

custom(opts) if {
	opts.type
	not opts.type in allowed_types
}

deny contains res if {
	some container in k8s.all_containers
	custom(options(container))
	res := result.new(sprintf("%s sets custom SELinux options", [k8s.describe(container)]), container)
}
