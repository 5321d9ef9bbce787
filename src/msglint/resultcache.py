"""The result cache: a file's lint result, reused while nothing it depends on has changed.

Like ruff's cache. Entries live in one SQLite file under ``cache_root()/results/``, keyed by
the *run fingerprint* (msglint and Python versions, msglint's code, installed packages, the
config, the command line's rule selection, rule and compliance packs, vocabulary files,
Hunspell dictionaries and the compliance date) and the file's absolute and display path. Each
holds the sha256 of the file's bytes, the other files the lint read or looked for (its
*dependencies*), the notices it printed and the :class:`~msglint.model.FileResult`.

Dependencies are recorded while a file is linted: :func:`recording` opens a recorder for the
file, and the code that reads other files calls :func:`record_dependency` (a plain-text
sibling, Jinja includes) or :func:`record_listing` (a folder's file names).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msglint.model import FACTORY_DEFAULT, dataclass_eq, dataclass_hash, dataclass_repr, set_field

if TYPE_CHECKING:
    from msglint.config import Config
    from msglint.model import FileResult

ENV_SWITCH = "MSGLINT_RESULT_CACHE"  # "0": no result cache (the other caches stay on)
_FORMAT = 1  # bump when an entry's layout or the fingerprint's meaning changes
# A file changed within this time of being looked at may keep its size and mtime through the
# next write (coarse file-system clocks): its content is hashed too (like git's racy check).
_RACY_NS = 3_000_000_000
# Entry-point groups with pack paths (msglint.packs and msglint.compliance.packs, not imported).
_PACK_GROUPS = ("msglint.packs", "msglint.compliance")

# (size, mtime_ns, sha256 or None) of an existing file; None for a missing one.
Signature = tuple[int, int, str | None] | None


# --- recording dependencies while a file is linted -------------------------------------------


@dataclass(init=False, repr=False, eq=False)  # methods: see msglint.model
class Recorder:
    """What one file's lint depended on besides the file itself."""

    files: dict[str, Signature] = field(default_factory=dict)
    listings: dict[str, str | None] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    uncacheable: str | None = None  # why the result must not be stored

    def __init__(
        self,
        files: dict[str, Signature] = FACTORY_DEFAULT,
        listings: dict[str, str | None] = FACTORY_DEFAULT,
        notices: list[str] = FACTORY_DEFAULT,
        uncacheable: str | None = None,
    ) -> None:
        self.files = {} if files is FACTORY_DEFAULT else files
        self.listings = {} if listings is FACTORY_DEFAULT else listings
        self.notices = [] if notices is FACTORY_DEFAULT else notices
        self.uncacheable = uncacheable

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq


_RECORDER: ContextVar[Recorder | None] = ContextVar("msglint_result_recorder", default=None)


@contextmanager
def recording() -> Iterator[Recorder]:
    """Record the dependencies of the lint run inside the ``with`` block."""
    recorder = Recorder()
    token = _RECORDER.set(recorder)
    try:
        yield recorder
    finally:
        _RECORDER.reset(token)


def record_dependency(path: str | os.PathLike[str]) -> None:
    """The file being linted read ``path`` or checked whether it exists."""
    recorder = _RECORDER.get()
    if recorder is None:
        return
    key = os.path.abspath(path)
    if key not in recorder.files:
        recorder.files[key] = file_signature(key)


# Folder listings digested in this run: files of one folder share them (a run assumes that the
# folders it lints do not change while it runs; open_result_cache starts afresh).
_LISTED: dict[str, str | None] = {}


def record_listing(folder: str | os.PathLike[str]) -> None:
    """The file being linted looked at the names of the files in ``folder``."""
    recorder = _RECORDER.get()
    if recorder is None:
        return
    key = os.path.abspath(folder)
    if key not in recorder.listings:
        if key not in _LISTED:
            _LISTED[key] = listing_digest(key)
        recorder.listings[key] = _LISTED[key]


def record_notice(text: str) -> None:
    """A run notice that linting this file prints (repeated when the result is reused)."""
    recorder = _RECORDER.get()
    if recorder is not None and text not in recorder.notices:
        recorder.notices.append(text)


