"""Documentation stays true: every command has help with an example and is in the README;
the README's exit-code table matches the error classes; the Quickstart has the two commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph.cli import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_there_are_commands() -> None:
    assert {"build", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output, f"`claimgraph {name} --help` shows no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"`claimgraph {name}" in README, f"README does not document `claimgraph {name}`"


def test_exit_code_table_matches_the_error_classes() -> None:
    rows = dict(re.findall(r"^\| (\d+) \| `(\w+)` \|", README, flags=re.MULTILINE))
    for name in graph.errors.__all__:
        cls = getattr(graph.errors, name)
        assert rows.get(str(cls.exit_code)) == name, (
            f"README exit-code table lacks {name} = {cls.exit_code}"
        )


def test_quickstart_has_exactly_the_two_commands() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quickstart, flags=re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
