"""The course's sliders, used the way a learner uses them: JupyterLab in headless Chromium.

nbval runs the notebooks in a kernel without a front end, so it never sees a slider move. Here a
real JupyterLab serves a temporary copy of notebooks/ and Debian's Chromium, driven by Playwright,
opens every notebook that calls a *_widget() of rnnlib.views, runs its slider
cells and the cells they need (for_the_browser: the first code cell, which imports, and every
earlier cell that defines a name a slider cell uses; nbval checks the others), moves the sliders
(keyboard on the handle, a value typed into the readout, or a click on a button) and checks that
the printed text is exactly what the widget's text function computes for the new values, that the
plot changes, and that no cell and no page shows an error. The notebooks are open side by side in
one JupyterLab and run at the same time, in a thread (BrowserRun): under `pytest --nbval` it
starts as the tests begin to run, beside the unit tests and notebooks (tests/conftest.py), and run
alone its first test starts it; each test waits for its notebook's outcome. Nothing starts at
collection.

Run alone: pytest tests/test_browser.py (or pytest -m browser); `pytest --nbval` runs it too.

Needs Debian's `chromium` (or RNNLIB_CHROMIUM=/path/to/chromium) and the `playwright` package;
never `playwright install`. Without them the test is skipped, except under CI (CI=true), where
that is a failure. A failure prints the path of a screenshot of the page.

Refresh the README's screenshot, notebooks/images/explorer.png (the explorer of notebook 05 as it
opens, before the test moves its sliders):
    RNNLIB_SAVE_SCREENSHOT=1 pytest tests/test_browser.py
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM_ARGS,
    Buttons,
    JupyterLab,
    NotebookPage,
    Slider,
    WidgetOutput,
    find_chromium,
    normalise,
    start_notebooks,
    under_ci,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
README_SCREENSHOT = NOTEBOOKS / "images" / "explorer.png"
README_WIDGET = "explorer_widget"  # the widget the README shows


@dataclass(frozen=True)
class Move:
    """One thing a learner does to a widget: press keys on a slider's handle, type into its
    readout, or click a button (`clicked`: the button's text, the control's new value)."""

    slider: str
    keys: tuple[str, ...] = ()
    typed: str | None = None
    clicked: str | None = None


@dataclass(frozen=True)
class WidgetSpec:
    """What a *_widget() prints, and how its controls are moved.

    text: "module.function", the function whose result the widget's output prints;
    params: control label -> (keyword of `text`, type of its value); a control of type str is a
    row of toggle buttons, the others are sliders;
    moves: what the test does, in order, each followed by a check of the output.
    Integer sliders move by keyboard (exact values); log sliders take typed values, since a
    keyboard step lands on 10**x computed in JavaScript, which the test could not reproduce exactly.
    """

    text: str
    params: dict[str, tuple[str, type]]
    moves: tuple[Move, ...]


WIDGETS = {
    "truncation_widget": WidgetSpec(
        text="rnnlib.views.truncation.truncation_text",
        params={"truncation k": ("truncation", int)},
        moves=(Move("truncation k", keys=("ArrowRight",)),),
    ),
    "learning_rate_widget": WidgetSpec(
        text="rnnlib.views.learning_rate.learning_rate_text",
        params={
            "learning rate": ("learning_rate", float),
            "clip threshold": ("clip_threshold", float),
        },
        moves=(Move("learning rate", typed="0.3"), Move("clip threshold", typed="0.1")),
    ),
    "explorer_widget": WidgetSpec(
        text="rnnlib.views.explorer.explorer_text",
        params={"truncation k": ("truncation", int), "learning rate": ("learning_rate", float)},
        moves=(
            Move("truncation k", keys=("ArrowRight",)),
            Move("learning rate", typed="0.3"),
        ),
    ),
    "reach_widget": WidgetSpec(
        text="rnnlib.views.reach.reach_text",
        params={"distance d": ("d", int), "cell": ("cell", str)},
        moves=(Move("distance d", keys=("ArrowRight",)), Move("cell", clicked="gru")),
    ),
    "sampling_widget": WidgetSpec(
        text="test_browser.sampling_text_of_09",
        params={"temperature": ("temperature", float)},
        moves=(Move("temperature", keys=("ArrowRight",)), Move("temperature", keys=("ArrowLeft",) * 5)),
    ),
}


@functools.lru_cache(maxsize=1)
def _gru_of_09():
    """Notebook 09's GRU of seed 0, trained as its cells train it (on one machine, the same
    digits as the kernel's): the model behind its temperature slider."""
    import numpy as np

    import rnnlib
    from rnnlib import text
    from rnnlib.sequence import next_step_streams

    alphabet = text.english_grammar().alphabet
    V = len(alphabet)
    train = text.encode(text.text_splits(np.random.default_rng(0), 20_000, 5_000, 5_000).train,
                        alphabet)
    X, Y = next_step_streams(train, V, 40)
    params = rnnlib.init_gru(V, 32, V, np.random.default_rng(0))
    return rnnlib.train(params, X, Y, learning_rate=0.025, epochs=10, truncation=25,
                        carry_state=True, loss="cross_entropy", optimizer="adam").params, alphabet


