# METADATA
# title: Dockerfile helpers for Vigil's embedded checks
# description: Instruction lookups over Trivy's Dockerfile input document (Stages and Commands).
# custom:
#   library: true
package lib.vigil.docker

import rego.v1

# Every instruction of one type (lower case, e.g. "run"), in every stage, in file order.
instructions(cmd) := [inst |
	some stage in input.Stages
	some inst in stage.Commands
	inst.Cmd == cmd
]

# Stages that start with FROM; ARGs before the first FROM form an unnamed stage of their own.
build_stages := [stage |
	some stage in input.Stages
	stage.Name != ""
]

# The stage the image is built from: the last FROM.
final_stage := build_stages[count(build_stages) - 1]

# Instructions of one type in the final stage.
final_instructions(cmd) := [inst |
	some inst in final_stage.Commands
	inst.Cmd == cmd
]

# The shell text of a RUN instruction (exec form joined with spaces).
run_text(inst) := concat(" ", inst.Value)

# Each simple command of a RUN instruction as a list of words, quotes kept.
run_commands(inst) := sh.parse_commands(run_text(inst)) if {
	not inst.JSON
}

run_commands(inst) := [inst.Value] if {
	inst.JSON
}

# True when a word list starts with the program (optionally behind sudo), e.g. ["sudo", "apt-get", …].
command_is(words, program) if words[0] == program

command_is(words, program) if {
	words[0] == "sudo"
	words[1] == program
}

# RUN instructions that call a program with a subcommand, e.g. ("apt-get", "install").
runs_with(program, subcommand) := [inst |
	some inst in instructions("run")
	some words in run_commands(inst)
	command_is(words, program)
	subcommand in words
]

# Lower-case stage aliases ("AS build"), so FROM build is not read as an image.
stage_aliases contains lower(alias) if {
	some stage in input.Stages
	some inst in stage.Commands
	inst.Cmd == "from"
	count(inst.Value) == 3
	lower(inst.Value[1]) == "as"
	alias := inst.Value[2]
}

# The image of a FROM instruction (flags such as --platform are not in Value).
from_image(inst) := inst.Value[0]
