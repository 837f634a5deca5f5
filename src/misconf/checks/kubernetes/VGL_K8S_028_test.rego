package builtin.vigil.kubernetes.VGL_K8S_028_test

import data.builtin.vigil.kubernetes.VGL_K8S_028 as check
import data.lib.vigil.fixtures
import rego.v1

test_unmasked_denied if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"procMount": "Unmasked"}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_default_allowed if {
	inp := fixtures.deployment([fixtures.container_with({"securityContext": {"procMount": "Default"}})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
