# METADATA
# title: apt-get install without --no-install-recommends
# description: >-
#   Without --no-install-recommends apt-get also installs recommended packages, which enlarges the
#   image and its attack surface with software nobody asked for.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
# custom:
#   id: VGL-DF-004
#   severity: LOW
#   recommended_action: Add --no-install-recommends to apt-get install.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_004

import data.lib.vigil.docker
import rego.v1

deny contains res if {
	some inst in docker.instructions("run")
	some words in docker.run_commands(inst)
	docker.command_is(words, "apt-get")
	"install" in words
	not "--no-install-recommends" in words
	res := result.new("Add --no-install-recommends to 'apt-get install'", inst)
}
