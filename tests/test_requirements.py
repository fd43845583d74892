"""The environment reproduces: requirements.txt is a full lock of what the README installs,
generated from the direct requirements in requirements.in, and environment.yml names the same
direct packages at the same versions."""

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK_COMMAND = "uv pip compile --universal --python-version 3.11 --no-strip-extras requirements.in -o requirements.txt"


def requirements(path: Path) -> list[Requirement]:
    """The package lines of a requirements file (comments, options and `-e .` left out)."""
    found = []
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            found.append(Requirement(line))
    return found


def exact_pins(reqs: list[Requirement]) -> dict[str, str]:
    pins = {}
    for req in reqs:
        (spec,) = req.specifier
        assert spec.operator == "==", f"{req} must pin an exact version with =="
        pins[canonicalize_name(req.name)] = spec.version
    return pins


def lock_for_this_machine() -> dict[str, str]:
    """requirements.txt's pins whose environment markers hold here."""
    here = [r for r in requirements(ROOT / "requirements.txt")
            if r.marker is None or r.marker.evaluate()]
    return exact_pins(here)


def conda_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        match = re.fullmatch(r"\s+- ([A-Za-z0-9_.-]+)=([^=\s]+)\s*", line)
        if match and match.group(1) != "python":
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_direct_requirements_are_pinned_in_all_three_files_alike():
    direct = exact_pins(requirements(ROOT / "requirements.in"))
    assert {"numpy", "matplotlib", "jupyterlab", "ipywidgets", "ipykernel", "nbval", "pytest"} <= set(direct)
    assert conda_pins() == direct
    lock = lock_for_this_machine()
    assert {name: lock.get(name) for name in direct} == direct


def test_the_lock_says_how_it_was_made():
    assert LOCK_COMMAND in (ROOT / "requirements.txt").read_text()
    assert LOCK_COMMAND in (ROOT / "requirements.in").read_text()


def test_every_package_pinned_with_extras_is_pinned_plain_too():
    """.ci/lock adds the plain pin beside each extras pin (jsonschema[format-nongpl]): with the
    extras line alone pip's resolver treats the plain name, which check-jsonschema asks for, as
    another project and downloads its newest version before it settles on the pin."""
    reqs = requirements(ROOT / "requirements.txt")
    plain = {(canonicalize_name(r.name), str(r.specifier)) for r in reqs if not r.extras}
    with_extras = [r for r in reqs if r.extras]
    assert with_extras, "the lock pins jsonschema with its extra (see requirements.in)"
    missing = [str(r) for r in with_extras if (canonicalize_name(r.name), str(r.specifier)) not in plain]
    assert missing == [], f"run bash .ci/lock: no plain pin beside {missing}"


def test_the_lock_pins_every_package_exactly():
    for req in requirements(ROOT / "requirements.txt"):
        (spec,) = req.specifier
        assert spec.operator == "==", req


def test_the_lock_is_closed_under_dependencies():
    """Every dependency of a locked package that is installed here is itself in the lock.

    Run in the README's environment this fails when the lock misses a package; it only reads
    the metadata of the installed distributions, so a development venv with extra packages
    passes as long as the locked ones are complete."""
    lock = lock_for_this_machine()
    missing = []
    for name in lock:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            if canonicalize_name(req.name) not in lock:
                missing.append(f"{name} needs {req}")
    assert missing == []


def test_installed_versions_are_the_locked_ones():
    """Where a locked package is installed, it is the locked version (the README's venv)."""
    wrong = {}
    for name, version in lock_for_this_machine().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        if installed != version:
            wrong[name] = (installed, version)
    assert wrong == {}


def test_both_files_install_rnnlib_itself():
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()
    assert "-e ." in (ROOT / "requirements.in").read_text().splitlines()
    assert re.search(r"^\s+- -e \.$", (ROOT / "environment.yml").read_text(), re.MULTILINE)
