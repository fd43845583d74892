"""requirements.txt and environment.yml name the same packages at the same versions."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pip_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-e"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"requirements.txt must pin exact versions with ==, got {line!r}"
        pins[name.strip().lower()] = version.strip()
    return pins


def conda_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.fullmatch(r"\s+- ([A-Za-z0-9_.-]+)=([^=\s]+)\s*", line)
        if match and match.group(1) != "python":
            pins[match.group(1).lower()] = match.group(2)
    return pins


def test_every_requirement_is_pinned_in_both_files_alike():
    pip, conda = pip_pins(), conda_pins()
    assert {"numpy", "matplotlib", "jupyterlab", "ipywidgets", "ipykernel", "nbval", "pytest"} <= set(pip)
    assert pip == conda


def test_both_files_install_rnnlib_itself():
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()
    assert re.search(r"^\s+- -e \.$", (ROOT / "environment.yml").read_text(), re.MULTILINE)
