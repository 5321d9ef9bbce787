"""Writing files so that readers never see half a file (reports, ``--fix``)."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def write_atomically(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path``'s contents with ``text`` in one step.

    Writes a temporary file in the same folder (so ``os.replace`` is an atomic rename on the
    same file system) and renames it over the target. An existing target keeps its permission
    bits; a new file gets the default mode (0o666 minus the umask). A symlink is followed, so
    the link stays and its target changes. Line endings are written exactly as given.
    """
    target = Path(os.path.realpath(path))
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    data = text.encode(encoding)
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            # os.open with 0o666 applies the umask, like a normal new file (mkstemp gives 0o600).
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
            )
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
