"""A JupyterLab server and a headless Chromium page for tests/test_browser.py.

The machinery lives here so that the test reads like what it checks. What it does, and why
(TOOLING.md has the measurements; the rest was met while writing this):
- JupyterLab autosaves into the folder it serves: it serves a temporary copy, with private
  settings, workspace, runtime, config, data and IPython folders, on a free loopback port, with a
  token.
- Kernels start through the REST API while the page loads (JupyterLab joins the running session
  of a notebook it opens, as after a reload), which saves a few seconds per notebook.
- A notebook opened too early can lose its queued "Run All" to a kernel that is replaced: cells
  run only once the server shows one idle kernel for the notebook whose id has stayed the same
  for 1.5 s, and the page shows it idle too. If the kernel is replaced anyway, all cells run again.
- The toolbar of a notebook in a background tab may leave its kernel status out: the page is
  asked only about the tab in front, the server about every notebook.
- Listing kernels while another one starts can fail with a 500 (jupyter_server 2.21): such an
  answer counts as "not ready yet".
- A cell whose source is collapsed (an exercise's solution) draws no prompt: "every cell ran"
  is judged on the prompts that are drawn, with no cell still queued ([*]) and the kernel idle.
- Kernels run in their own process session, so the server's process group does not hold them:
  the server is asked to shut down (POST /api/shutdown), then only the processes recorded from
  its tree (pid and start time) are ended. If the test process dies (a CI timeout), Linux sends
  the server SIGTERM (PR_SET_PDEATHSIG) and the server still ends its kernels.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import functools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Debian's chromium, never a browser downloaded by Playwright
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# settings that keep toasts (news, update checks) from covering the notebook
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # render every cell (no windowing), so every prompt and output is in the page
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def under_ci() -> bool:
    """True on a CI run (CI=true), where a missing browser must fail the test, not skip it."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def find_chromium() -> tuple[str | None, str]:
    """The Chromium executable ($RNNLIB_CHROMIUM, else Debian's `chromium` on PATH), or None and
    why not."""
    explicit = os.environ.get("RNNLIB_CHROMIUM")
    if explicit:
        if os.access(explicit, os.X_OK):
            return explicit, ""
        return None, f"RNNLIB_CHROMIUM={explicit} is not an executable file"
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found, ""
    return None, "Chromium is not installed (Debian/Ubuntu: sudo apt-get install chromium)"


def poll(check: Callable[[], object], timeout: float, what: str, interval: float = 0.1):
    """Call `check` until it returns something truthy; raise AssertionError naming `what` if not.

    `check` may return a (ok, state) pair: the state is shown in the error message.
    """
    deadline = time.monotonic() + timeout
    state = None
    while True:
        result = check()
        ok = result
        if isinstance(result, tuple) and len(result) == 2:
            ok, state = result
        if ok:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last state: {state!r}")
        time.sleep(interval)


