package builtin.vigil.kubernetes.VGL_K8S_011_test

import data.builtin.vigil.kubernetes.VGL_K8S_011 as check
import data.lib.vigil.fixtures
import rego.v1

test_host_path_denied if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}, {"name": "tmp", "emptyDir": {}}]}))
	r := check.deny with input as inp
	count(r) == 1
}

test_empty_dir_allowed if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"volumes": [{"name": "tmp", "emptyDir": {}}]}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
