package builtin.vigil.dockerfile.VGL_DF_016_test

import data.builtin.vigil.dockerfile.VGL_DF_016 as check
import data.lib.vigil.fixtures
import rego.v1

test_apt_upgrade_denied if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "apt-get update && apt-get -y dist-upgrade"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_apk_upgrade_denied if {
	inp := fixtures.dockerfile([[["from", "alpine:3.20"], ["run", "apk upgrade --no-cache"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_yum_update_denied if {
	inp := fixtures.dockerfile([[["from", "rockylinux:9"], ["run", "yum -y update"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_update_index_only_allowed if {
	inp := fixtures.dockerfile([[["from", "debian:12"], ["run", "apt-get update && apt-get install -y --no-install-recommends curl"]]])
	r := check.deny with input as inp
	count(r) == 0
}