def _end_with_parent() -> None:
    """In the server's process, before it runs: get SIGTERM when the test process dies (killed by a
    timeout, say), so that the server still shuts its kernels down instead of living on."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class JupyterLab:
    """A JupyterLab server on a loopback port, serving `root`, with private state folders."""

    root: Path
    state: Path
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    # pid -> create_time of every process the server started (kernels): we end only these
    children: dict[int, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, path: str, method: str = "GET", body: dict | None = None, timeout: float = 5.0):
        data = json.dumps(body).encode() if body is not None else None
        if data is None and method in {"POST", "DELETE", "PATCH"}:
            data = b""
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            data=data,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def start_kernel(self, notebook: str) -> None:
        """Start the notebook's session and kernel now; JupyterLab joins it when it opens the
        notebook (as it does for any notebook whose kernel is running)."""
        self.api(
            "/api/sessions",
            method="POST",
            body={"path": notebook, "name": notebook, "type": "notebook", "kernel": {"name": "python3"}},
            timeout=60.0,
        )

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}"

    def launch(self) -> None:
        """Start the server process (returns at once; `wait_until_up` waits for it)."""
        for folder in ("settings", "workspaces", "runtime", "config", "data", "ipython"):
            (self.state / folder).mkdir(parents=True, exist_ok=True)
        for name, values in LAB_SETTINGS.items():
            path = self.state / "settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        env = dict(os.environ)
        env.update(
            JUPYTER_RUNTIME_DIR=str(self.state / "runtime"),
            JUPYTER_CONFIG_DIR=str(self.state / "config"),
            JUPYTER_DATA_DIR=str(self.state / "data"),
            IPYTHONDIR=str(self.state / "ipython"),
            PYTHONUNBUFFERED="1",
        )
        # the notebooks choose their own backend (%matplotlib inline); Agg here would hide the plots
        env.pop("MPLBACKEND", None)
        env.pop("JUPYTER_TOKEN", None)
        self.port = free_port()
        self.log_path = self.state / f"server-{self.port}.log"
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={self.state / 'settings'}",
            f"--LabApp.workspaces_dir={self.state / 'workspaces'}",
            # a second safety net: kernels left without a page, then the server, end by themselves
            "--MappingKernelManager.cull_idle_timeout=900",
            "--MappingKernelManager.cull_interval=60",
            "--ServerApp.shutdown_no_activity_timeout=300",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.state,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_end_with_parent if sys.platform.startswith("linux") else None,
            )

    def wait_until_up(self, timeout: float = 60.0, attempts: int = 3) -> None:
        """Wait for the server; if it died (its port taken meanwhile, say), start it again."""
        for attempt in range(attempts):
            try:
                self._wait_until_up(timeout)
                return
            except RuntimeError:
                self._end_process()
                if attempt == attempts - 1:
                    raise
                self.launch()

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("/api/status", timeout=2.0)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"server not up after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no server log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def record_children(self) -> None:
        """Remember the processes the server has started (kernels and theirs), by pid and start time."""
        import psutil  # ipykernel depends on it, so it is present wherever the kernel is

        if self.process is None:
            return
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(self.process.pid).children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    self.children.setdefault(child.pid, child.create_time())

    def sessions(self) -> list[dict]:
        return self.api("/api/sessions")

    def stop(self) -> None:
        """Ask the server to shut down (it ends its kernels), then end only the processes we recorded."""
        if self.process is None:
            return
        self.record_children()
        if self.process.poll() is None:
            with contextlib.suppress(urllib.error.URLError, OSError):
                self.api("/api/shutdown", method="POST", timeout=10.0)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        self._end_process()
        self._end_children()

    def _end_process(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def _end_children(self) -> None:
        import psutil

        alive = []
        for pid, created in self.children.items():
            with contextlib.suppress(psutil.Error):
                process = psutil.Process(pid)
                if process.create_time() == created:  # the same process, not a reused pid
                    process.send_signal(signal.SIGTERM)
                    alive.append(process)
        _, still = psutil.wait_procs(alive, timeout=5)
        for process in still:
            with contextlib.suppress(psutil.Error):
                process.kill()
        psutil.wait_procs(still, timeout=5)


# ---------------------------------------------------------------------------------------------
# the browser side: one JupyterLab page, the notebooks side by side in its tabs

# what an error looks like in a JupyterLab page: tracebacks and anything on stderr are rendered
# with the stderr MIME type; a widget that fails to render shows a text of its own
ERROR_OUTPUTS = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
WIDGET_ERROR_TEXTS = ("Error displaying widget", "Failed to display", "model not found")

# each code cell's prompt ("[ ]:", "[*]:", "[3]:"), or null when its input is collapsed (hidden
# source, e.g. an exercise's solution): JupyterLab then draws no prompt at all
CELL_STATE_JS = """panel => Array.from(panel.querySelectorAll('.jp-CodeCell')).map(cell => {
    const prompt = cell.querySelector('.jp-InputArea .jp-InputPrompt');
    const editor = cell.querySelector('.jp-InputArea-editor');
    return {
        prompt: prompt ? prompt.textContent.trim() : null,
        source: editor ? editor.textContent.slice(0, 60) : null,
    };
})"""


def normalise(text: str) -> str:
    """Text as a reader sees it: no trailing spaces, no blank lines at either end, \\n line ends."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


