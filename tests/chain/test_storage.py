"""The storage shapes and the journal: defaults, nesting, rollback of every kind of write.

Run alone: .venv/bin/pytest tests/chain/test_storage.py -q
"""

from __future__ import annotations

from taonet.chain.storage import Journal, StorageDoubleMap, StorageMap, StorageValue


def test_value_query_default_is_not_stored() -> None:
    j = Journal()
    m: StorageMap[int, int] = StorageMap("P", "M", 7, j)
    assert m.get(1) == 7
    m.set(1, 3)
    assert m.data == {1: 3}
    m.set(1, 7)  # writing the default removes the key: canonical content
    assert m.data == {}


def test_option_query_keeps_every_written_value() -> None:
    j = Journal()
    m: StorageMap[int, int] = StorageMap("P", "M", None, j)
    assert m.get(1) is None and not m.contains(1)
    m.set(1, 0)
    assert m.contains(1) and m.get(1) == 0


def test_rollback_restores_values_maps_and_double_maps() -> None:
    j = Journal()
    v: StorageValue[int] = StorageValue("P", "V", 0, j)
    m: StorageMap[str, int] = StorageMap("P", "M", 0, j)
    d: StorageDoubleMap[str, str, int] = StorageDoubleMap("P", "D", 0, j)
    v.set(1)
    m.set("a", 1)
    d.set("x", "y", 1)
    j.begin()
    v.set(2)
    m.set("a", 2)
    m.set("b", 5)
    m.remove("a")
    d.set("x", "y", 9)
    d.set("x", "z", 3)
    d.remove_prefix("x")
    d.set("w", "q", 4)
    j.rollback()
    assert v.get() == 1
    assert m.data == {"a": 1}
    assert d.data == {"x": {"y": 1}}
    assert j.log == [] and j.marks == []


def test_nested_transactions_commit_into_the_outer_one() -> None:
    j = Journal()
    m: StorageMap[str, int] = StorageMap("P", "M", 0, j)
    j.begin()
    m.set("a", 1)
    j.begin()
    m.set("b", 2)
    j.commit()  # inner kept, but still undoable by the outer
    j.begin()
    m.set("c", 3)
    j.rollback()  # only the innermost undone
    assert m.data == {"a": 1, "b": 2}
    j.rollback()
    assert m.data == {}


def test_no_journal_entries_outside_a_transaction() -> None:
    j = Journal()
    m: StorageMap[str, int] = StorageMap("P", "M", 0, j)
    for i in range(100):
        m.set(str(i), i + 1)
    assert j.log == []


def test_double_map_prefix_iteration_and_removal() -> None:
    j = Journal()
    d: StorageDoubleMap[int, int, int] = StorageDoubleMap("P", "D", 0, j)
    d.set(1, 1, 10)
    d.set(1, 2, 20)
    d.set(2, 1, 30)
    assert dict(d.iter_prefix(1)) == {1: 10, 2: 20}
    assert len(d) == 3
    d.set(1, 1, 0)  # default: removed
    d.remove(1, 2)
    assert not d.contains_prefix(1)
    assert list(d.iter()) == [(2, 1, 30)]


def test_map_root_changes_with_content_and_is_order_independent() -> None:
    j = Journal()
    a: StorageMap[int, int] = StorageMap("P", "M", 0, j)
    b: StorageMap[int, int] = StorageMap("P", "M", 0, j)
    for k in range(10):
        a.set(k, k + 1)
    for k in reversed(range(10)):
        b.set(k, k + 1)
    assert a.root() == b.root()
    a.set(3, 99)
    assert a.root() != b.root()
    a.set(3, 4)
    assert a.root() == b.root()
