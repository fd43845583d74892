"""The exercises as the notebooks store them: a stub whose checker says NOT YET, hints before a
collapsed solution that passes the same checker, and solutions that never rebind the learner's
names."""

import json
import re
from pathlib import Path

import pytest

from rnnlib import exercises as ex

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("0[1-5]_*.ipynb"))


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
    assert len(NOTEBOOKS) == 5 and all(counts), counts
    assert sum(counts) >= 8
    assert sorted(name for p in NOTEBOOKS for name, _, _ in exercises_in(p)) == sorted(ex.EXERCISES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_each_exercise_stores_not_yet_then_hints_then_a_collapsed_passing_solution(path):
    all_cells = cells(path)
    for name, check, solution in exercises_in(path):
        stub = all_cells[check - 1]
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
def test_cells_that_use_the_pieces_say_whose_they_are(path):
    users = [c for c in cells(path) if "my.use(" in text(c)]
    assert users
    for cell in users:
        assert re.search(r"using rnnlib's \w+: yours is not (done yet|saved)", output(cell))


@pytest.mark.parametrize("path", NOTEBOOKS[:4], ids=lambda p: p.name[:2])
def test_notebooks_01_to_04_end_by_saving_the_learners_functions(path):
    last = cells(path)[-1]
    assert text(last) == "my.save()"
    assert "not saved, yours is not done yet" in output(last)
