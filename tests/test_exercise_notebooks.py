"""The exercises as the notebooks store them: a stub whose checker says NOT YET, hints collapsed
and graded from a nudge to the answer before a collapsed solution that passes the same checker,
verdicts that say whose function they judged, solutions that never rebind the learner's names,
and checker and solution cells locked against accidental edits (nbgrader's metadata)."""

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
        assert output(all_cells[check]).startswith(f"your {name} — NOT YET: ")
        between = "".join(text(c) for c in all_cells[check + 1 : solution])
        assert "**Stuck?**" in between, name
        assert f"`{name}_solution`" in between and "collapsed" in between
        cell = all_cells[solution]
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True
        # after Run All, the learner tells the reference solution's PASS from their own verdict
        assert output(cell).startswith("reference solution — PASS: "), output(cell)
        assert re.search(rf'check_\w+\({name}_solution, who="reference solution"\)', text(cell))


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_hints_are_collapsed_and_graded_from_a_nudge_to_the_answer(path):
    all_cells = cells(path)
    for name, check, solution in exercises_in(path):
        hint = next(text(c) for c in all_cells[check + 1: solution] if "**Stuck?**" in text(c))
        before, _, inside = hint.partition("<details>")
        # nothing but the lead is open: every hint sits in a <details> block, which JupyterLab
        # renders collapsed, and each opens inside the one before (nudge, how, answer)
        assert "`" not in before and "$" not in before, before
        opens = [m.start() for m in re.finditer(r"<details>", hint)]
        closes = [m.start() for m in re.finditer(r"</details>", hint)]
        assert len(opens) == len(closes) >= 3 and max(opens) < min(closes), name
        summaries = re.findall(r"<summary>(.*?)</summary>", hint)
        assert summaries[0].startswith("Hint 1") and summaries[-1].endswith("the answer"), summaries
        # markdown inside an HTML block renders only after a blank line
        assert all(hint[m.end():].startswith("\n\n") for m in re.finditer(r"</summary>", hint))
