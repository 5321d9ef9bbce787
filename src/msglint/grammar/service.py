"""LanguageTool for one run: find the server, check message parts, cache, report once.

One :class:`GrammarService` lives on the run's ``Resources``. The three LanguageTool rules ask it
for the same message; it checks each part once (blocks in parallel, bounded thread pool) and
remembers the answer for the other rules. Problems never crash the run: the first one becomes
one notice and LanguageTool is not asked again; ``--require-grammar`` turns it into exit 2.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from msglint.config import Config, ConfigError
from msglint.grammar.settings import ENV_URL, LanguageToolSettings, configured_url, load_settings
from msglint.model import Message

if TYPE_CHECKING:
    # The client, its cache and the thread pool load only when a server is configured: most
    # runs (pre-commit without LanguageTool) never need them.
    from concurrent.futures import ThreadPoolExecutor

    from msglint.grammar.cache import CheckCache
    from msglint.grammar.client import LanguageToolClient, LtMatch

SKIPPED = (
    f"grammar checks skipped: no LanguageTool server configured (set {ENV_URL} or languagetool.url)"
)


class PartMatch(NamedTuple):
    """A LanguageTool match in ``message.parts[part].text[start:end]``."""

    part: str
    start: int
    end: int
    match: LtMatch


class GrammarService:
    def __init__(
        self,
        config: Config,
        *,
        use_cache: bool = True,
        require: bool = False,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.use_cache = use_cache
        self.require = require
        self._notice = notice or (lambda _text: None)
        self._lock = threading.Lock()
        self._resolved = False
        self._failed = False
        self.settings: LanguageToolSettings | None = None
        self.client: LanguageToolClient | None = None
        self.cache: CheckCache | None = None
        self._languages: set[str] | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._memo: OrderedDict[int, tuple[Message, list[PartMatch]]] = OrderedDict()
        self.server_calls = 0  # /v2/check requests sent (tests, -v)

    # --- server -------------------------------------------------------------------------

    def _resolve(self) -> None:
        if self._resolved:
            return
        self._resolved = True
        self.settings = load_settings(self.config)
        base, _origin = configured_url(self.settings, self.config)
        if base is None and self.settings.local:
            base = _local_server(self._fail)
        if base is None:
            if not self._failed:
                self._fail(SKIPPED)
            return
        from msglint.grammar.cache import CheckCache, default_cache_dir
        from msglint.grammar.client import LanguageToolClient

        self.client = LanguageToolClient(base, self.settings.timeout)
        if self.use_cache:
            self.cache = CheckCache(default_cache_dir(), base)

    def _fail(self, text: str) -> None:
        """Stop asking LanguageTool for this run; say why once."""
        self._failed = True
        if self.require:
            raise ConfigError(f"--require-grammar: {text}")
        self._notice(text)

    @property
    def available(self) -> bool:
        """True while LanguageTool is configured and has not failed in this run."""
        self._resolve()
        return self.client is not None and not self._failed

    def _supported(self, language: str) -> bool:
        assert self.client is not None
        if self._languages is None:
            self._languages = self.client.languages()
        return language in self._languages

    # --- checking -----------------------------------------------------------------------

    def cached_matches(self, message: Message) -> list[PartMatch] | None:
        """The matches already computed for this message in this run, if any."""
        entry = self._memo.get(id(message))
        return entry[1] if entry is not None and entry[0] is message else None

    def matches(self, message: Message) -> list[PartMatch]:
        """LanguageTool's matches for every part of the message (empty when unavailable)."""
        if self._resolved and (self.client is None or self._failed):
            return []  # no server for this run: nothing to remember per message
        known = self.cached_matches(message)
        if known is not None:
            return known
        with self._lock:
            result = self._check_message(message) if self.available else []
        self._memo[id(message)] = (message, result)
        while len(self._memo) > 64:  # rules ask about the message being linted only
            self._memo.popitem(last=False)
        return result

    def _check_message(self, message: Message) -> list[PartMatch]:
        from concurrent.futures import Future

        from msglint.grammar.client import CheckResult, LanguageToolError
        from msglint.grammar.prepare import prepare_part

        assert self.settings is not None and self.client is not None
        language = self.settings.lt_language(message.language)
        rule_settings = self.settings.rule_settings(message.channel)
        neutral = not message.channel_data.get("samples_given", True)
        jobs: list[tuple[str, Any, int, str, CheckResult | None]] = []
        for name, part in message.parts.items():
            if not part.text.strip():
                continue
            prepared = prepare_part(part, message.language, neutral_placeholders=neutral)
            for start, end in prepared.blocks:
                block = prepared.text[start:end]
                hit = self.cache.get(block, language, rule_settings) if self.cache else None
                jobs.append((name, prepared, start, block, hit))
        misses = [j for j in jobs if j[4] is None]
        futures: dict[int, Future[CheckResult]] = {}
        if misses:
            try:
                if not self._supported(language):
                    self._fail(f"grammar checks skipped: LanguageTool does not support {language}")
                    return []
            except LanguageToolError as exc:
                self._fail(f"grammar checks skipped: {exc}")
                return []
            pool = self._executor()
            for index, job in enumerate(jobs):
                if job[4] is None:
                    futures[index] = pool.submit(self.client.check, job[3], language, rule_settings)
        found: list[PartMatch] = []
        for index, (name, prepared, start, block, hit) in enumerate(jobs):
            result = hit
            if index in futures:
                try:
                    result = futures[index].result()
                except LanguageToolError as exc:
                    for future in futures.values():
                        future.cancel()
                    self._fail(f"grammar checks skipped for the rest of the run: {exc}")
                    return []
                self.server_calls += 1
                if self.cache is not None:
                    self.cache.put(block, language, rule_settings, result)
            assert isinstance(result, CheckResult)
            for m in result.matches:
                lo, hi, placeholder = prepared.to_part(
                    start + m.offset, start + m.offset + m.length
                )
                if not placeholder:  # a placeholder's value is not the template's wording
                    found.append(PartMatch(name, lo, hi, m))
        return found

    def _executor(self) -> ThreadPoolExecutor:
        from concurrent.futures import ThreadPoolExecutor

        if self._pool is None:
            assert self.settings is not None
            self._pool = ThreadPoolExecutor(
                max_workers=self.settings.max_workers, thread_name_prefix="msglint-lt"
            )
        return self._pool


def _local_server(fail: Callable[[str], None]) -> str | None:
    """A LanguageTool that language-tool-python installed before; never downloads one."""
    folder = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    installed = sorted(folder.glob("LanguageTool*")) if folder.is_dir() else []
    if not installed:
        return None
    import shutil  # here: it imports bz2 and lzma, which a run without LanguageTool never needs

    if shutil.which("java") is None:
        return None
    try:
        import language_tool_python
        from language_tool_python.download_lt import LocalLanguageTool

        latest = LocalLanguageTool.get_latest_installed_version()
        if latest is None:
            return None
        tool = language_tool_python.LanguageTool(
            "en-US", language_tool_download_version=latest.version_name
        )
    except Exception as exc:  # a broken Java or LanguageTool install must not stop the run
        fail(f"grammar checks skipped: cannot start the local LanguageTool ({exc})")
        return None
    atexit.register(tool.close)
    return str(tool.url)
