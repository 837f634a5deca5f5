# METADATA
# title: No HEALTHCHECK
# description: >-
#   Without a HEALTHCHECK the runtime cannot tell a hung container from a working one.
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#healthcheck
# custom:
#   id: VGL-DF-008
#   severity: LOW
#   recommended_action: Add a HEALTHCHECK to the final stage (HEALTHCHECK NONE to opt out on purpose).
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_008

import data.lib.vigil.docker
import rego.v1

deny contains res if {
	count(docker.final_instructions("healthcheck")) == 0
	from := docker.final_instructions("from")[0]
	res := result.new("Add a HEALTHCHECK instruction to the final stage", from)
}
