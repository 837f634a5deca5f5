package builtin.vigil.kubernetes.VGL_K8S_006_test

import data.builtin.vigil.kubernetes.VGL_K8S_006 as check
import data.lib.vigil.fixtures
import rego.v1

test_sys_admin_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"capabilities": {"drop": ["ALL"], "add": ["SYS_ADMIN"]}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_two_added_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"capabilities": {"drop": ["ALL"], "add": ["CAP_NET_ADMIN", "SYS_PTRACE"]}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 2
}

test_net_bind_service_allowed if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
