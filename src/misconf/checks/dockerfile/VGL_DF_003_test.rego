package builtin.vigil.dockerfile.VGL_DF_003_test

import data.builtin.vigil.dockerfile.VGL_DF_003 as check
import data.lib.vigil.fixtures
import rego.v1

test_add_local_file_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["add", "app.py", "/app/"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_add_two_local_sources_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["add", "a.conf", "b.conf", "/etc/app/"]]])
	r := check.deny with input as inp
	count(r) == 2
}

test_add_archive_and_url_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["add", "rootfs.tar.gz", "/"], ["add", "https://example.com/tool", "/usr/local/bin/tool"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_copy_allowed if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["copy", "app.py", "/app/"]]])
	r := check.deny with input as inp
	count(r) == 0
}
