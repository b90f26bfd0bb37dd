"""One module per `budgetkg` subcommand.

Each module defines NAME, `add_arguments(parser)` and `run(args) -> int`; cli.py registers every
module listed in COMMANDS, so adding a command is one module and one line here.
"""

COMMANDS = ("extract", "policies", "validate", "ingest", "query", "trace", "export", "stats", "analyze", "serve", "view")
