"""Records: classes declared by their annotated fields, as with dataclasses, for the classes a command needs to
start. Standard library only.

Why not dataclasses here: @dataclass writes each class's __init__, __repr__ and __eq__ as source and executes it,
0.4–0.8 ms per class, and importing dataclasses pulls in inspect (~5 ms). The two dozen classes that reading a
workbook needs made up a third of `validate` on a small workbook (issue 16). A record's methods are shared
functions that walk the class's field names, so declaring one costs a few microseconds; only a class that makes
many instances is given an __init__ written for its fields (see _init), as fast as a dataclass's.

Supported, with dataclasses' meaning: defaults, field(default_factory=…), __post_init__, frozen=True (immutable
and hashable), slots=True, eq=False, and replace() / fields(). Not supported: inheritance between records, InitVar,
ClassVar, keyword-only fields, ordering."""

from __future__ import annotations

_MISSING = object()


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


def field(*, default_factory):
    """A default made afresh for every record, as dataclasses.field(default_factory=…)."""
    return _Factory(default_factory)


def record(cls=None, /, *, frozen: bool = False, slots: bool = False, eq: bool = True):
    """Make cls a record of its annotated fields (use as @record or @record(frozen=True, slots=True)); eq=False
    keeps identity comparison."""

    def build(cls):
        return _build(cls, frozen, slots, eq)

    return build if cls is None else build(cls)


def fields(obj) -> tuple[str, ...]:
    """The field names of a record or record class, in declaration order."""
    return obj.__record_fields__


def is_record(obj) -> bool:
    """True for a record instance (not the class)."""
    return hasattr(type(obj), "__record_fields__")


def replace(obj, **changes):
    """A copy of a record with some fields changed (its __post_init__ runs again, as with dataclasses)."""
    values = {name: getattr(obj, name) for name in obj.__record_fields__}
    values.update(changes)
    return type(obj)(**values)


def _build(cls, frozen: bool, slots: bool, eq: bool):
    names = tuple(cls.__dict__.get("__annotations__", {}))
    defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
    seen_default = None
    for n in names:
        if n in defaults:
            seen_default = n
        elif seen_default:
            raise TypeError(f"{cls.__name__}: field {n!r} without a default follows {seen_default!r}")
    if slots:
        ns = {k: v for k, v in cls.__dict__.items() if k not in defaults and k not in ("__dict__", "__weakref__")}
        ns["__slots__"] = names
        cls = type(cls)(cls.__name__, cls.__bases__, ns)
    else:
        for n, d in defaults.items():
            if type(d) is _Factory:
                delattr(cls, n)
    cls.__record_fields__ = names
    cls.__init__ = _init(cls, names, defaults, frozen, cls.__dict__.get("__post_init__"))
    cls.__repr__ = _repr
    if eq:
        cls.__eq__ = _eq
        cls.__hash__ = _hash if frozen else None
    if frozen:
        cls.__setattr__ = _frozen
        cls.__delattr__ = _frozen
    return cls


BULK = 200  # instances after which a class gets an __init__ compiled for its fields


def _init(cls, names: tuple[str, ...], defaults: dict, frozen: bool, post_init):
    """The generic __init__: binds arguments by walking the field names (~0.6 µs an instance). A class that makes
    BULK instances (a cell, a finding) is given an __init__ written for its fields instead (~0.2 µs, what
    dataclasses write for every class at import, at ~40 µs a class): the rare classes never pay to compile."""
    n = len(names)
    made = 0

    def __init__(self, *args, **kwargs):
        nonlocal made
        made += 1
        if made == BULK and cls.__init__ is __init__:
            cls.__init__ = _compiled_init(cls, names, defaults, frozen, post_init)
        if kwargs or len(args) != n:
            args = _bind(cls, names, defaults, args, kwargs)
        for name, value in zip(names, args):
            object.__setattr__(self, name, value)
        if post_init is not None:
            post_init(self)

    return __init__


def _bind(cls, names: tuple[str, ...], defaults: dict, args: tuple, kwargs: dict) -> tuple:
    """Every field's value, from the arguments, the defaults and the factories, with dataclasses' errors."""
    n = len(names)
    if len(args) > n:
        raise TypeError(f"{cls.__name__}() takes {n} positional arguments but {len(args)} were given")
    values = list(args)
    for name in names[len(args):]:
        value = kwargs.pop(name, _MISSING)
        if value is _MISSING:
            value = defaults.get(name, _MISSING)
            if value is _MISSING:
                raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
            if type(value) is _Factory:
                value = value.make()
        values.append(value)
    if kwargs:
        name = next(iter(kwargs))
        how = "multiple values for argument" if name in names else "an unexpected keyword argument"
        raise TypeError(f"{cls.__name__}() got {how} {name!r}")
    return tuple(values)


def _compiled_init(cls, names: tuple[str, ...], defaults: dict, frozen: bool, post_init):
    """An __init__ written for the class's fields (field names are identifiers of our own classes, never input)."""
    env = {"_set": object.__setattr__, "_post": post_init, "_MISSING": _MISSING}
    params, body = ["self"], []
    for k, name in enumerate(names):
        if name not in defaults:
            params.append(name)
        elif type(defaults[name]) is _Factory:
            env[f"_f{k}"] = defaults[name].make
            params.append(f"{name}=_MISSING")
            body.append(f"    if {name} is _MISSING: {name} = _f{k}()")
        else:
            env[f"_d{k}"] = defaults[name]
            params.append(f"{name}=_d{k}")
    body += [f"    _set(self, {name!r}, {name})" if frozen else f"    self.{name} = {name}" for name in names]
    if post_init is not None:
        body.append("    _post(self)")
    exec(f"def __init__({', '.join(params)}):\n" + "\n".join(body or ["    pass"]), env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _values(obj) -> tuple:
    return tuple(getattr(obj, name) for name in obj.__record_fields__)


def _repr(self) -> str:
    inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__)
    return f"{type(self).__qualname__}({inner})"


def _eq(self, other):
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self) -> int:
    return hash(_values(self))


def _frozen(self, name, *value):
    raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")
