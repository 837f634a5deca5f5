package builtin.vigil.kubernetes.VGL_K8S_012_test

import data.builtin.vigil.kubernetes.VGL_K8S_012 as check
import data.lib.vigil.fixtures
import rego.v1

test_containerd_socket_denied if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"volumes": [{"name": "sock", "hostPath": {"path": "/run/containerd/containerd.sock"}}]}))
	r := check.deny with input as inp
	count(r) == 1
}

test_docker_socket_denied if {
	inp := fixtures.pod([fixtures.hardened], object.union(fixtures.hardened_pod, {"volumes": [{"name": "d", "hostPath": {"path": "/var/run/docker.sock"}}]}))
	r := check.deny with input as inp
	count(r) == 1
}

test_other_host_path_allowed if {
	inp := fixtures.deployment([fixtures.hardened], object.union(fixtures.hardened_pod, {"volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}, {"name": "tmp", "emptyDir": {}}]}))
	r := check.deny with input as inp
	count(r) == 0
}

test_hardened_deployment_allowed if {
	inp := fixtures.deployment([fixtures.hardened], fixtures.hardened_pod)
	r := check.deny with input as inp
	count(r) == 0
}
