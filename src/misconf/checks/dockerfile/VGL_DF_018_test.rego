package builtin.vigil.dockerfile.VGL_DF_018_test

import data.builtin.vigil.dockerfile.VGL_DF_018 as check
import data.lib.vigil.fixtures
import rego.v1

test_pip_install_denied if {
	inp := fixtures.dockerfile([[["from", "python:3.12"], ["run", "pip install flask"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_python_m_pip_denied if {
	inp := fixtures.dockerfile([[["from", "python:3.12"], ["run", "python3 -m pip install -r requirements.txt"]]])
	r := check.deny with input as inp
	count(r) == 1
}

test_no_cache_dir_allowed if {
	inp := fixtures.dockerfile([[["from", "python:3.12"], ["run", "pip install --no-cache-dir flask"]]])
	r := check.deny with input as inp
	count(r) == 0
}

test_env_disables_cache_allowed if {
	inp := fixtures.dockerfile([[["from", "python:3.12"], ["env", "PIP_NO_CACHE_DIR", "1", "="], ["run", "pip install flask"]]])
	r := check.deny with input as inp
	count(r) == 0
}