def mark_uncacheable(reason: str) -> None:
    """The result depends on something that cannot be recorded: never store it."""
    recorder = _RECORDER.get()
    if recorder is not None and recorder.uncacheable is None:
        recorder.uncacheable = reason


def file_signature(path: str) -> Signature:
    try:
        st = os.stat(path)
    except OSError:
        return None
    digest = _content_digest(path) if _racy(st.st_mtime_ns) else None
    return (st.st_size, st.st_mtime_ns, digest)


def _racy(mtime_ns: int) -> bool:
    return mtime_ns > time.time_ns() - _RACY_NS


def _content_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def listing_digest(folder: str) -> str | None:
    """A digest of the file names in ``folder`` (None if it cannot be listed)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    return hashlib.sha256("\0".join(names).encode("utf-8", "surrogatepass")).hexdigest()


# --- entries ---------------------------------------------------------------------------------


@dataclass(frozen=True, init=False, repr=False, eq=False)  # methods: see msglint.model
class CachedResult:
    """One stored entry."""

    digest: str  # sha256 of the file's bytes
    files: tuple[tuple[str, Signature], ...]
    listings: tuple[tuple[str, str | None], ...]
    notices: tuple[str, ...]
    result: FileResult | None  # None: the file turned out not to be a template

    def __init__(
        self,
        digest: str,
        files: tuple[tuple[str, Signature], ...],
        listings: tuple[tuple[str, str | None], ...],
        notices: tuple[str, ...],
        result: FileResult | None,
    ) -> None:
        set_field(self, "digest", digest)
        set_field(self, "files", files)
        set_field(self, "listings", listings)
        set_field(self, "notices", notices)
        set_field(self, "result", result)

    __repr__ = dataclass_repr
    __eq__ = dataclass_eq
    __hash__ = dataclass_hash


class ResultCache:
    """Look-ups and stores for one run (the fingerprint is the same for every file)."""

    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        # Dependencies are shared between files (layouts, folders): check each once per run.
        self._files: dict[str, bool] = {}
        self._listings: dict[str, str | None] = {}
        self._store = _EntryStore()

    def __reduce__(self) -> tuple[type[ResultCache], tuple[str]]:
        return (ResultCache, (self.fingerprint,))  # workers check dependencies themselves

    def close(self) -> None:
        """Release the entry file (end of run)."""
        self._store.close()

    def _key(self, path: Path, display: str) -> str:
        key = "\0".join((self.fingerprint, os.path.abspath(path), display, str(_FORMAT)))
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

    def lookup(self, path: Path, display: str, content: bytes) -> CachedResult | None:
        """The stored entry if the file and everything it depends on are unchanged."""
        import pickle

        blob = self._store.get(self._key(path, display))
        try:
            entry = pickle.loads(blob) if blob is not None else None
            if not isinstance(entry, CachedResult):
                return None
            if entry.digest != hashlib.sha256(content).hexdigest():
                return None
            if not all(self._file_fresh(p, sig) for p, sig in entry.files):
                return None
            if not all(self._listing(f) == d for f, d in entry.listings):
                return None
        except Exception:  # an entry from another msglint build: recompute
            return None
        return entry

    def store(
        self,
        path: Path,
        display: str,
        content: bytes,
        recorder: Recorder,
        result: FileResult | None,
    ) -> None:
        import pickle

        entry = CachedResult(
            digest=hashlib.sha256(content).hexdigest(),
            files=tuple(recorder.files.items()),
            listings=tuple(recorder.listings.items()),
            notices=tuple(recorder.notices),
            result=result,
        )
        try:
            blob = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return
        self._store.put(self._key(path, display), blob)

    def _file_fresh(self, path: str, recorded: Signature) -> bool:
        key = f"{path}\0{recorded!r}"
        fresh = self._files.get(key)
        if fresh is None:
            fresh = self._files[key] = _signature_matches(path, recorded)
        return fresh

    def _listing(self, folder: str) -> str | None:
        if folder not in self._listings:
            self._listings[folder] = listing_digest(folder)
        return self._listings[folder]


class _EntryStore:
    """The entries: one SQLite file under ``cache_root()/results/``.

    One file per entry cost ~0.8 ms to create on a first run (most of storing 1,000 results);
    a row costs ~0.07 ms. Every problem (locked, unwritable, corrupt) is a miss, and a file
    that is no database any more is started afresh.
    """

    def __init__(self) -> None:
        self._db: Any = None
        self._unusable = False

    @property
    def path(self) -> Path:
        from msglint.cachedir import cache_root

        return cache_root() / "results" / f"results-{_FORMAT}.sqlite"

    def _connect(self, create: bool) -> Any:
        if self._db is not None or self._unusable:
            return self._db
        path = self.path
        if not create and not path.exists():
            return None  # nothing stored yet: no need to import sqlite3 or make folders
        import sqlite3

        for attempt in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(path), timeout=10, isolation_level=None)
                # A cache: a crash may lose or corrupt rows (then the file starts afresh). No
                # write-ahead log: its memory-mapped index must not outlive a damaged file.
                db.execute("PRAGMA journal_mode=MEMORY")
                db.execute("PRAGMA synchronous=OFF")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
                )
                self._db = db
                return db
            except sqlite3.DatabaseError:
                if attempt == 0:
                    self._reset(path)
            except OSError:
                break
        self._unusable = True
        return None

    def _reset(self, path: Path) -> None:
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{path}{suffix}")

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None

    def get(self, key: str) -> bytes | None:
        db = self._connect(create=False)
        if db is None:
            return None
        import sqlite3

        try:
            row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            self._reset(self.path)
            return None
        return bytes(row[0]) if row is not None else None

    def put(self, key: str, blob: bytes) -> None:
        db = self._connect(create=True)
        if db is None:
            return
        import sqlite3

        try:
            db.execute("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", (key, blob))
        except sqlite3.DatabaseError:
            self._reset(self.path)


def _signature_matches(path: str, recorded: Signature) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return recorded is None
    if recorded is None or (st.st_size, st.st_mtime_ns) != recorded[:2]:
        return False
    if recorded[2] is not None or _racy(st.st_mtime_ns):
        return _content_digest(path) == recorded[2]
    return True


# --- the run fingerprint ---------------------------------------------------------------------


def open_result_cache(
    config: Config, select: Sequence[str] = (), ignore: Sequence[str] = ()
) -> ResultCache | None:
    """The run's result cache, or None when results must not be reused.

    Off with ``MSGLINT_RESULT_CACHE=0`` and when LanguageTool is in use (its answers depend on
    a server; they have their own cache).
    """
    if os.environ.get(ENV_SWITCH, "").strip() == "0" or languagetool_in_use(config):
        return None
    _LISTED.clear()
    try:
        return ResultCache(run_fingerprint(config, select, ignore))
    except Exception:  # caching is an optimisation: a surprise here must not stop the run
        return None


def languagetool_in_use(config: Config) -> bool:
    """True if grammar checks would ask a LanguageTool server (configured or local)."""
    section = config.languagetool if isinstance(config.languagetool, dict) else {}
    if section.get("url") or os.environ.get("MSGLINT_LANGUAGETOOL_URL", "").strip():
        return True
    if section.get("local", True) is False:
        return False
    # The local server that msglint.grammar.service starts when language-tool-python has one.
    folder = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    try:
        installed = folder.is_dir() and any(folder.glob("LanguageTool*"))
    except OSError:
        installed = False
    if not installed:
        return False
    import shutil

    return shutil.which("java") is not None


def run_fingerprint(config: Config, select: Sequence[str], ignore: Sequence[str]) -> str:
    """A digest of everything besides a file and its dependencies that changes its result."""
    from msglint import __version__

    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        digest.update(repr(parts).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")

    add("versions", _FORMAT, __version__, sys.version, sys.executable)
    add("code", _package_signature())
    add("installed", _installed_distributions())
    add("cwd", os.getcwd())
    add("config", repr(config))
    if config.path is not None:
        add("config file", str(config.path), _content_digest(str(config.path)))
    add("selection", tuple(select), tuple(ignore))
    add("packs", _files_signature(_pack_sources(config)))
    add("vocabulary", _files_signature(_vocabulary_files(config)))
    add("dictionaries", _dictionaries(config))
    add("date", compliance_date(config))
    return digest.hexdigest()


def _package_signature() -> tuple[tuple[str, int, int], ...]:
    """msglint's own modules: an edited checkout must not reuse results of the old code."""
    package = Path(__file__).resolve().parent
    found: list[tuple[str, int, int]] = []
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                found.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
    return tuple(found)