class NotebookPage:
    """A notebook open in a JupyterLab tab, located by its tab's widget id."""

    def __init__(self, page, server: JupyterLab, name: str):
        self.page = page
        self.server = server
        self.name = name
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab").filter(
            has=page.locator(".lm-TabBar-tabLabel", has_text=name)
        )
        self.tab = tab.first
        self.tab.wait_for(timeout=60_000)
        self.panel = page.locator(f"#{self.tab.get_attribute('data-id')}")
        self.panel.wait_for(state="attached", timeout=30_000)
        self.kernel_id: str | None = None  # the kernel that Run All went to
        self.events: list[str] = []  # races met and handled, for the test's log
        self._candidate: tuple[str | None, float] = (None, 0.0)
        self.opened_at = time.monotonic()
        self.run_all_at: float | None = None

    @classmethod
    def open_from_file_browser(cls, page, server: JupyterLab, name: str) -> NotebookPage:
        item = page.locator(".jp-DirListing-item").filter(
            has=page.locator(".jp-DirListing-itemText", has_text=name)
        )
        item.first.dblclick(timeout=30_000)
        return cls(page, server, name)

    def _session_kernels(self) -> list[tuple[str, str]] | None:
        """(kernel id, execution state) of this notebook's sessions; None if the server could
        not say (seen: a 500 from listing kernels while another kernel was starting)."""
        try:
            sessions = self.server.sessions()
        except (urllib.error.URLError, OSError, ValueError):
            return None
        return [
            (s["kernel"]["id"], s["kernel"]["execution_state"])
            for s in sessions
            if s.get("path") == self.name and s.get("kernel")
        ]

    def page_kernel(self) -> tuple[str | None, str | None]:
        """(execution status, kernel name) as the notebook's toolbar shows them; None for what is
        not drawn (the toolbar of a tab in the background may leave items out)."""
        return tuple(
            self.panel.evaluate(
                """panel => {
                    const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
                    const name = panel.querySelector('.jp-Toolbar-kernelName');
                    return [status && status.getAttribute('data-status'),
                            name && name.textContent.trim()];
                }"""
            )
        )

    def page_kernel_idle(self) -> tuple[bool, object]:
        status, name = self.page_kernel()
        return (status == "idle" and name not in {None, "", "No Kernel"}), (status, name)

    def kernel_ready(self, stable_for: float = 1.5) -> tuple[bool, object]:
        """One look: does the server show exactly one idle kernel for this notebook, with the
        same id as `stable_for` seconds ago (and the page, where its toolbar is drawn, agree)?

        Running cells earlier lost the queued run to a kernel that was replaced (TOOLING.md)."""
        if self.dismiss_dialogs():
            self.events.append("dismissed a dialog while the kernel started")
        kernels = self._session_kernels()
        status, name = self.page_kernel()
        state = (kernels, status, name)
        ok = (
            kernels is not None
            and len(kernels) == 1
            and kernels[0][1] == "idle"
            and status in {None, "idle"}
            and name not in {"", "No Kernel"}
        )
        if not ok:
            self._candidate = (None, 0.0)
            return False, state
        if kernels[0][0] != self._candidate[0]:
            self._candidate = (kernels[0][0], time.monotonic())
        return time.monotonic() - self._candidate[1] >= stable_for, state

    def wait_for_kernel(self, timeout: float = 90.0) -> None:
        poll(self.kernel_ready, timeout, f"one idle, stable kernel for {self.name}", interval=0.15)

    def dismiss_dialogs(self) -> bool:
        """A kernel-selection dialog (seen in a race): accept its default, the notebook's kernel."""
        dialog = self.page.locator(".jp-Dialog")
        if dialog.count():
            dialog.locator(".jp-mod-accept").first.click()
            return True
        return False

    def activate(self) -> None:
        self.tab.click()
        poll(
            lambda: "lm-mod-current" in (self.tab.get_attribute("class") or ""),
            10,
            f"the tab of {self.name} to be current",
        )

    def run_all(self) -> None:
        """Run > Run All Cells in this notebook's tab; checked: its cells are queued or running.

        The prompts then show [*] (stored outputs show old counts until then)."""
        self.kernel_id = self._candidate[0]
        self.run_all_at = time.monotonic()
        self.server.record_children()
        for attempt in range(2):
            before = self.prompts()
            self.activate()
            poll(self.page_kernel_idle, 60, f"the page to show the kernel of {self.name} idle")
            self.page.locator(".lm-MenuBar-item").filter(
                has=self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$"))
            ).first.click()
            self.page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
            try:
                poll(
                    functools.partial(self._queued, before),
                    10,
                    f"the cells of {self.name} to be queued",
                    interval=0.05,
                )
                return
            except AssertionError:
                if attempt:
                    raise
                self.events.append("Run All did not reach the notebook; clicked again")

    def _queued(self, before: list[str]) -> bool:
        now = self.prompts()
        return "[*]:" in now or now != before

    def prompts(self) -> list[str]:
        """The prompts of the code cells whose input is shown."""
        return [c["prompt"] for c in self.panel.evaluate(CELL_STATE_JS) if c["prompt"] is not None]

    def wait_until_all_ran(self, timeout: float) -> None:
        """No cell is queued or running, every shown prompt has an execution count, the kernel is
        idle. If the kernel was replaced meanwhile (the race above), wait for the new one and run
        all cells again."""
        pattern = re.compile(r"^\[\d+\]:$")
        restarted = []

        def done():
            kernels = self._session_kernels()
            if kernels and len(kernels) == 1 and kernels[0][0] != self.kernel_id and not restarted:
                restarted.append(kernels[0][0])
                self.events.append(f"kernel replaced ({self.kernel_id} -> {kernels[0][0]}); rerun")
                self.wait_for_kernel()
                self.run_all()
            prompts = self.prompts()
            status = self.page_kernel()[0]
            if status is None and kernels and len(kernels) == 1:  # indicator not drawn
                status = kernels[0][1]
            if status != "idle" or "[*]:" in prompts:
                return False, (status, kernels, prompts)
            if self.error_outputs():  # Run All stops at a cell that raised
                return True, "an error stopped the run"
            return (bool(prompts) and all(map(pattern.match, prompts))), (status, kernels, prompts)

        poll(done, timeout, f"every cell of {self.name} to run", interval=0.25)

    def error_outputs(self) -> list[str]:
        """Texts of error and stderr outputs, and of widgets that failed to render."""
        errors = self.panel.locator(ERROR_OUTPUTS).all_text_contents()
        for text in self.panel.locator(".jp-OutputArea-output").all_text_contents():
            errors += [f"widget error: {text[:300]}" for m in WIDGET_ERROR_TEXTS if m in text]
        return errors


