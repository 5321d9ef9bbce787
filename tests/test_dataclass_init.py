"""msglint's own dataclasses with written-out ``__init__`` must stay what the decorator makes.

Those classes are declared ``init=False, repr=False, eq=False`` (the decorator's generated
methods cost start-up time, see msglint.model). A field added to the class but not to its
``__init__`` would otherwise go unnoticed until it is read.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from typing import Any

import pytest

from msglint.model import FACTORY_DEFAULT, dataclass_repr

MODULES = (
    "msglint.model",
    "msglint.config",
    "msglint.lint",
    "msglint.metadata",
    "msglint.resultcache",
    "msglint.rules.registry",
    "msglint.channels.base",
    "msglint.compliance.check",
    "msglint.compliance.packs",
    "msglint.grammar.hunspell",
    "msglint.grammar.settings",
    "msglint.grammar.vocabulary",
    "msglint.templating.base",
    "msglint.templating.fallback",
    "msglint.templating.jinja",
    "msglint.markup.html",
)


def written_out_classes() -> list[type]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and value.__module__ == name
                and dataclasses.is_dataclass(value)
                and not value.__dataclass_params__.init  # type: ignore[attr-defined]
            ):
                found.append(value)
    return found


CLASSES = written_out_classes()


def test_the_pattern_is_found() -> None:
    assert len(CLASSES) >= 10


class _Value:
    """A distinct, hashable value per field (any type: __init__ does not check types).

    Callable, for fields that ``__init__`` wraps (``lru_cache(...)(function)``).
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: object) -> None:
        return None

    def __repr__(self) -> str:
        return f"<{self.name}>"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_init_matches_the_fields(cls: type) -> None:
    fields = [f for f in dataclasses.fields(cls) if f.init]
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in params] == [f.name for f in fields]
    for field, param in zip(fields, params, strict=True):
        if field.default is not dataclasses.MISSING:
            assert param.default == field.default, field.name
        elif field.default_factory is not dataclasses.MISSING:
            assert param.default is FACTORY_DEFAULT, field.name
        else:
            assert param.default is inspect.Parameter.empty, field.name

    given = {f.name: _Value(f.name) for f in fields}
    made = cls(**given)
    for name, value in given.items():
        assert getattr(made, name) is value, name
    # The generated repr, eq and hash, field by field.
    shown = ", ".join(
        f"{f.name}={given[f.name]!r}" for f in dataclasses.fields(cls) if f.repr and f.init
    )
    if all(f.init for f in dataclasses.fields(cls)):  # else __init__ computes the others
        if "__repr__" not in vars(cls) or cls.__repr__ is dataclass_repr:  # else its own repr
            assert repr(made) == f"{cls.__qualname__}({shown})"
        if cls.__eq__ is object.__eq__:  # declared eq=False: compared by identity
            assert made != cls(**given)
            return
        assert made == cls(**given)
        if cls.__hash__ is not None:
            assert hash(made) == hash(cls(**given))
    compared = [f for f in fields if f.compare]
    if compared:
        other = dict(given, **{compared[-1].name: _Value("other")})
        assert made != cls(**other)


WITH_FACTORIES = [
    cls
    for cls in CLASSES
    if any(f.init and f.default_factory is not dataclasses.MISSING for f in dataclasses.fields(cls))
]


def test_some_classes_have_default_factories() -> None:
    assert len(WITH_FACTORIES) >= 3


@pytest.mark.parametrize("cls", WITH_FACTORIES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_default_factories_give_fresh_values(cls: type) -> None:
    fields = [f for f in dataclasses.fields(cls) if f.init]
    factories = [f for f in fields if f.default_factory is not dataclasses.MISSING]
    required: dict[str, Any] = {
        f.name: _Value(f.name)
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    one, two = cls(**required), cls(**required)
    for f in factories:
        fresh = f.default_factory()  # type: ignore[misc]
        value = getattr(one, f.name)
        assert type(value) is type(fresh), f.name
        compared_by_identity = type(fresh).__eq__ is object.__eq__  # e.g. a builder object
        if not compared_by_identity:
            assert value == fresh, f.name
        if compared_by_identity or isinstance(value, list | dict | set):
            assert value is not getattr(two, f.name), f.name
