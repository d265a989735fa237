"""NegMAS's general helpers (``negmas.helpers``): names, classes, strings, files and loggers.

These are small utilities NegMAS code calls outside any negotiation:
:func:`shortest_unique_names` shortens dotted names, :func:`get_class` and
:func:`instantiate` turn a dotted name into a class or an object,
:func:`pretty_string` prints nested data, :func:`is_nonzero_file` and
:func:`has_needed_files` test paths, :func:`create_loggers` makes a
:mod:`logging` logger, and :class:`ConfigReader` builds objects from a dict
or a JSON / YAML file. ``unique_name`` is :func:`palaver.outcomes.unique_name`.

Names are resolved with ``import`` and ``getattr`` (and, for a bare name,
the ``scope`` mapping the caller passes): nothing is evaluated.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import json
import logging
import os
import string
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from palaver._util.checks import check_items, checked_path
from palaver._util.imports import import_dotted
from palaver.outcomes import unique_name

__all__ = [
    "ConfigReader",
    "create_loggers",
    "get_class",
    "get_full_type_name",
    "has_needed_files",
    "import_by_name",
    "instantiate",
    "is_nonzero_file",
    "pretty_string",
    "shortest_unique_names",
    "unique_name",
]

# -- names ---------------------------------------------------------------------


def shortest_unique_names(
    strs: list[str],
    sep: str = ".",
    max_compression: bool = False,
    guarantee_unique: bool = False,
) -> list[str]:
    """The shortest tails of ``strs`` (in ``sep``-separated fields) that tell them apart.

    ``["a.b.cat", "d.e.f", "a.d.cat"]`` gives ``["b.cat", "f", "d.cat"]``.
    With ``max_compression`` each result is then cut to its shortest prefix
    (in characters) that no other result starts with (``["b", "f", "d"]``).
    Equal inputs stay equal (and whole) unless ``guarantee_unique``, which
    first appends a character to repeated ones (``"cat"``, ``"cat"`` ->
    ``"cat0"``, ``"cat"``). Fewer than two strings come back unchanged.
    """
    given = check_items("strs", strs, "strings")
    for i, text in enumerate(given):
        if not isinstance(text, str):
            raise TypeError(f"strs[{i}] must be a str, got {text!r:.80} ({type(text).__name__})")
    if len(given) < 2:
        return given
    names = _distinct(given) if guarantee_unique else given
    tails = _unique_tails(names, sep)
    if max_compression:
        tails = [_shortest_prefix(i, tails) for i in range(len(tails))]
    return tails


def _distinct(names: list[str]) -> list[str]:
    """``names`` with a character appended to each earlier copy of a repeated one."""
    alphabet = string.digits + string.ascii_letters
    for i in range(len(names) - 1):
        others = set(names[:i] + names[i + 1 :])
        while names[i] in others:
            extra = next((c for c in alphabet if names[i] + c not in others), None)
            names[i] += extra if extra is not None else unique_name("", add_time=False)
    return names


def _unique_tails(names: list[str], sep: str) -> list[str]:
    """For each name, its last fields: as few as tell it from names ending differently."""
    fields = [n.split(sep) for n in names]
    tails: list[str] = []
    for i, own in enumerate(fields):
        if names.count(names[i]) > 1:
            tails.append(names[i])  # equal names cannot be told apart
            continue
        for k in range(1, len(own) + 1):
            tail = own[-k:]
            if not any(j != i and f[-k:] == tail for j, f in enumerate(fields)):
                break
        tails.append(sep.join(tail))
    return tails


def _shortest_prefix(i: int, tails: list[str]) -> str:
    """The shortest prefix of ``tails[i]`` no other tail starts with (else all of it)."""
    own = tails[i]
    for n in range(1, len(own)):
        if not any(j != i and t[:n] == own[:n] for j, t in enumerate(tails)):
            return own[:n]
    return own


# -- classes -------------------------------------------------------------------


def get_full_type_name(t: Any) -> Any:
    """``"module.Name"`` of a class or function (a string or ``None`` is returned as is).

    A ``functools.partial`` is named by its function; an instance by its class.
    """
    if t is None or isinstance(t, str):
        return t
    if isinstance(t, functools.partial):
        t = t.func
    if not hasattr(t, "__qualname__"):
        t = type(t)
    return f"{t.__module__}.{t.__qualname__}"


def import_by_name(full_name: Any) -> Any:
    """What the dotted name ``full_name`` stands for (anything else is returned as is).

    Raises ``ImportError`` naming it when it cannot be imported.
    """
    if not isinstance(full_name, str):
        return full_name
    return import_dotted(full_name)


def _pascal(name: str) -> str:
    """``name`` in PascalCase (``"my_thing"`` -> ``"MyThing"``), as NegMAS spells class names."""
    parts = [p for p in name.replace("-", "_").replace(" ", "_").split("_") if p]
    return "".join(p[0].upper() + p[1:] for p in parts)


def get_class(
    class_name: str | type,
    module_name: str | None = None,
    scope: Mapping[str, Any] | None = None,
    allow_nonstandard_names: bool = False,
    extra_modules: tuple[str, ...] = (),
    extra_paths: tuple[str | Path, ...] = (),
) -> Any:
    """The class named ``class_name`` (a class is returned as is).

    A dotted name (``"palaver.negmas.AspirationNegotiator"``, or a bare name
    with ``module_name``) is imported; a bare name is looked up in ``scope``
    (pass ``globals()`` or ``locals()``), then among the built-ins. As in
    NegMAS the last part is read in PascalCase (``"my_agent"`` finds
    ``MyAgent``) unless ``allow_nonstandard_names``. ``extra_modules`` are
    imported first and ``extra_paths`` appended to ``sys.path``. A path into
    NegMAS (``"negmas.sao.AspirationNegotiator"``) names the class of that
    name in ``palaver.negmas`` (NegMAS code keeps such strings in configs).

    Raises ``ImportError`` naming the class when it cannot be found.
    """
    for p in extra_paths:
        sys.path.append(str(p))
    for m in extra_modules:
        importlib.import_module(m)
    if not isinstance(class_name, str):
        if not callable(class_name):
            # NegMAS returns anything that is not a name as it is; a number or
            # None would then fail where it is called, far from here.
            raise TypeError(
                f"class_name must be a class, a callable or a (dotted) class name, got "
                f"{class_name!r:.80} ({type(class_name).__name__})"
            )
        return class_name
    parts = [*(module_name.split(".") if module_name else []), *class_name.split(".")]
    if len(parts) > 1 and parts[0] == "negmas":
        parts.insert(0, "palaver")
    last = parts[-1] if allow_nonstandard_names else _pascal(parts[-1]) or parts[-1]
    if len(parts) == 1:
        for table in (scope or {}, vars(builtins)):
            for key in dict.fromkeys((last, parts[0])):
                if key in table:
                    return table[key]
        raise ImportError(
            f"class_name {class_name!r}: no {last!r} in the scope given nor among the built-ins "
            f"(pass scope=globals() or a dotted name)"
        )
    return import_dotted(".".join([*parts[:-1], last]))


def instantiate(
    class_name: str | type | None,
    module_name: str | None = None,
    scope: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """An object of the class :func:`get_class` finds, made with ``kwargs``
    (``None`` for ``None``)."""
    if class_name is None:
        return None
    return get_class(class_name, module_name, scope=scope)(**kwargs)


# -- strings -------------------------------------------------------------------


def pretty_string(src: Any, tab_size: int = 2, compact: bool = False) -> str:
    """``src`` (nested dicts, lists and tuples) one item a line, indented by ``tab_size``.

    ``{"a": 1}`` is ``"{\\n  a:1\\n}"``, ``[1, 2]`` is ``"[\\n  1\\n  2\\n]"``;
    ``compact`` joins the lines (and keeps the keys quoted: ``'{  "a":1}'``).
    """
    lines = _pretty_lines(src, 0, None, tab_size)
    if compact:
        return "".join(lines)
    return "\n".join(lines).replace(' "', " ").replace('":', ":")


def _pretty_lines(src: Any, depth: int, key: Any, tab_size: int) -> list[str]:
    pad = " " * depth * tab_size
    head = pad if key is None else f'{pad}"{key}":'
    if isinstance(src, dict):
        inner = [ln for k, v in src.items() for ln in _pretty_lines(v, depth + 1, k, tab_size)]
        return [head + "{", *inner, pad + "}"]
    if isinstance(src, list | tuple):
        inner = [ln for v in src for ln in _pretty_lines(v, depth + 1, None, tab_size)]
        return [head + "[", *inner, pad + "]"]
    return [f"{head}{src}"]


# -- files ---------------------------------------------------------------------


def is_nonzero_file(fpath: str | os.PathLike[str]) -> bool:
    """Whether ``fpath`` is an existing file holding at least one byte."""
    if fpath == "":
        return False  # no file, as NegMAS answers
    # checked_path refuses an int, which os.path reads as an open file descriptor.
    path = checked_path("fpath", fpath)
    return path.is_file() and path.stat().st_size > 0


def has_needed_files(
    path: str | os.PathLike[str],
    needed_files: Iterable[str | tuple[str, ...]] = (),
    needed_nonzero_files: Iterable[str | tuple[str, ...]] = (),
    verbose: bool = False,
) -> list[Path]:
    """The paths inside the folder ``path`` meeting each need, or ``[]`` if one is not met.

    Each need is a name that must exist there, or a tuple of names of which
    the first existing one is taken; ``needed_nonzero_files`` must also be
    files of at least one byte. The result has one path per need, in order
    (``needed_files`` first). ``verbose`` prints what is missing.
    """
    folder = checked_path("path", path)
    if not folder.is_dir():
        if verbose:
            print(f"{folder} is not a folder")
        return []
    found: list[Path] = []
    needs = [(n, False) for n in needed_files] + [(n, True) for n in needed_nonzero_files]
    for need, nonzero in needs:
        names = (need,) if isinstance(need, str) else tuple(need)
        ok = [
            folder / n
            for n in names
            if (folder / n).exists() and (not nonzero or is_nonzero_file(folder / n))
        ]
        if not ok:
            if verbose:
                print(f"{folder} has none of {list(names)}")
            return []
        found.append(ok[0])
    return found


# -- loggers -------------------------------------------------------------------


def create_loggers(
    file_name: str | os.PathLike[str] | None = None,
    module_name: str | None = None,
    screen_level: int | None = logging.WARNING,
    file_level: int | None = logging.DEBUG,
    format_str: str = "%(asctime)s - %(levelname)s - %(message)s",
    colored: bool = True,
    app_wide_log_file: bool = True,
    module_wide_log_file: bool = False,
) -> logging.Logger:
    """A :mod:`logging` logger writing to standard error and, if asked, to a file.

    Messages at ``screen_level`` or above go to standard error (``None``:
    none); with ``file_name`` (``""``: ``log-<time>.txt`` in the current
    folder) messages at ``file_level`` or above go to that file too. Nothing
    is written to a file unless ``file_name`` is given. The logger is the
    one named ``module_name`` (default ``"palaver"``) when
    ``app_wide_log_file`` or ``module_wide_log_file``, else the root logger;
    a named logger that already has handlers is returned as it is.
    ``colored`` is NegMAS's option and is accepted (the output is plain).
    """
    named = app_wide_log_file or module_wide_log_file
    logger = logging.getLogger(module_name or "palaver") if named else logging.getLogger()
    if named and logger.handlers:
        return logger
    logger.setLevel(logging.DEBUG)
    formatter = logging.Formatter(format_str)
    if screen_level is not None:
        screen = logging.StreamHandler()
        screen.setLevel(screen_level)
        screen.setFormatter(formatter)
        logger.addHandler(screen)
    if file_name is not None:
        target = Path(file_name) if str(file_name) else Path(_stamped_log_name())
        target.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(target, encoding="utf-8")
        to_file.setLevel(logging.DEBUG if file_level is None else file_level)
        to_file.setFormatter(formatter)
        logger.addHandler(to_file)
    return logger


def _stamped_log_name() -> str:
    return f"log-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.txt"


# -- configuration -------------------------------------------------------------

_T = TypeVar("_T", bound="ConfigReader")


def _singular(word: str) -> str:
    """A regular English plural's singular, for NegMAS's keys of lists of children
    (``"others"`` -> ``"other"``, ``"entries"`` -> ``"entry"``); name an
    irregular one's class after a colon (``"leaves:Leaf"``)."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _is_simple(x: Any) -> bool:
    if x is None or isinstance(x, int | float | str):
        return True
    return isinstance(x, list | tuple) and all(_is_simple(v) for v in x)