def sampling_text_of_09(temperature: float) -> str:
    """What notebook 09's slider prints at `temperature` with the default prompt."""
    from rnnlib.settings import PROMPT_DEFAULT
    from rnnlib.views.sampling import sample_text

    params, alphabet = _gru_of_09()
    return sample_text(params, alphabet, PROMPT_DEFAULT, round(temperature, 1))

WIDGET_CALL = re.compile(r"\b(\w+_widget)\(")

# seconds; generous, because the rest of the suite shares this 2-core machine meanwhile
RUN_ALL_TIMEOUT = 180
OUTPUT_TIMEOUT = 90
SESSION_TIMEOUT = 900  # for the whole background run


def _names(source: str) -> tuple[set[str], set[str]]:
    """(global names a cell's code binds, names it reads but does not bind itself).

    Names bound inside functions and comprehensions are local to them, not the cell's; IPython's
    %magic and !shell lines are left out."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    tree = ast.parse(code)
    used = {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    defined: set[str] = set()
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
              ast.SetComp, ast.DictComp, ast.GeneratorExp)
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            defined.add(node.id)
        if not isinstance(node, scopes):
            pending.extend(ast.iter_child_nodes(node))
    local = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)
             and not isinstance(node.ctx, ast.Load)} - defined  # bound in a function or comprehension
    return defined, used - defined - local


def for_the_browser(notebook: dict) -> dict:
    """The notebook as the browser test opens it, without stored outputs: its first code cell
    (imports and set-up), its slider cells, and every earlier cell that defines a name that a kept
    cell reads (followed back to the first cell). The other cells are nbval's to check; leaving
    them out keeps the kernels' work here to what the sliders need."""
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    names = [_names("".join(c["source"])) for c in code]
    keep = {0} | {i for i, c in enumerate(code) if WIDGET_CALL.search("".join(c["source"]))}
    for i in sorted(keep, reverse=True)[:-1]:  # from the last kept cell back; 0 needs nothing
        wanted = set(names[i][1])
        for j in range(i - 1, 0, -1):
            if names[j][0] & wanted:
                keep.add(j)
                wanted |= names[j][1]
    kept = [c for i, c in enumerate(code) if i in keep]
    for cell in kept:
        cell["outputs"] = []
        cell["execution_count"] = None
    notebook["cells"] = kept
    notebook["metadata"].pop("widgets", None)
    return notebook


def widget_cells(path: Path) -> list[tuple[int, str]]:
    """(index among the code cells of for_the_browser's copy, widget function) for each
    *_widget() call in a notebook."""
    notebook = for_the_browser(json.loads(path.read_text(encoding="utf-8")))
    found = []
    for index, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"])
        found += [(index, name) for name in WIDGET_CALL.findall(source)]
    return found


def slider_notebooks() -> dict[str, list[tuple[int, str]]]:
    found = {path.name: widget_cells(path) for path in sorted(NOTEBOOKS.glob("*.ipynb"))}
    return {name: cells for name, cells in found.items() if cells}


SLIDER_NOTEBOOKS = slider_notebooks()


def test_every_slider_notebook_is_covered():
    """Each *_widget() that a notebook calls is known here, and each known one is called."""
    called = {name for cells in SLIDER_NOTEBOOKS.values() for _, name in cells}
    unknown = called - WIDGETS.keys()
    assert not unknown, f"add these widgets to WIDGETS in {Path(__file__).name}: {sorted(unknown)}"
    unused = WIDGETS.keys() - called
    assert not unused, f"no notebook calls {sorted(unused)}; the browser test would not see them"


