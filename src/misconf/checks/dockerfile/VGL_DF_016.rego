# METADATA
# title: Package upgrade in RUN
# description: >-
#   Upgrading all packages in a build makes the image depend on the day it was built and hides
#   which versions it holds; a newer base image is the reproducible way to get fixes.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
# custom:
#   id: VGL-DF-016
#   severity: LOW
#   recommended_action: Rebuild from an updated base image instead of upgrading packages in RUN.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_016

import data.lib.vigil.docker
import rego.v1

upgrades := {
	"apt-get": {"upgrade", "dist-upgrade", "full-upgrade"},
	"apt": {"upgrade", "dist-upgrade", "full-upgrade"},
	"apk": {"upgrade"},
	"yum": {"upgrade", "update"},
	"dnf": {"upgrade", "update", "distro-sync"},
	"microdnf": {"upgrade", "update"},
	"zypper": {"update", "up", "dist-upgrade", "dup"},
}

deny contains res if {
	some inst in docker.instructions("run")
	some words in docker.run_commands(inst)
	some program, subcommands in upgrades
	docker.command_is(words, program)
	some word in words
	word in subcommands
	res := result.new(sprintf("'%s %s' upgrades packages at build time", [program, word]), inst)
}
