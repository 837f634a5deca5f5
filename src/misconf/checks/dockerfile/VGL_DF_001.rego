# METADATA
# title: Image runs as root
# description: >-
#   The final stage sets no USER, or its last USER is root, so the container's processes run as
#   root. A process that escapes or is compromised then has root rights in the container.
# scope: package
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#user
#   - https://docs.docker.com/build/building/best-practices/#user
# custom:
#   id: VGL-DF-001
#   severity: HIGH
#   recommended_action: Add a USER instruction with a non-root user (name or UID) to the final stage.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_001

import data.lib.vigil.docker
import rego.v1

root_users := {"root", "0"}

is_root(user) if lower(split(user, ":")[0]) in root_users

deny contains res if {
	count(docker.final_instructions("user")) == 0
	from := docker.final_instructions("from")[0]
	res := result.new("Specify a non-root USER in the final stage; the image runs as root", from)
}

deny contains res if {
	users := docker.final_instructions("user")
	last := users[count(users) - 1]
	is_root(last.Value[0])
	res := result.new(sprintf("Last USER of the final stage is %q; use a non-root user", [last.Value[0]]), last)
}
