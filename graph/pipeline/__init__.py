"""The build, end to end: annotation folders → records → validated dataset → output folder."""

from graph.pipeline.run import Build, build, build_bundled, write_build

__all__ = ["Build", "build", "build_bundled", "write_build"]
