package builtin.vigil.kubernetes.VGL_K8S_017_test

import data.builtin.vigil.kubernetes.VGL_K8S_017 as check
import data.lib.vigil.fixtures
import rego.v1

test_latest_denied if {
	inp := fixtures.deployment([fixtures.container_with({"image": "nginx:latest"})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_untagged_with_registry_port_denied if {
	inp := fixtures.deployment([fixtures.container_with({"image": "registry.example:5000/nginx"})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 1
}

test_version_tag_allowed if {
	inp := fixtures.deployment([fixtures.container_with({"image": "registry.example:5000/nginx:1.27"})], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
