# METADATA
# title: WORKDIR with a relative path
# description: >-
#   A relative WORKDIR is resolved against the previous one, so the directory depends on earlier
#   instructions and on the base image.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#workdir
# custom:
#   id: VGL-DF-010
#   severity: MEDIUM
#   recommended_action: Give WORKDIR an absolute path.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_010

import data.lib.vigil.docker
import rego.v1

absolute(path) if startswith(path, "/")

absolute(path) if startswith(path, "$")

absolute(path) if regex.match(`^[A-Za-z]:[\\/]`, path)

absolute(path) if regex.match(`^["']/`, path)

deny contains res if {
	some inst in docker.instructions("workdir")
	path := inst.Value[0]
	not absolute(path)
	res := result.new(sprintf("WORKDIR %q is relative; use an absolute path", [path]), inst)
}
