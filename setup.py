"""Ship the top-level ``rules/`` packs inside the wheel as ``msglint/_rules``.

The packs are data that users read and extend, so they live at the repository's top level; an
installed msglint (pre-commit installs a wheel) still needs them next to the code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithRulePacks(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "rules"
        if source.is_dir():
            target = Path(self.build_lib) / "msglint" / "_rules"
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target)


setup(cmdclass={"build_py": BuildWithRulePacks})
