"""The inputs of a batch: a lazy, deterministic walk that yields each file once."""

from __future__ import annotations

import inspect
from pathlib import Path

from auditor.inputs import iter_inputs


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(path.name, "utf-8")
    return path


def test_the_walk_is_lazy(tmp_path: Path) -> None:
    touch(tmp_path / "a" / "1.txt")
    touch(tmp_path / "b" / "2.txt")
    (tmp_path / "c").mkdir()
    walk = iter_inputs([str(tmp_path)])
    assert inspect.isgenerator(walk)
    assert next(walk) == tmp_path / "a" / "1.txt"
    # a folder is listed when the walk reaches it: files added to folders not reached yet
    # are found, a file added to a folder listed already is not
    touch(tmp_path / "b" / "3.txt")
    touch(tmp_path / "c" / "4.txt")
    touch(tmp_path / "d.txt")
    assert [p.relative_to(tmp_path).as_posix() for p in walk] == ["b/2.txt", "b/3.txt", "c/4.txt"]


def test_the_order_is_that_of_sorted_paths_whatever_the_creation_order(tmp_path: Path) -> None:
    names = ["z.txt", "a.txt", "a-b.txt", "a/z.txt", "a/b/c.txt", "B.txt", "中文/报告.txt", "0.pdf"]
    for name in reversed(names):
        touch(tmp_path / name)
    for skipped in [".hidden.txt", ".git/x.txt", "README.md", "a/readme.txt", "a/.b/y.txt"]:
        touch(tmp_path / skipped)
    found = list(iter_inputs([str(tmp_path)]))
    assert found == sorted(tmp_path / n for n in names)
    assert list(iter_inputs([str(tmp_path)])) == found


def test_a_file_named_twice_or_inside_a_walked_folder_is_yielded_once(tmp_path: Path) -> None:
    one, two = touch(tmp_path / "d" / "1.txt"), touch(tmp_path / "d" / "sub" / "2.txt")
    readme = touch(tmp_path / "d" / "README.md")
    missing = tmp_path / "missing.txt"
    args = [one, tmp_path / "d", tmp_path / "d" / "sub", two, readme, missing, missing]
    found = list(iter_inputs([str(a) for a in args] + [str(tmp_path / "d" / "**" / "*.txt")]))
    # an explicit README is kept, a missing file is kept (it gets an unreadable status)
    assert found == [one, two, readme, missing]
    # a sub-folder named first is not walked again inside its parent
    assert list(iter_inputs([str(tmp_path / "d" / "sub"), str(tmp_path / "d")])) == [two, one]


def test_glob_matches_are_sorted_files(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "c.docx", "x/d.txt"]:
        touch(tmp_path / name)
    assert list(iter_inputs([str(tmp_path / "*.txt")])) == [tmp_path / "a.txt", tmp_path / "b.txt"]
