"""msglint's cache folder: ``$MSGLINT_CACHE_DIR`` or the user cache directory."""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import msglint

ENV_CACHE_DIR = "MSGLINT_CACHE_DIR"


def cache_root() -> Path:
    """The folder for all of msglint's caches (created by the code that writes there)."""
    configured = os.environ.get(ENV_CACHE_DIR)
    if configured:
        return Path(configured)
    if sys.platform == "linux":
        # The XDG rule platformdirs applies on Linux, without its import on every start-up.
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(xdg if os.path.isabs(xdg) else os.path.expanduser("~/.cache"), "msglint")
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("msglint"))


def cache_file(folder: str, *key_parts: object, fan_out: bool = True) -> Path | None:
    """A file in ``cache_root()/folder`` named by a digest of ``key_parts`` (None if unusable).

    ``fan_out`` spreads entries over 256 subfolders; without it they share one folder (fewer
    folders to create on a first run, which costs as much as writing an entry).
    """
    try:
        # msglint.__version__, not a from-import here: that runs importlib's Python-level
        # fromlist handling on every call (a package), and there is a call per cache entry.
        key = "\0".join(str(p) for p in (*key_parts, msglint.__version__))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        env = os.environ
        base = _folder(folder, env.get(ENV_CACHE_DIR), env.get("XDG_CACHE_HOME"), env.get("HOME"))
        return (
            Path(base, digest[:2], f"{digest}.pickle")
            if fan_out
            else Path(base, f"{digest}.pickle")
        )
    except (OSError, RuntimeError):
        return None


def digest_file(folder: str, digest: str) -> str | None:
    """The file in ``cache_root()/folder`` (fanned out) for a key the caller digested itself.

    For keys that contain a whole text: the caller hashes the text without joining it to the
    other parts first, and no Path is built (a cache hit only opens the file). ``digest`` is
    hexadecimal; the caller includes ``msglint.__version__`` in it.
    """
    try:
        env = os.environ
        base = _folder(folder, env.get(ENV_CACHE_DIR), env.get("XDG_CACHE_HOME"), env.get("HOME"))
    except (OSError, RuntimeError):
        return None
    return f"{base}{os.sep}{digest[:2]}{os.sep}{digest}.marshal"


@lru_cache(maxsize=32)
def _folder(folder: str, *environment: str | None) -> str:
    # Keyed on the variables cache_root() reads (tests change them): once per run, not per entry.
    return os.path.join(cache_root(), folder)


def load_pickle(path: Path | None) -> Any:
    """The cached value, or None for a miss or an unreadable entry (caches are optional)."""
    return _load(path, pickle.loads)


def load_marshal(path: str | None) -> Any:
    """Like :func:`load_pickle`, for a value of plain built-in types stored by ``marshal``.

    marshal builds tuples, lists, sets and code objects in C; pickle calls Python for every
    instance of a class (named tuples, enums) in the value.
    """
    return _load(path, marshal.loads)


def _load(path: str | Path | None, loads: Callable[[bytes], Any]) -> Any:
    if path is None:
        return None
    try:
        data = _read(path)
        return None if data is None else loads(data)
    except Exception:  # a miss, or a stale or corrupt entry: the caller recomputes
        return None


def _read(path: str | Path) -> bytes | None:
    """The entry's bytes (None if it changed while read); raises OSError for a miss.

    One open, fstat and read: a file object (even unbuffered) adds its own object and a
    second read to find the end; Path.read_bytes() also a buffered reader.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
    finally:
        os.close(fd)
    return data if len(data) == size else None


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


_MADE: set[Path] = set()  # cache folders known to exist (a first run writes many entries)


def store_pickle(path: Path | None, value: Any) -> None:
    """Write a cache entry atomically; failures are ignored (caching is an optimisation)."""
    if path is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, RecursionError, AttributeError):
        return  # a value pickle cannot store: stays uncached
    _write(path, data)


def store_marshal(path: str | None, value: Any) -> None:
    """Write a :func:`load_marshal` entry atomically; failures are ignored."""
    if path is None:
        return
    try:
        data = marshal.dumps(value)
    except ValueError:  # a type marshal cannot store: stays uncached
        return
    _write(Path(path), data)


def _write(path: Path, data: bytes) -> None:
    try:
        if path.parent not in _MADE:
            path.parent.mkdir(parents=True, exist_ok=True)
            _MADE.add(path.parent)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
