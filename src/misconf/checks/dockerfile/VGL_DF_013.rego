# METADATA
# title: SSH port exposed
# description: >-
#   Exposing port 22 suggests an SSH server in the container, a second way in that needs its own
#   keys, updates and monitoring.
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#expose
# custom:
#   id: VGL-DF-013
#   severity: LOW
#   recommended_action: Remove EXPOSE 22 and use docker exec or kubectl exec to get a shell.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_013

import data.lib.vigil.docker
import rego.v1

deny contains res if {
	some inst in docker.instructions("expose")
	some port in inst.Value
	split(port, "/")[0] == "22"
	res := result.new("Port 22 (SSH) is exposed", inst)
}