def test_the_browser_copy_keeps_what_the_slider_cells_need():
    """for_the_browser keeps the first cell, the slider cells and the cells whose names they read
    (and those cells' own needs); names bound only inside functions or loops of a comprehension
    do not pull a cell in."""
    sources = [
        "%matplotlib inline\nimport numpy as np",
        "data = np.arange(3)",  # needed by `trained`
        "unrelated = data * 2\nprint(unrelated)",
        "def fit(x):\n    local = x + 1\n    return local\ntrained = fit(data)",
        "local = 5",  # binds a name the slider cell reads only inside a comprehension
        "print(trained)",
        "w = [local for local in trained]\nexplorer.truncation_widget()",
    ]
    notebook = {"metadata": {"widgets": {}}, "cells": [
        {"cell_type": "code", "source": s, "outputs": ["old"], "execution_count": 1, "id": str(i)}
        for i, s in enumerate(sources)]}
    kept = for_the_browser(notebook)
    assert [c["id"] for c in kept["cells"]] == ["0", "1", "3", "6"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in kept["cells"])
    assert "widgets" not in kept["metadata"]


# --------------------------------------------------------------------------------------------
# one JupyterLab and one Chromium for every notebook, in a thread of their own


def write_for_the_browser(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(for_the_browser(notebook)), encoding="utf-8")


def start_kernels(server: JupyterLab) -> list[str]:
    """Start each notebook's kernel ahead; a failure only costs time: JupyterLab starts it then."""
    problems = []
    for name in SLIDER_NOTEBOOKS:
        try:
            server.start_kernel(name)
        except (OSError, ValueError) as error:  # urllib's errors are OSErrors
            problems.append(f"{name}: {error}")
    return problems


def browser_problem() -> str | None:
    """Why the browser test cannot run here (None: it can)."""
    if sys.platform != "linux":
        # the server and browser process handling (browser_helpers) uses Linux's prctl and
        # process groups; CI's Linux job runs this test
        return f"the browser test runs on Linux only; this is {sys.platform}"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed; pip install -r requirements.txt"
    chromium, why_not = find_chromium()
    return None if chromium else why_not


def require_browser() -> None:
    """A skip, or under CI on Linux a failure, where the browser test cannot run."""
    problem = browser_problem()
    if problem is not None:
        if under_ci() and sys.platform == "linux":
            pytest.fail(f"CI=true and the browser test cannot run: {problem}")
        pytest.skip(problem)


@dataclass
class Outcome:
    """What the background run found for one notebook: its log, the error it met (None: every
    check passed), and the README screenshot it took, if any."""

    lines: list[str] = field(default_factory=list)
    error: BaseException | None = None
    readme_shot: Path | None = None


