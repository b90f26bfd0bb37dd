"""The `budgetkg` command: a thin shell over the library.

Each subcommand (budgetkg/commands/<name>.py) parses its arguments, calls one library function and
turns named exceptions into messages on stderr and exit statuses (0 ok, 1 some input failed or
findings, 2 usage error or nothing readable).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from budgetkg.commands import COMMANDS
from budgetkg.graph.store import StoreError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetkg",
        description="Turn Chinese budget disclosures (部门预算公开) into traceable records.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"budgetkg.commands.{name}")
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(p)
        p.set_defaults(func=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StoreError as exc:  # the store named by --store cannot be opened or written
        print(f"budgetkg: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """Console-script entry point: exit with main()'s status."""
    sys.exit(main())


if __name__ == "__main__":
    run()
