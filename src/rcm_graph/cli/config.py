"""Where the command's settings come from: the global ``--config`` and ``--log-format``
options, the configuration file, the reference that ``rcm-graph settings --help`` prints, and
the example configuration file (docs/rcm-graph.example.toml).

Everything here is generated from one table, ``rcm_graph.settings`` (the fields of
``Settings``, their parsers and ``DESCRIPTIONS``) and from the argument parser itself (which
flags set which setting), so a setting is never described twice.
"""

from __future__ import annotations

import argparse
import logging
import textwrap
from collections.abc import Mapping
from pathlib import Path

from rcm_graph.settings import (
    CONFIG_ENV,
    CONFIG_FILE_NAME,
    Settings,
    env_name,
    find_config_file,
    load_settings,
    setting_docs,
    unknown_environment,
)

# Flags whose destination is not the setting's name.
FLAG_DESTS = {"timeout": "query_timeout_s"}

PRECEDENCE = "flag > environment variable > configuration file > default"

log = logging.getLogger("rcm_graph.settings")


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """``--config`` and ``--log-format``, before the verb (``rcm-graph --config f.toml serve``)."""
    parser.add_argument(
        "--config",
        metavar="FILE",
        help=f"TOML file of settings (default: ./{CONFIG_FILE_NAME} if present) [env {CONFIG_ENV}]",
    )
    parser.add_argument(
        "--log-format",
        choices=["text", "json"],
        help=f"log lines as text or as one JSON object per line [env {env_name('log_format')}]",
    )


def accept_global_options_after_verb(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Let ``--config`` and ``--log-format`` also follow the verb (``rcm-graph serve --config
    f.toml``), as people write them. ``SUPPRESS``: a verb that does not get them leaves the
    value given before the verb in place."""
    for verb_parser in sub.choices.values():
        # listed once, in the command's own help: hidden from every verb's
        verb_parser.add_argument("--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        verb_parser.add_argument(
            "--log-format",
            choices=["text", "json"],
            default=argparse.SUPPRESS,
            help=argparse.SUPPRESS,
        )


def setting_flags(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Setting name -> the flag that sets it, read from the parser (``VERB --flag`` when one
    verb has it)."""
    names = {doc.name for doc in setting_docs()}
    found: dict[str, list[tuple[str, str]]] = {}

    def visit(p: argparse.ArgumentParser, verb: str) -> None:
        for action in p._actions:
            name = FLAG_DESTS.get(action.dest, action.dest)
            if name in names and action.option_strings and action.help != argparse.SUPPRESS:
                found.setdefault(name, []).append((verb, action.option_strings[-1]))
            if isinstance(action, argparse._SubParsersAction):
                for sub_verb, sub_parser in action.choices.items():
                    visit(sub_parser, sub_verb)

    visit(parser, "")
    flags = {}
    for name, places in found.items():
        verbs = {verb for verb, _ in places}
        flag = places[0][1]
        flags[name] = f"{places[0][0]} {flag}" if len(verbs) == 1 and places[0][0] else flag
    return flags


def settings_reference(parser: argparse.ArgumentParser, footer: str) -> str:
    """The epilog of ``rcm-graph settings --help``: every setting with its configuration file
    key, environment variable, flag and default, then ``footer`` (the command's epilog)."""
    flags = setting_flags(parser)
    intro = (
        f"Every setting is a key of the configuration file ({CONFIG_FILE_NAME} in the working "
        f"directory, --config FILE or ${CONFIG_ENV}; flat keys, see "
        f"docs/rcm-graph.example.toml) and an environment variable; some also have a flag. "
        f"Precedence: {PRECEDENCE}."
    )
    lines = [*textwrap.wrap(intro, 96), "", "settings (file key: description):"]
    for doc in setting_docs():
        lines.append(f"  {doc.name}: {doc.description}")
        where = f"env {doc.env}"
        if doc.name in flags:
            where += f", flag {flags[doc.name]}"
        lines.append(f"      {where}, default {doc.default}")
    lines += ["", *textwrap.wrap(footer, 96)]
    return "\n".join(lines)


def load_cli_settings(args: argparse.Namespace, environ: Mapping[str, str], cwd: Path) -> Settings:
    """Settings of one command: its flags, the environment, the configuration file found by
    ``--config``, ``$RCM_GRAPH_CONFIG`` or ``./rcm-graph.toml``, the defaults."""
    flags: dict[str, object] = {}
    for doc in setting_docs():
        value = getattr(args, doc.name, None)
        if value is not None:
            flags[doc.name] = value
    for dest, name in FLAG_DESTS.items():
        value = getattr(args, dest, None)
        if value is not None:
            flags[name] = value
    config_file = find_config_file(getattr(args, "config", None), environ, cwd)
    flag_names = {name: "--" + dest for dest, name in FLAG_DESTS.items()}
    return load_settings(flags, environ, config_file, flag_names)


def requested_log_format(args: argparse.Namespace, environ: Mapping[str, str]) -> str:
    """The log format asked for by flag or environment, before the settings are loaded, so
    that an error in the settings themselves is reported in that format too."""
    flag = getattr(args, "log_format", None)
    raw = flag or environ.get(env_name("log_format"), "")
    return "json" if raw.strip().lower() == "json" else "text"


def warn_about_environment(environ: Mapping[str, str]) -> None:
    """One warning line per misspelled ``RCM_GRAPH_*`` variable (after logging is set up, so
    that it has the format of every other line)."""
    for warning in unknown_environment(environ):
        log.warning("%s", warning)


def render_example_config() -> str:
    """docs/rcm-graph.example.toml: every setting, commented out at its default."""
    lines = [
        "# rcm-graph configuration file (TOML). Generated by scripts/gen-config-example from",
        "# the settings table; a test checks it is current and that every setting is in it.",
        "#",
        f"# Put it at ./{CONFIG_FILE_NAME} (read when present), or pass --config FILE, or set",
        f"# {CONFIG_ENV}. Keys are flat and named as the settings (`rcm-graph settings`); each",
        "# line below shows the default: uncomment and change the ones you need.",
        f"# Precedence: {PRECEDENCE}.",
        "# Relative paths are relative to the folder of this file. Unknown keys and wrongly",
        "# typed values are errors (exit 2).",
    ]
    for doc in setting_docs():
        lines += ["", f"# {doc.description} [env {doc.env}]"]
        if doc.default.startswith(('"', "[", "true", "false")) or doc.default[:1].isdigit():
            lines.append(f"# {doc.name} = {doc.default}")
        else:  # a default that depends on the machine: show its rule
            lines.append(f"# {doc.name} = 4  # default: {doc.default}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_example_config(), end="")
