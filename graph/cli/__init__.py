"""The ``claimgraph`` command: one command per user job, each thin over the library.

Every error claimgraph recognises becomes one line on stderr and the exit code of its class
(see ``graph.errors`` and the README); anything else becomes one line too, never a traceback,
unless ``CLAIMGRAPH_DEBUG=1`` is set.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import Any

import click

from graph.errors import ClaimgraphError
from graph.support import policy

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "main"]

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command its reader left


class _Group(click.Group):
    """Turns library errors into one clean line and a distinct exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            # The command line chooses what the library may do to the process (progress bars,
            # the collector paused, SHACL on every core, the record of passes in the user's
            # cache); a program calling the library gets none of it unless it asks.
            with policy.use(policy.command_line()):
                _no_rdflib_loading()
                return super().invoke(ctx)
        except ClaimgraphError as exc:
            # A ValidationError's message already lists its first problems, one per line.
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)
        except BrokenPipeError:
            _reader_went_away()
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


def _reader_went_away() -> None:
    """The program reading our output stopped (``claimgraph paths c03 | head``): not an error
    to report. Exit as a command killed by SIGPIPE does, and keep Python from writing again to
    the closed pipe on its way out."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_BROKEN_PIPE)


def _no_rdflib_loading() -> None:
    """rdflib's engine fetches ``FROM <url>`` graphs unless told not to; no command needs it."""
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def _fail(message: str, code: int) -> None:
    click.echo(f"claimgraph: error: {message}", err=True)
    sys.exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimgraph")
def main() -> None:
    """claimgraph: who claims what in a news article, on what basis, and how it travelled."""
    _quiet_library_logs()


class _OneLineWarnings(logging.Handler):
    """A library's log record as one warning line on stderr: its message, never a traceback."""

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        click.echo(f"claimgraph: warning: {message}", err=True)


def _quiet_library_logs() -> None:
    """rdflib logs an ill-typed literal (``"abc"^^xsd:integer``) with a full traceback; a user
    gets one line instead. Set here, by the command, not by the library."""
    if os.environ.get("CLAIMGRAPH_DEBUG"):
        return
    rdflib_log = logging.getLogger("rdflib")
    rdflib_log.handlers[:] = [_OneLineWarnings(logging.WARNING)]
    rdflib_log.propagate = False


def _register() -> None:
    from graph.cli import (
        analysis_cmd,
        build_cmd,
        compare_cmd,
        draft_cmd,
        query_cmd,
        rehash_cmd,
        view_cmd,
    )

    for module in (build_cmd, analysis_cmd, view_cmd, query_cmd, draft_cmd, compare_cmd,
                   rehash_cmd):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
