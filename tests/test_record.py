"""core.record behaves as the dataclasses it replaces (issue 16): the same construction, defaults, factories,
equality, hashing, immutability, repr and pickling, checked side by side with a dataclass of the same fields."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from selfeval_xl.core.model import Cell, FormMatch, ProjectTable
from selfeval_xl.core import record as record_module
from selfeval_xl.core.record import field, fields, is_record, record, replace
from selfeval_xl.rules.finding import Finding
from selfeval_xl.rules.severity import Severity
from selfeval_xl.core.address import CellAddress


class _Body:
    """The same declaration, made a record and a dataclass below."""

    a: int
    b: str = "x"
    c: list = None  # replaced by a factory in both

    def total(self) -> int:
        return self.a * 2


def _declare(deco, fld, **kw):
    ns = {"__annotations__": dict(_Body.__annotations__), "b": "x", "c": fld(default_factory=list),
          "total": _Body.total, "__module__": __name__, "__qualname__": "R"}
    return deco(**kw)(type("R", (), ns))


@pytest.mark.parametrize("warm", [False, True], ids=["generic init", "compiled init"])
@pytest.mark.parametrize("kw", [{}, {"frozen": True}, {"slots": True}, {"frozen": True, "slots": True}])
def test_record_behaves_as_dataclass(kw, warm):
    R = _declare(record, field, **kw)
    D = _declare(dataclasses.dataclass, dataclasses.field, **kw)
    generic = R.__init__
    if warm:  # a class made in bulk gets an __init__ written for its fields: the same behaviour
        for _ in range(record_module.BULK):
            R(0)
        assert R.__init__ is not generic and R.__init__.__qualname__ == "R.__init__"
    else:
        assert R.__init__ is generic
    for args, kwargs in [((1,), {}), ((1, "y"), {}), ((), {"a": 2, "c": [3]}), ((4,), {"b": "z"})]:
        r, d = R(*args, **kwargs), D(*args, **kwargs)
        assert (r.a, r.b, r.c) == (d.a, d.b, d.c)
        assert repr(r) == repr(d)
        assert r == R(*args, **kwargs) and r != R(99) and (r == d) is False
        assert r.total() == d.total()
    assert R(1).c is not R(1).c  # a fresh list each time
    assert fields(R) == ("a", "b", "c") == tuple(f.name for f in dataclasses.fields(D))
    for bad_args, bad_kwargs in [((), {}), ((1, "y", [], 4), {}), ((1,), {"d": 1}), ((1,), {"a": 1})]:
        with pytest.raises(TypeError):
            D(*bad_args, **bad_kwargs)
        with pytest.raises(TypeError):
            R(*bad_args, **bad_kwargs)
    if kw.get("frozen"):
        assert hash(R(1, "y", ())) == hash(R(1, "y", ()))
        with pytest.raises(AttributeError):
            R(1).a = 2
    else:
        with pytest.raises(TypeError):
            hash(R(1))
        r = R(1)
        r.a = 5
        assert r.a == 5
    if kw.get("slots"):
        assert not hasattr(R(1), "__dict__")
        with pytest.raises(AttributeError):
            R(1).other = 1


def test_order_of_defaults_is_checked():
    with pytest.raises(TypeError, match="without a default"):
        record(type("Bad", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1}))


@pytest.mark.parametrize("warm", [False, True], ids=["generic init", "compiled init"])
def test_post_init_replace_and_eq_false(warm):
    addr = CellAddress("表", 2, 3)
    if warm:
        for _ in range(record_module.BULK):
            Finding(Severity.ERROR, "R1", addr, "m")
    f = Finding(Severity.ERROR, "R1", addr, "m")
    assert replace(f, message="n") == Finding(Severity.ERROR, "R1", addr, "n")
    with pytest.raises(ValueError):  # __post_init__ runs on construction, and again on replace
        replace(f, cell=CellAddress("", 1, 1))
    Ident = record(eq=False)(type("Ident", (), {"__annotations__": {"a": "int"}}))
    assert Ident(1) != Ident(1) and hash(Ident(1)) is not None
    assert is_record(f) and not is_record(Finding) and not is_record(addr)


def test_model_records_pickle():
    """Batch workers send results between processes."""
    p = ProjectTable("表", {"单位": "甲"}, [], [])
    for obj in (Cell(CellAddress("表", 1, 1), None, 3, "=A1", 2), FormMatch("budget5", "表5", "表", 3), p):
        back = pickle.loads(pickle.dumps(obj))
        assert type(back) is type(obj) and repr(back) == repr(obj)
    assert pickle.loads(pickle.dumps(p)).declared == [] and p.declared is not ProjectTable("表", {}, [], []).declared

