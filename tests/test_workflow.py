"""The GitHub Actions workflow that forks run is valid and runs what .ci/run runs.

It cannot run here, so it is checked here: against GitHub's published workflow schema (vendored by
check-jsonschema, offline), and for the same install, lint and test commands as .ci/run, on Linux
x86-64, macOS on Apple silicon and Windows.
"""

import contextlib
import io
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
CI_RUN = ROOT / ".ci" / "run"


def schema_errors(path: Path) -> str:
    """check-jsonschema's report on `path` against the GitHub workflow schema ('' if valid).

    Its command line, run in this process: importing it takes about 4 s (jsonschema's format
    checkers build a grammar), paid once per session rather than once per check."""
    from check_jsonschema.cli.main_command import main

    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
        try:
            main(["--builtin-schema", "vendor.github-workflows", str(path)])
        except SystemExit as exit_:
            code = exit_.code
        else:
            code = 0
    return "" if code == 0 else report.getvalue() or f"exit code {code}"


def workflow() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))


def run_lines(job: dict) -> list[str]:
    return [line.strip() for step in job["steps"] for line in step.get("run", "").splitlines()]


def test_workflow_matches_githubs_schema():
    assert schema_errors(WORKFLOW) == ""


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"))
    assert "'runs-on' is a required property" in schema_errors(broken)


def test_workflow_covers_linux_macos_on_apple_silicon_and_windows():
    (job,) = workflow()["jobs"].values()
    runners = [entry["os"] for entry in job["strategy"]["matrix"]["include"]]
    assert any(r.startswith("ubuntu-") for r in runners)
    # macos-14 and later runners are Apple silicon (arm64); macos-13 was the last Intel image
    assert any(r.startswith("macos-") and int(r.split("-")[1]) >= 14 for r in runners if
               r.split("-")[1].isdigit())
    assert any(r.startswith("windows-") for r in runners)
    assert job["strategy"]["fail-fast"] is False


@pytest.mark.parametrize("command", [
    "python -m pip install -r requirements.txt",
    "ruff check rnnlib tests notebooks benchmarks",
    "pytest --nbval",
    "python tests/variants.py",
])
def test_workflow_runs_what_ci_runs(command):
    """Each of .ci/run's four commands, word for word, in .ci/run and in the workflow."""
    assert command in [line.strip() for line in CI_RUN.read_text().splitlines()]
    (job,) = workflow()["jobs"].values()
    lines = run_lines(job)
    assert command in lines
    # ... in a fresh virtual environment made before it
    assert any(line.startswith("python -m venv .venv") for line in lines[: lines.index(command)])
