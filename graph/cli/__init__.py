"""The ``claimgraph`` command: one command per user job, each thin over the library.

Every error claimgraph recognises becomes one line on stderr and the exit code of its class
(see ``graph.errors`` and the README); anything else becomes one line too, never a traceback,
unless ``CLAIMGRAPH_DEBUG=1`` is set.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from ..errors import ClaimgraphError

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "main"]

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class _Group(click.Group):
    """Turns library errors into one clean line and a distinct exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClaimgraphError as exc:
            # A ValidationError's message already lists its first problems, one per line.
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OSError as exc:
            if os.environ.get("CLAIMGRAPH_DEBUG"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}", 2)
        except Exception as exc:
            if os.environ.get("CLAIMGRAPH_DEBUG"):
                raise
            _fail(
                f"internal error ({type(exc).__name__}: {exc}); set CLAIMGRAPH_DEBUG=1 for details",
                EXIT_INTERNAL,
            )


def _fail(message: str, code: int) -> None:
    click.echo(f"claimgraph: error: {message}", err=True)
    sys.exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimgraph")
def main() -> None:
    """claimgraph: who claims what in a news article, on what basis, and how it travelled."""


def _register() -> None:
    from . import analysis_cmd, build_cmd, compare_cmd, query_cmd, view_cmd

    for module in (build_cmd, analysis_cmd, view_cmd, query_cmd, compare_cmd):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
