# METADATA
# title: MAINTAINER is deprecated
# description: >-
#   MAINTAINER has been deprecated for years; a label carries the same information and tools read
#   it.
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#maintainer-deprecated
# custom:
#   id: VGL-DF-015
#   severity: LOW
#   recommended_action: Replace MAINTAINER with LABEL org.opencontainers.image.authors="…".
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_015

import data.lib.vigil.docker
import rego.v1

deny contains res if {
	some inst in docker.instructions("maintainer")
	res := result.new("MAINTAINER is deprecated; use a LABEL instead", inst)
}
