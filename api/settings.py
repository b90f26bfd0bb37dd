"""Every setting of the HTTP API, declared once: name, type, safe default and help.

The `Settings` fields are the declaration; the `budgetkg serve` options, the environment
variables (BUDGETKG_<NAME>) and the settings table in docs/api.md (a test checks it) all come
from them, so a setting cannot exist in one place and be missing from another. A command-line
option wins over the environment, which wins over the default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from budgetkg.graph.store import DEFAULT_STORE, STORE_ENV
from budgetkg.graph.store_api import is_remote

ENV_PREFIX = "BUDGETKG_"
# The checkout's docs/queries, beside the package in a development install.
_EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "queries"


def _setting(default, help: str, *, cli: bool = True):
    """A field with its help text; cli=False keeps a secret off the command line (and `ps`)."""
    return field(default=default, metadata={"help": help, "cli": cli})


@dataclass(frozen=True)
class Settings:
    host: str = _setting("127.0.0.1", "address to listen on; the default serves this machine only")
    port: int = _setting(8000, "TCP port to listen on")
    store: str = _setting(DEFAULT_STORE, "store directory to serve, or the query endpoint URL of a "
                          "SPARQL 1.1 server holding the store (README: A SPARQL server as the store)")
    time_limit_ms: int = _setting(
        5000, "longest a request may compute; a query still running then is stopped and answered 503")
    max_rows: int = _setting(
        10000, "most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned; past that the result "
        "is cut and marked truncated")
    max_body_bytes: int = _setting(1_048_576, "largest request body accepted; larger is answered 413")
    workers: int = _setting(2, "query worker processes: how many queries run at the same time")
    cache_mb: int = _setting(
        64, "memory (MB) for trace answers a read-only server keeps for repeat requests; 0 turns "
        "it off (a writable server, or one serving a SPARQL server's store, keeps none)")
    cors_origins: str = _setting(
        "", "comma-separated origins that browsers may call the API from ('*' for any); "
        "empty turns CORS off")
    admin_token: str = _setting(
        "", "bearer token that enables SPARQL Update; empty keeps the store read-only. "
        "Environment only, so it never shows in the process list", cli=False)
    serve_contacts: bool = _setting(
        False, "serve the contact details printed in disclosures (经办人, 联系电话)")
    examples_dir: str = _setting(str(_EXAMPLES), "folder of example queries (*.rq) offered on the query page")
    log_level: str = _setting("info", "server log level: critical, error, warning, info or debug")

    @property
    def writable(self) -> bool:
        """The store is opened for writing only when an admin token can authorise writes."""
        return bool(self.admin_token)

    @property
    def remote(self) -> bool:
        """The store is a SPARQL server's, which others may write while it is served."""
        return is_remote(self.store)

    @property
    def cache_bytes(self) -> int:
        """The answer cache's size: none when writable or remote, since writes (here, or by
        anyone else on a server) would make kept answers stale."""
        return 0 if self.writable or self.remote else self.cache_mb * 1024 * 1024

    @property
    def cors_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


@dataclass(frozen=True)
class SettingInfo:
    """One setting as the CLI and the docs present it."""

    name: str
    type: type
    default: object
    help: str
    cli: bool

    @property
    def env(self) -> str:
        return STORE_ENV if self.name == "store" else ENV_PREFIX + self.name.upper()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


_TYPES = {"str": str, "int": int, "bool": bool}
SETTINGS: tuple[SettingInfo, ...] = tuple(
    SettingInfo(f.name, _TYPES[f.type], f.default, f.metadata["help"], f.metadata["cli"])
    for f in fields(Settings)
)


class SettingsError(ValueError):
    """A setting's value cannot be read; the message names the setting and where it came from."""


def load_settings(overrides: Mapping[str, object] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then the environment, then `overrides` (command-line values; None = not given)."""
    environ = os.environ if environ is None else environ
    overrides = overrides or {}
    values = {}
    for s in SETTINGS:
        if overrides.get(s.name) is not None:
            values[s.name] = _coerce(s, overrides[s.name], s.flag)
        elif environ.get(s.env, "") != "":
            values[s.name] = _coerce(s, environ[s.env], "$" + s.env)
    settings = Settings(**values)
    _check(settings)
    return settings


def _coerce(s: SettingInfo, raw: object, source: str) -> object:
    if s.type is bool:
        return _boolean(raw, source)
    try:
        return s.type(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"{source}: expected {s.type.__name__}, got {raw!r}") from None


def _boolean(raw: object, source: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{source}: expected true or false, got {raw!r}")


def _check(settings: Settings) -> None:
    for name in ("time_limit_ms", "max_rows", "max_body_bytes", "workers"):
        if getattr(settings, name) < 1:
            raise SettingsError(f"{name} must be at least 1, got {getattr(settings, name)}")
    if settings.cache_mb < 0:
        raise SettingsError(f"cache_mb must be 0 or more, got {settings.cache_mb}")
    if not 0 <= settings.port < 65536:
        raise SettingsError(f"port {settings.port} is not a TCP port")
