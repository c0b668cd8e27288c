"""The ``rcm-graph`` command: parse arguments, build Settings, call a stage, map errors to exits.

Verbs are the pipeline's stages. Data goes to stdout, logs and progress to stderr. Exit codes
are :data:`rcm_graph.errors.EXIT_CODES` (the epilog of every ``--help`` lists them). Errors
print as one line; ``--debug`` shows the traceback.

Each command imports what it runs inside its handler: plain imports (the architecture test sees
them), deferred so that ``rcm-graph --help`` or ``query`` does not load the build's libraries.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rcm_graph import __version__
from rcm_graph.cli.config import (
    accept_global_options_after_verb,
    add_global_options,
    load_cli_settings,
    requested_log_format,
    settings_reference,
    warn_about_environment,
)
from rcm_graph.cli.logs import configure_logging, report
from rcm_graph.errors import EXIT_CODES, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, RcmGraphError
from rcm_graph.settings import Settings, env_name

EXIT_NOT_CONFORMANT = EXIT_FAILED
EXIT_QUERY_ERROR = EXIT_FAILED

EPILOG = (
    "exit codes: "
    + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items())
    + ". Settings: flags > RCM_GRAPH_* environment > configuration file > defaults "
    "(rcm-graph settings --help)."
)

Handler = Callable[[argparse.Namespace, Settings], int]


def _add_data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir", metavar="DIR", help=f"dataset directory [env {env_name('data_dir')}]"
    )


def _add_base_iri(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base-iri", metavar="IRI", help=f"base IRI [env {env_name('base_iri')}]")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rcm-graph",
        description="Build, validate, query and serve the RCM knowledge graph.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"rcm-graph {__version__}")
    parser.add_argument(
        "--debug", action="store_true", default=None, help="show tracebacks and debug logs"
    )
    add_global_options(parser)
    sub = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = sub.add_parser(
        "build", help="read → extract → map → reason → validate → store", epilog=EPILOG
    )
    p.add_argument(
        "--corpus",
        metavar="DIR",
        help=f"documents to read (default: bundled corpus) [env {env_name('corpus')}]",
    )
    p.add_argument("--curation", metavar="DIR", help=f"curation files [env {env_name('curation')}]")
    _add_data_dir(p)
    _add_base_iri(p)
    p.add_argument(
        "--allow-invalid",
        action="store_true",
        help="switch to the new dataset even when it does not conform to the shapes",
    )
    p.add_argument(
        "--full", action="store_true", help="ignore the cache: re-process every document"
    )
    p.add_argument(
        "--target", metavar="URL", help="also load the dataset into a remote SPARQL store"
    )
    p.set_defaults(handler=_cmd_build)

    p = sub.add_parser(
        "query", help="run a named query, a .rq file or inline SPARQL", epilog=EPILOG
    )
    _add_data_dir(p)
    p.add_argument(
        "--format",
        choices=["csv", "tsv", "json", "xml", "ttl", "nt", "jsonld"],
        help="output format (default: csv for SELECT/ASK, ttl for CONSTRUCT/DESCRIBE)",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a parameter of a named query (repeatable)",
    )
    p.add_argument(
        "--timeout", metavar="SECONDS", help=f"query time limit [env {env_name('query_timeout_s')}]"
    )
    p.add_argument("--list", action="store_true", help="list the named queries and exit")
    p.add_argument("query", metavar="NAME|FILE.rq|SPARQL", nargs="?")
    p.set_defaults(handler=_cmd_query)

    p = sub.add_parser(
        "validate", help="validate the current dataset against the shapes", epilog=EPILOG
    )
    _add_data_dir(p)
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser(
        "serve", help="serve the dataset over HTTP (builds first if needed)", epilog=EPILOG
    )
    _add_data_dir(p)
    _add_base_iri(p)
    p.add_argument("--host", metavar="HOST", help=f"bind address [env {env_name('host')}]")
    p.add_argument("--port", metavar="PORT", help=f"port [env {env_name('port')}]")
    p.add_argument(
        "--corpus", metavar="DIR", help="corpus to build from when no dataset exists yet"
    )
    p.add_argument(
        "--no-build", action="store_true", help="fail instead of building when no dataset exists"
    )
    p.set_defaults(handler=_cmd_serve)

    p = sub.add_parser("dump", help="write the dataset in an RDF format to stdout", epilog=EPILOG)
    _add_data_dir(p)
    p.add_argument("--format", required=True, choices=["nq", "trig", "ttl", "jsonld", "nt"])
    p.set_defaults(handler=_cmd_dump)

    p = sub.add_parser(
        "settings",
        help="print the effective settings and where each came from",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    settings_parser = p
    _add_data_dir(p)
    _add_base_iri(p)
    p.add_argument("--host", metavar="HOST")
    p.add_argument("--port", metavar="PORT")
    p.set_defaults(handler=_cmd_settings)

    p = sub.add_parser(
        "builds",
        help="list the kept builds: date, size, documents, triples, conformance",
        epilog=EPILOG,
    )
    _add_data_dir(p)
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(handler=_cmd_builds)

    p = sub.add_parser(
        "rollback",
        help="switch current back to the previous build (again: switch forward)",
        epilog=EPILOG,
    )
    _add_data_dir(p)
    p.set_defaults(handler=_cmd_rollback)
    accept_global_options_after_verb(sub)
    settings_parser.epilog = settings_reference(parser, EPILOG)  # last: it lists every verb's flags
    return parser


def _settings_from(args: argparse.Namespace, environ: dict[str, str]) -> Settings:
    return load_cli_settings(args, environ, Path())


def _cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    rows = settings.describe()
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        print(f"{name.ljust(width)}  {value}  ({source})")
    return EXIT_OK


def _cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from rcm_graph.cli.progress import build_progress
    from rcm_graph.pipeline import run_build

    return run_build(
        settings,
        allow_invalid=args.allow_invalid,
        full=args.full,
        target=args.target,
        progress=build_progress(sys.stderr),
    )


def _cmd_builds(args: argparse.Namespace, settings: Settings) -> int:
    from rcm_graph.cli.builds import run_builds_command

    return run_builds_command(settings, as_json=args.json, out=sys.stdout)


def _cmd_rollback(args: argparse.Namespace, settings: Settings) -> int:
    from rcm_graph.cli.builds import run_rollback_command

    return run_rollback_command(settings)


def _cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from rcm_graph.cli.query import run_query_command

    return run_query_command(
        settings,
        args.query,
        output_format=args.format,
        params=args.param,
        out=sys.stdout.buffer,
        list_names=args.list,
    )


def _cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from rcm_graph.pipeline import run_validate

    return run_validate(settings)


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from rcm_graph.cli.serve import run_serve_command

    return run_serve_command(settings, no_build=args.no_build)


def _cmd_dump(args: argparse.Namespace, settings: Settings) -> int:
    from rcm_graph.store.dumps import run_dump

    return run_dump(settings, args.format, out=sys.stdout.buffer)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(args.debug) or os.environ.get(env_name("debug"), "").lower() in {"1", "true"}
    try:
        configure_logging(requested_log_format(args, os.environ), debug=debug)
        settings = _settings_from(args, dict(os.environ))
        debug = debug or settings.debug
        configure_logging(settings.log_format, debug=debug)
        warn_about_environment(os.environ)
        handler: Handler = args.handler
        return handler(args, settings)
    except RcmGraphError as exc:
        if debug:
            raise
        report(exc.one_line(), exit_code=exc.exit_code)
        return exc.exit_code
    except KeyboardInterrupt:
        report("interrupted", level=logging.WARNING)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
