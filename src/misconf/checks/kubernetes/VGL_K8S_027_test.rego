package builtin.vigil.kubernetes.VGL_K8S_027_test

import data.builtin.vigil.kubernetes.VGL_K8S_027 as check
import data.lib.vigil.fixtures
import rego.v1

test_unsafe_sysctl_denied if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"securityContext": {"sysctls": [{"name": "net.core.somaxconn", "value": "1024"}, {"name": "net.ipv4.tcp_syncookies", "value": "1"}]}}))
	r := check.deny with input as inp
	count(r) == 1
}

test_safe_sysctls_allowed if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"securityContext": {"sysctls": [{"name": "net.ipv4.ip_local_port_range", "value": "1024 65535"}]}}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
