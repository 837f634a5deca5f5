# METADATA
# title: ADD used to copy local files
# description: >-
#   ADD also fetches URLs and unpacks archives, which makes its effect depend on the source. For
#   plain files and directories COPY does only what it says.
# scope: package
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#add-or-copy
# custom:
#   id: VGL-DF-003
#   severity: LOW
#   recommended_action: Use COPY for local files and directories; keep ADD for archives and URLs.
#   input:
#     selector:
#       - type: dockerfile
package builtin.vigil.dockerfile.VGL_DF_003

import data.lib.vigil.docker
import rego.v1

archive_suffixes := [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".zip"]

remote(src) if regex.match(`^(https?|git)://|^git@`, src)

archive(src) if {
	some suffix in archive_suffixes
	endswith(lower(src), suffix)
}

deny contains res if {
	some inst in docker.instructions("add")
	sources := array.slice(inst.Value, 0, count(inst.Value) - 1)
	some src in sources
	not remote(src)
	not archive(src)
	res := result.new(sprintf("Use COPY instead of ADD for %q", [src]), inst)
}