class BrowserRun:
    """JupyterLab and Chromium, driven in a thread started by the first browser test that runs
    (start()); each test waits for its notebook's outcome.

    The thread launches JupyterLab and the kernels, opens every slider notebook
    (the first with the page, the others from the file browser; their cells run side by side),
    then checks the notebooks one by one, and ends the browser and the server."""

    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="rnnlib-browser-"))
        self.outcomes = {name: Outcome() for name in SLIDER_NOTEBOOKS}
        self.done = {name: threading.Event() for name in SLIDER_NOTEBOOKS}
        self.timings: dict[str, float] = {}
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.server = prepare(self.base)
        self.server.launch()
        self.thread = threading.Thread(target=self._run, name="browser test", daemon=True)
        self.thread.start()

    def result(self, name: str, timeout: float = SESSION_TIMEOUT) -> Outcome:
        if not self.done[name].wait(timeout):
            raise AssertionError(f"the browser run gave no outcome for {name} in {timeout:.0f} s")
        return self.outcomes[name]

    def _run(self) -> None:
        start = time.monotonic()
        try:
            from playwright.sync_api import sync_playwright

            with contextlib.ExitStack() as stack:
                stack.callback(self._stop_server)
                self.server.wait_until_up()
                self.timings["server up"] = time.monotonic() - start
                kernels = start_kernels(self.server)
                playwright = stack.enter_context(sync_playwright())
                browser = playwright.chromium.launch(
                    executable_path=find_chromium()[0], headless=True, args=CHROMIUM_ARGS
                )
                stack.callback(browser.close)
                self.page = browser.new_page(viewport={"width": 1280, "height": 1000})
                self.page.set_default_timeout(60_000)
                self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
                self.page.on("console", lambda message: message.type == "error"
                             and self.console_errors.append(message.text))
                notebooks = self._open_all(start, kernels)
                for name, notebook in notebooks.items():
                    self._check(name, notebook)
                    self.done[name].set()
        except BaseException as error:  # the set-up failed: every notebook not yet done has it
            shot = self._screenshot(self.base / "failure-setup.png")
            for name, outcome in self.outcomes.items():
                if not self.done[name].is_set():
                    outcome.error = error
                    outcome.lines += [f"browser test set-up failed; screenshot: {shot}",
                                      f"server log:\n{self.server.log_tail()}"]
        finally:
            for event in self.done.values():
                event.set()

    def _open_all(self, start: float, kernels: list[str]) -> dict[str, NotebookPage]:
        for problem in kernels:
            print(f"starting a kernel ahead failed (JupyterLab starts it instead): {problem}")
        first, *others = SLIDER_NOTEBOOKS
        self.page.goto(self.server.notebook_url(first))
        notebooks = {first: NotebookPage(self.page, self.server, first)}
        self.timings["JupyterLab loaded"] = time.monotonic() - start
        for name in others:
            notebooks[name] = NotebookPage.open_from_file_browser(self.page, self.server, name)
        start_notebooks(list(notebooks.values()))
        for name, notebook in notebooks.items():
            self.timings[f"{name} running"] = notebook.run_all_at - start
        return notebooks

    def _check(self, name: str, notebook: NotebookPage) -> None:
        """Run all cells, move each slider, and check text and plot against the text function."""
        outcome = self.outcomes[name]
        start = time.monotonic()

        def log(message):
            outcome.lines.append(f"{time.monotonic() - start:6.1f} s {message}")

        try:
            notebook.activate()
            notebook.wait_until_all_ran(RUN_ALL_TIMEOUT)
            log("all cells ran")
            errors = notebook.error_outputs()
            assert not errors, f"error output in {name}:\n" + "\n".join(errors)
            for cell_index, widget in SLIDER_NOTEBOOKS[name]:
                log(f"{widget}() in code cell {cell_index}")
                cell = notebook.panel.locator(".jp-CodeCell").nth(cell_index)

                def at_start(cell=cell, widget=widget):
                    # the README shows the explorer as a learner first sees it
                    if widget == README_WIDGET:
                        outcome.readme_shot = screenshot_for_readme(
                            self.page, cell, self.base / "explorer.png")
                        log(f"screenshot of the starting state: {outcome.readme_shot}")

                check_widget(notebook, cell_index, WIDGETS[widget], log, at_start)
            errors = notebook.error_outputs()
            assert not errors, f"error output in {name} after moving sliders:\n" + "\n".join(errors)
            assert not self.page_errors, "errors in the page:\n" + "\n".join(self.page_errors)
        except BaseException as error:
            outcome.error = error
            shot = self._screenshot(self.base / f"failure-{Path(name).stem}.png")
            outcome.lines += [f"{name}: failed; screenshot: {shot}", *notebook.events,
                              f"console errors: {self.console_errors[-10:]}",
                              f"server log (end):\n{self.server.log_tail(15)}"]
        finally:
            self.server.record_children()
        timings = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
        outcome.lines[:0] = [f"{name} (set-up: {timings})", *notebook.events]

    def _screenshot(self, path: Path) -> Path:
        with contextlib.suppress(Exception):
            self.page.screenshot(path=str(path), timeout=10_000)
        return path

    def _stop_server(self) -> None:
        self.server.stop()


_RUN: list[BrowserRun] = []


def start() -> None:
    """Start the background run (once per session; nothing where the test cannot run)."""
    if not _RUN and SLIDER_NOTEBOOKS and browser_problem() is None:
        _RUN.append(BrowserRun())


def stop() -> None:
    """At the end of the session: end the browser and the server if the run is still going."""
    for run in _RUN:
        run.server.stop()


