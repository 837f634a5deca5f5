package builtin.vigil.kubernetes.VGL_K8S_026_test

import data.builtin.vigil.kubernetes.VGL_K8S_026 as check
import data.lib.vigil.fixtures
import rego.v1

test_host_port_denied if {
	inp := fixtures.deployment([fixtures.container_with({"ports": [{"containerPort": 80, "hostPort": 8080}, {"containerPort": 9090}]})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_container_port_allowed if {
	inp := fixtures.deployment([fixtures.container_with({"ports": [{"containerPort": 80}]})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
