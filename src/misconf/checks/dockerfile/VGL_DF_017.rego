# METADATA
# title: apk add without --no-cache
# description: >-
#   apk add without --no-cache leaves the package index in /var/cache/apk, growing the image for no
#   benefit at run time.
# scope: package
# related_resources:
#   - https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper
# custom:
#   id: VGL-DF-017
#   severity: LOW
#   recommended_action: Use 'apk add --no-cache'.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_017

import data.lib.vigil.docker
import rego.v1

deny contains res if {
	some inst in docker.instructions("run")
	some words in docker.run_commands(inst)
	docker.command_is(words, "apk")
	"add" in words
	not "--no-cache" in words
	res := result.new("Add --no-cache to 'apk add'", inst)
}