def prepare(base: Path) -> JupyterLab:
    """A JupyterLab (not yet launched) serving a copy of notebooks/ in `base`, with the slider
    notebooks as for_the_browser makes them."""
    folder = base / "notebooks"
    shutil.copytree(
        NOTEBOOKS, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    for name in SLIDER_NOTEBOOKS:
        write_for_the_browser(folder / name)
    return JupyterLab(root=folder, state=base / "state")


def expected_text(spec: WidgetSpec, values: dict[str, object]) -> str:
    module, function = spec.text.rsplit(".", 1)
    text = getattr(importlib.import_module(module), function)
    return text(**{spec.params[label][0]: value for label, value in values.items()})


def check_widget(notebook: NotebookPage, cell_index: int, spec: WidgetSpec, log,
                 at_start=lambda: None) -> None:
    """Check the widget's output at its starting values (then call at_start()), and after each of
    spec's moves."""
    cell = notebook.panel.locator(".jp-CodeCell").nth(cell_index)
    interact = cell.locator(".widget-interact:not(.jupyter-widgets-disconnected)").first
    interact.wait_for(timeout=OUTPUT_TIMEOUT * 1000)
    interact.scroll_into_view_if_needed()
    output = WidgetOutput(interact)
    sliders = {label: Slider(interact, label) for label, (_, kind) in spec.params.items()
               if kind is not str}
    buttons = {label: Buttons(interact, label) for label, (_, kind) in spec.params.items()
               if kind is str}
    values = {}
    for label, slider in sliders.items():
        assert slider.root.count() == 1, f"no single slider labelled {label!r} in the widget"
        values[label] = spec.params[label][1](slider.readout_text())
    for label, row in buttons.items():
        assert row.root.count() == 1, f"no single row of buttons labelled {label!r} in the widget"
        values[label] = row.selected()
    # the output after Run All must already be the text for the controls' starting values
    state = output.wait_for(expected_text(spec, values), [], OUTPUT_TIMEOUT)
    log(f"  starting values {values}: output matches")
    at_start()
    images = [output.snapshot()["images"][0]]
    for move in spec.moves:
        if move.clicked is not None:
            before = buttons[move.slider].selected()
            buttons[move.slider].click(move.clicked)
            new_value = buttons[move.slider].selected()
            assert new_value == move.clicked, f"clicked {move.clicked!r}, {new_value!r} is selected"
        else:
            slider = sliders[move.slider]
            before = slider.readout_text()
            if move.keys:
                for key in move.keys:
                    slider.press(key)
                new_value = spec.params[move.slider][1](slider.readout_text())
            else:
                slider.type_value(move.typed)
                new_value = spec.params[move.slider][1](move.typed)
                shown = float(slider.readout_text())
                assert shown == pytest.approx(new_value, rel=5e-3), (
                    f"typed {move.typed!r} into {move.slider!r}, its readout shows {shown} "
                    "(outside the slider's range?)"
                )
        assert new_value != values[move.slider], f"{move.slider!r} did not move from {before}"
        values[move.slider] = new_value
        text = expected_text(spec, values)
        state = output.wait_for(text, images, OUTPUT_TIMEOUT)
        images.append(output.snapshot()["images"][0])
        log(f"  {move.slider}: {before} -> {new_value}: output matches, plot changed")
    assert normalise(state["text"]) == normalise(text)


def screenshot_for_readme(page, cell, path: Path) -> Path:
    """The widget's cell as a learner sees it, without the editing chrome around it."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.add_style_tag(
        content=".jp-cell-toolbar { display: none !important; }"
        " .jp-Collapser, .jp-Collapser-child { background: transparent !important; }"
    )
    left_panel = page.locator("#jp-left-stack")
    if left_panel.is_visible():  # fold the file browser away: the cell gets the page's width
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.click()
        left_panel.wait_for(state="hidden")
    page.mouse.move(0, 0)
    cell.scroll_into_view_if_needed()
    time.sleep(0.3)  # let the text reflow to the new width
    cell.screenshot(path=str(path), animations="disabled")
    return path


@pytest.mark.parametrize("name", sorted(SLIDER_NOTEBOOKS) or ["(none)"])
def test_sliders_in_jupyterlab(name):
    """Run all cells, move each slider, and check text and plot against the text function
    (done by BrowserRun, which the first of these tests starts; each waits for its outcome)."""
    require_browser()
    if not SLIDER_NOTEBOOKS:
        pytest.skip(f"no notebook in {NOTEBOOKS} calls a *_widget()")
    start()
    outcome = _RUN[0].result(name)
    print("\n".join(outcome.lines))
    if outcome.error is not None:
        raise outcome.error
    if outcome.readme_shot is not None and os.environ.get("RNNLIB_SAVE_SCREENSHOT") == "1":
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(outcome.readme_shot, README_SCREENSHOT)
        print(f"saved {README_SCREENSHOT.relative_to(REPO)}")