def _installed_distributions() -> tuple[str, ...]:
    """Installed packages with their versions (``Jinja2-3.1.4.dist-info``)."""
    from msglint.resources import installed_distributions

    return tuple(sorted(name for _, name in installed_distributions()))


def _pack_sources(config: Config) -> list[Path]:
    """Every place rule packs come from: shipped ``rules/``, config ``packs:``, entry points."""
    from msglint.resources import shipped_rules_dir

    sources = [shipped_rules_dir()]
    sources += [p if p.is_absolute() else config.root / p for p in config.packs]
    sources += _entry_point_paths()
    return sources


def _entry_point_paths() -> list[Path]:
    """Pack paths from the ``msglint.packs`` and ``msglint.compliance`` entry points."""
    from msglint.resources import entry_point_paths

    return [path for group in _PACK_GROUPS for path in entry_point_paths(group)]


def _vocabulary_files(config: Config) -> list[Path]:
    """The accept/reject files named in ``vocabulary:`` (read by msglint.grammar.vocabulary)."""
    found: list[Path] = []
    sections = config.vocabulary if isinstance(config.vocabulary, dict) else {}
    for section in sections.values():
        if not isinstance(section, dict):
            continue
        for key in ("accept", "reject"):
            value = section.get(key)
            names = [value] if isinstance(value, str) else value
            if isinstance(names, list):
                found += [
                    Path(n) if Path(n).is_absolute() else config.root / n
                    for n in names
                    if isinstance(n, str)
                ]
    return found