class ConfigReader:
    """NegMAS's mixin that builds an object from a configuration (``Class.from_config``).

    The configuration is a dict, or the name of a JSON or YAML file. Each key
    is a constructor argument, optionally ``"name:ClassName"`` (the value is
    then passed through that class: ``{"e:Color": 1}`` gives ``e=Color(1)``).
    A dict value is a child object built with its own ``from_config``, its
    class the key in PascalCase (``"b"`` -> ``B``) or the one after the
    colon; a list of dicts is a list of children, its class the key's
    singular (``"others"`` -> ``Other``; only regular plurals are undone,
    so name an irregular one's class: ``"leaves:Leaf"``); a ``None`` in that list stays
    ``None``. A key ``k`` for which the class has a method ``set_k`` is set
    through it after construction instead of passed to the constructor.
    Classes named by bare names are looked up in ``scope``.
    """

    @classmethod
    def read_config(
        cls, config: str | os.PathLike[str] | Mapping[str, Any] | None, section: str | None = None
    ) -> Any:
        """The configuration dict in ``config`` (a dict, or a ``.json`` / ``.yaml`` file),
        or its entry ``section``.

        Raises ``FileNotFoundError`` for a missing file and ``ValueError`` for
        another extension.
        """
        data: Any = config
        if isinstance(config, str | os.PathLike):
            path = Path(config)
            if not path.is_file():
                raise FileNotFoundError(f"config {str(config)!r}: no such file")
            text = path.read_text(encoding="utf-8-sig")
            if path.suffix == ".json":
                data = json.loads(text)
            elif path.suffix in (".yaml", ".yml"):
                data = importlib.import_module("yaml").safe_load(text)  # optional, untyped
            else:
                raise ValueError(
                    f"config {str(config)!r}: the extension must be .json, .yaml or .yml"
                )
        if section is not None and data is not None:
            return data[section]
        return data

    @classmethod
    def from_config(
        cls: type[_T],
        config: str | os.PathLike[str] | Mapping[str, Any] | None,
        section: str | None = None,
        ignore_children: bool = True,
        try_parsing_children: bool = True,
        scope: Mapping[str, Any] | None = None,
    ) -> Any:
        """An object of this class made from ``config`` (see the class docstring).

        With ``ignore_children`` false, a pair: the object and a dict of the
        configuration entries that were not used (values that are neither
        simple nor children, or every child when ``try_parsing_children`` is
        false). ``None`` (or ``(None, {})``) for an empty configuration.
        """
        data = cls.read_config(config, section)
        if data is None:
            return None if ignore_children else (None, {})
        kwargs: dict[str, Any] = {}
        setters: list[tuple[str, Any]] = []
        unused: dict[str, Any] = {}
        for key, value in data.items():
            name, _, class_name = str(key).partition(":")
            class_name = class_name.partition(":")[0]
            if _is_simple(value):
                made = get_class(class_name, scope=scope)(value) if class_name else value
            elif not try_parsing_children:
                unused[name] = value
                continue
            elif isinstance(value, Mapping):
                child = get_class(class_name or _pascal(name), scope=scope)
                made, rest = child.from_config(value, ignore_children=False, scope=scope)
                if rest:
                    unused[name] = rest
            elif isinstance(value, list | tuple):
                child = get_class(class_name or _pascal(_singular(name)), scope=scope)
                made = [None if v is None else child.from_config(v, scope=scope) for v in value]
            else:
                unused[name] = value
                continue
            if callable(getattr(cls, f"set_{name}", None)):
                setters.append((f"set_{name}", made))
            else:
                kwargs[name] = made
        obj = cls(**kwargs)
        for setter, value in setters:
            getattr(obj, setter)(value)
        return obj if ignore_children else (obj, unused)
