# METADATA
# title: Unsafe sysctl
# description: >-
#   Sysctls outside the safe set change kernel settings for the whole node, not just the pod.
# scope: package
# related_resources:
#   - https://kubernetes.io/docs/concepts/security/pod-security-standards/
#   - https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
# custom:
#   id: VGL-K8S-027
#   severity: MEDIUM
#   recommended_action: "Use only the safe sysctls listed in the Pod Security Standards."
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
package builtin.vigil.kubernetes.VGL_K8S_027

import data.lib.vigil.kubernetes as k8s
import rego.v1

safe_sysctls := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
}

deny contains res if {
	some sysctl in k8s.pod_security_context.sysctls
	not sysctl.name in safe_sysctls
	res := result.new(sprintf("%s sets the unsafe sysctl %s", [k8s.workload, sysctl.name]), sysctl)
}
