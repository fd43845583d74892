"""Notebook 08's slider, used the way a learner uses it: JupyterLab in headless Chromium.

A real JupyterLab serves a temporary copy of notebook 08 alone; Chromium, driven by Playwright,
runs all its cells (training included), then moves the "distance d" slider one step with the
keyboard and switches the cell from "plain" to "gru", and checks each time that the printed text
is exactly rnnlib.memory.reach_text(d, cell), that the plot changed and that no cell and no page
shows an error. About 40 s on this 2-core machine, most of it the notebook's own run.

Needs what tests/test_browser.py needs (Debian's chromium and the playwright package); skipped
without them, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from pathlib import Path

import pytest
from browser_helpers import (
    CHROMIUM_ARGS,
    JupyterLab,
    NotebookPage,
    Slider,
    WidgetOutput,
    find_chromium,
    start_notebooks,
    under_ci,
)

REPO = Path(__file__).resolve().parents[1]
NAME = "08_memory_and_gates.ipynb"
WIDGET_CALL = "memory.reach_widget("
RUN_ALL_TIMEOUT = 180  # seconds; the notebook trains nine small networks
OUTPUT_TIMEOUT = 60


def widget_cell_index(notebook: dict) -> int:
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    hits = [i for i, c in enumerate(code) if WIDGET_CALL in "".join(c["source"])]
    assert len(hits) == 1, f"expected one cell calling {WIDGET_CALL}...) in {NAME}, found {hits}"
    return hits[0]


def test_reach_slider_in_jupyterlab(tmp_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        problem = f"Playwright is not installed ({error}); pip install -r requirements.txt"
        chromium = None
    else:
        chromium, problem = find_chromium()
    if chromium is None:
        if under_ci():
            pytest.fail(f"CI=true and the browser test cannot run: {problem}")
        pytest.skip(problem)

    from rnnlib.memory import reach_text

    start = time.monotonic()
    lines: list[str] = []

    def log(message: str) -> None:
        lines.append(f"{time.monotonic() - start:6.1f} s {message}")

    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook_json = json.loads((REPO / "notebooks" / NAME).read_text(encoding="utf-8"))
    index = widget_cell_index(notebook_json)
    for cell in notebook_json["cells"]:  # Run All makes the outputs anew; the page loads faster
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    (folder / NAME).write_text(json.dumps(notebook_json), encoding="utf-8")

    server = JupyterLab(root=folder, state=tmp_path / "state")
    page_errors: list[str] = []
    with contextlib.ExitStack() as stack:
        stack.callback(server.stop)
        server.launch()
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        stack.callback(browser.close)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(60_000)
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        notebook = None
        try:
            server.wait_until_up()
            with contextlib.suppress(OSError, ValueError):
                server.start_kernel(NAME)  # ahead of the page; JupyterLab starts it otherwise
            page.goto(server.notebook_url(NAME))
            notebook = NotebookPage(page, server, NAME)
            start_notebooks([notebook])
            notebook.wait_until_all_ran(RUN_ALL_TIMEOUT)
            log("all cells ran")
            errors = notebook.error_outputs()
            assert not errors, "error output:\n" + "\n".join(errors)

            cell = notebook.panel.locator(".jp-CodeCell").nth(index)
            interact = cell.locator(".widget-interact:not(.jupyter-widgets-disconnected)").first
            interact.wait_for(timeout=OUTPUT_TIMEOUT * 1000)
            interact.scroll_into_view_if_needed()
            output = WidgetOutput(interact)
            slider = Slider(interact, "distance d")
            assert slider.root.count() == 1, "no single slider labelled 'distance d'"
            d = int(slider.readout_text())
            output.wait_for(reach_text(d, "plain"), [], OUTPUT_TIMEOUT)
            images = [output.snapshot()["images"][0]]
            log(f"start: d = {d}, plain: output matches")

            slider.press("ArrowRight")
            d_new = int(slider.readout_text())
            assert d_new == d + 1, f"the slider moved from {d} to {d_new}"
            moved = time.monotonic()
            output.wait_for(reach_text(d_new, "plain"), images, OUTPUT_TIMEOUT)
            images.append(output.snapshot()["images"][0])
            log(f"d: {d} -> {d_new}: output matches, plot changed "
                f"({time.monotonic() - moved:.1f} s, including 0.3 s of holding still)")

            interact.locator("button", has_text="gru").first.click()
            clicked = time.monotonic()
            output.wait_for(reach_text(d_new, "gru"), images, OUTPUT_TIMEOUT)
            log(f"cell: plain -> gru: output matches, plot changed "
                f"({time.monotonic() - clicked:.1f} s, including 0.3 s of holding still)")

            errors = notebook.error_outputs()
            assert not errors, "error output after moving the slider:\n" + "\n".join(errors)
            assert not page_errors, "errors in the page:\n" + "\n".join(page_errors)
        except BaseException:
            shot = tmp_path / "failure-08.png"
            with contextlib.suppress(Exception):
                page.screenshot(path=str(shot), timeout=10_000)
            print(f"\n{NAME}: failed; screenshot: {shot}")
            print("\n".join([*(notebook.events if notebook else []), *lines]))
            print(f"server log (end):\n{server.log_tail(15)}")
            raise
        finally:
            server.record_children()
    print("\n".join(lines))
    shutil.rmtree(folder, ignore_errors=True)