def start_notebooks(notebooks: list[NotebookPage], timeout: float = 120.0) -> None:
    """Run all cells of each notebook as soon as its kernel is ready (kernels start side by side)."""
    waiting = list(notebooks)

    def step():
        states = {}
        for notebook in list(waiting):
            ready, states[notebook.name] = notebook.kernel_ready()
            if ready:
                notebook.run_all()
                waiting.remove(notebook)
        return not waiting, states

    poll(step, timeout, "the notebooks' kernels", interval=0.15)


class Slider:
    """One ipywidgets slider (a noUiSlider), found by its description label in an interact widget."""

    def __init__(self, interact, label: str):
        self.label = label
        self.root = interact.locator(".widget-slider").filter(
            has=interact.page.locator(".widget-label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
        )
        self.handle = self.root.locator(".noUi-handle")
        self.readout = self.root.locator(".widget-readout")

    def readout_text(self) -> str:
        return self.readout.inner_text().strip()

    def press(self, key: str, times: int = 1) -> None:
        """Focus the handle and press a key, as a keyboard user does."""
        self.handle.focus()
        for _ in range(times):
            self.handle.press(key)

    def type_value(self, text: str) -> None:
        """Click the readout, replace its text and press Enter, as a person typing a value does."""
        self.readout.click()
        self.readout.press("ControlOrMeta+a")
        self.readout.press_sequentially(text)
        self.readout.press("Enter")


class Buttons:
    """One ipywidgets ToggleButtons control, found by its description label in an interact widget."""

    def __init__(self, interact, label: str):
        self.label = label
        self.root = interact.locator(".widget-toggle-buttons").filter(
            has=interact.page.locator(".widget-label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
        )

    def selected(self) -> str:
        """The text of the button that is pressed."""
        return self.root.locator("button.mod-active").inner_text().strip()

    def click(self, text: str) -> None:
        self.root.locator("button", has_text=text).first.click()


class WidgetOutput:
    """The output area of an interact widget: printed text and plot images."""

    JS = """out => ({
        text: Array.from(out.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]'))
            .map(e => e.textContent).join(''),
        images: Array.from(out.querySelectorAll('img')).map(e => e.getAttribute('src') || ''),
        errors: Array.from(out.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
            .map(e => e.textContent),
    })"""

    def __init__(self, interact):
        self.root = interact.locator(".widget-output").first

    def snapshot(self) -> dict:
        return self.root.evaluate(self.JS)

    def wait_for(self, expected_text: str, previous_images: list[str], timeout: float) -> dict:
        """Wait until the printed text equals `expected_text` (normalised) and exactly one plot is
        shown that differs from every image in `previous_images`; the state must then hold still."""
        want = normalise(expected_text)

        def settled():
            snap = self.snapshot()
            ok = (
                normalise(snap["text"]) == want
                and len(snap["images"]) == 1
                and snap["images"][0] not in previous_images
                and not snap["errors"]
            )
            state = {
                "text": snap["text"],
                "images": len(snap["images"]),
                "image_changed": bool(snap["images"]) and snap["images"][0] not in previous_images,
                "errors": snap["errors"],
            }
            return ok, state

        try:
            poll(settled, timeout, "the widget output", interval=0.1)
            time.sleep(0.3)  # the output must not be replaced again (a second run, a late message)
            return poll(settled, 1.0, "the widget output to hold still")[1]
        except AssertionError as error:
            ok, state = settled()
            diff = "\n".join(
                difflib.unified_diff(
                    want.splitlines(), normalise(state["text"]).splitlines(),
                    "expected (the widget's text function)", "shown in the page", lineterm="",
                )
            )
            raise AssertionError(
                f"{str(error).split(';')[0]}\nexpected text:\n{expected_text}\n"
                f"text differs:\n{diff or '(no, the text matches)'}\n"
                f"plots shown: {state['images']}, plot changed: {state['image_changed']}, "
                f"errors: {state['errors']}"
            ) from None