def _files_signature(sources: Sequence[Path]) -> list[tuple[str, Signature]]:
    """Each file under ``sources`` (folders: their YAML files) with its signature."""
    found: list[tuple[str, Signature]] = []
    for source in sources:
        if source.is_dir():
            files = sorted(str(p) for p in source.rglob("*") if p.suffix in (".yaml", ".yml"))
            found += [(f, file_signature(f)) for f in files]
        else:
            found.append((str(source), file_signature(str(source))))
    return found


def _dictionaries(config: Config) -> list[object]:
    """The Hunspell dictionaries spelling would use, and which backends are installed."""
    from importlib.util import find_spec

    from msglint.grammar.hunspell import DEFAULT_DICTIONARIES, find_dictionary

    sections = config.vocabulary if isinstance(config.vocabulary, dict) else {}
    found: list[object] = [find_spec("hunspell") is not None, find_spec("spylls") is not None]
    for language in sorted({*DEFAULT_DICTIONARIES, *map(str, sections)}):
        section = sections.get(language)
        configured = section.get("dictionary") if isinstance(section, dict) else None
        dic = find_dictionary(language, configured if isinstance(configured, str) else None)
        if dic is None:
            found.append((language, None))
        else:
            aff = dic.with_suffix(".aff")
            found.append((language, str(dic), file_signature(str(dic)), file_signature(str(aff))))
    return found


def compliance_date(config: Config) -> str:
    """The date compliance validity is checked on (as ``msglint.compliance.packs.check_date``)."""
    pinned = os.environ.get("MSGLINT_TODAY", "").strip()
    if pinned:
        return pinned
    section = config.compliance if isinstance(config.compliance, dict) else {}
    if section.get("today") is not None:
        return str(section["today"])
    import datetime as dt

    return dt.date.today().isoformat()
