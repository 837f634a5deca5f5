package builtin.vigil.kubernetes.VGL_K8S_023_test

import data.builtin.vigil.kubernetes.VGL_K8S_023 as check
import data.lib.vigil.fixtures
import rego.v1

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}

test_namespace_missing_denied if {
	inp := json.patch(fixtures.deployment([fixtures.hardened], fixtures.hardened_pod), [{"op": "remove", "path": "/metadata/namespace"}])
	r := check.deny with input as inp
	count(r) == 1
}

test_namespace_default_denied if {
	inp := json.patch(fixtures.deployment([fixtures.hardened], fixtures.hardened_pod), [{"op": "replace", "path": "/metadata/namespace", "value": "default"}])
	r := check.deny with input as inp
	count(r) == 1
}

test_non_workload_allowed if {
	r := check.deny with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {}}
	count(r) == 0
}
