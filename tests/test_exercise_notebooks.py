"""The exercises as the notebooks store them: a stub whose checker says NOT YET, hints before a
collapsed solution that passes the same checker, solutions that never rebind the learner's
names, and checker and solution cells locked against accidental edits (nbgrader's metadata)."""

import json
import re
from pathlib import Path

import pytest

from rnnlib import exercises as ex

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("0[1-589]_*.ipynb"))
CHAIN = NOTEBOOKS[:5]  # 01-05 build one RNN piece by piece; 08 has the GRU step


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text(cell):
    return "".join(cell["source"])


def output(cell):
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))


def exercises_in(path):
    """(piece name, index of its check cell, index of its solution cell) in notebook order."""
    found = []
    all_cells = cells(path)
    for i, cell in enumerate(all_cells):
        match = re.fullmatch(r'my\.check\("(\w+)", (\w+)\)', text(cell).strip())
        if match:
            name = match.group(1)
            solution = next(j for j in range(i, len(all_cells))
                            if f"def {name}_solution(" in text(all_cells[j]))
            found.append((name, i, solution))
    return found


def test_there_are_at_least_eight_exercises_and_one_in_each_notebook():
    counts = [len(exercises_in(p)) for p in NOTEBOOKS]
    assert len(NOTEBOOKS) == 7 and all(counts), counts
    assert sum(counts) >= 8
    assert sorted(name for p in NOTEBOOKS for name, _, _ in exercises_in(p)) == sorted(ex.EXERCISES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_each_exercise_stores_not_yet_then_hints_then_a_collapsed_passing_solution(path):
    all_cells = cells(path)
    for name, check, solution in exercises_in(path):
        stub = next(c for c in reversed(all_cells[:check]) if f"def {name}(" in text(c))
        assert re.search(rf"def {name}\(", text(stub)) and "return None" in text(stub)
        assert output(all_cells[check]).startswith("NOT YET: ")
        between = "".join(text(c) for c in all_cells[check + 1 : solution])
        assert "**Stuck?**" in between, name
        assert f"`{name}_solution`" in between and "collapsed" in between
        cell = all_cells[solution]
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True
        assert output(cell).startswith("PASS: "), output(cell)
        assert re.search(rf"check_\w+\({name}_solution\)", text(cell))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_solutions_never_rebind_a_name_the_learner_writes(path):
    for cell in cells(path):
        if cell["metadata"].get("jupyter", {}).get("source_hidden"):
            for name in ex.EXERCISES:
                assert not re.search(rf"^(def {name}\(|{name}\s*=)", text(cell), re.MULTILINE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_checker_and_solution_cells_are_locked_as_nbgrader_locks_them(path):
    all_cells = cells(path)
    for _, check, solution in exercises_in(path):
        for cell in (all_cells[check], all_cells[solution]):
            assert cell["metadata"].get("editable") is False, text(cell)
            assert cell["metadata"].get("deletable") is False, text(cell)
    stubs = [c for name, check, _ in exercises_in(path)
             for c in all_cells[:check] if f"def {name}(" in text(c)]
    assert all("editable" not in c["metadata"] for c in stubs)  # the learner's own cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_the_workbook_is_made_before_the_first_check_and_saved_after_the_last(path):
    sources = [text(c) for c in cells(path)]
    made = next(i for i, s in enumerate(sources) if re.search(r"my = ex\.workbook\(\d\)", s))
    checks = [i for _, i, _ in exercises_in(path)]
    assert made < min(checks)
    if not path.name.startswith("05"):  # 05, the chain's last, has nothing to pass on
        assert max(i for i, s in enumerate(sources) if s.startswith("my.save()")) > max(checks)
    assert f"ex.workbook({int(path.name[:2])})" in sources[made]


@pytest.mark.parametrize("path", CHAIN, ids=lambda p: p.name[:2])
def test_cells_that_use_the_pieces_say_whose_they_are(path):
    users = [c for c in cells(path) if "my.use(" in text(c)]
    assert users
    for cell in users:
        assert re.search(r"using rnnlib's \w+: yours is not (done yet|saved)", output(cell))


@pytest.mark.parametrize("path", CHAIN[:4], ids=lambda p: p.name[:2])
def test_notebooks_01_to_04_end_by_saving_the_learners_functions(path):
    last = cells(path)[-1]
    assert text(last) == "my.save()"
    assert "not saved, yours is not done yet" in output(last)
