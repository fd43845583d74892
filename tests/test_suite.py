"""The suite runs as plainly as it reads: listing the tests starts nothing.

`pytest --collect-only` is what an IDE runs to list the tests. It must import modules and read
files, and nothing else: no server, browser, child process or thread (the browser test starts its
JupyterLab and Chromium when its first test runs; the runs under other rounding are
tests/variants.py, a command of their own).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A pytest plugin for the collecting process: it records every process and thread that anything
# tries to start, and prints them at the end.
PROBE = '''
import os, subprocess, threading

started = []


def recording(what, original):
    def wrapper(*args, **kwargs):
        started.append(what)
        return original(*args, **kwargs)
    return wrapper


subprocess.Popen.__init__ = recording("a child process (subprocess.Popen)", subprocess.Popen.__init__)
os.fork = recording("a child process (os.fork)", os.fork)
os.posix_spawn = recording("a child process (os.posix_spawn)", os.posix_spawn)
threading.Thread.start = recording("a thread", threading.Thread.start)


def pytest_unconfigure(config):
    print("started:", sorted(set(started)) or "nothing")
'''


def test_collecting_the_tests_starts_no_process_or_thread(tmp_path):
    (tmp_path / "start_probe.py").write_text(PROBE)
    env = {"PYTHONPATH": str(tmp_path), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "start_probe", "--nbval"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "started: nothing" in done.stdout, done.stdout[-3000:]
    assert " tests collected" in done.stdout


def test_the_probe_sees_a_process_started_at_collection(tmp_path):
    """The check can fail: a test module that starts a process when it is imported is caught."""
    (tmp_path / "start_probe.py").write_text(PROBE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the suite's settings
    (tmp_path / "test_starts.py").write_text(
        "import subprocess, sys\nsubprocess.run([sys.executable, '-c', 'pass'])\n"
        "def test_nothing():\n    pass\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "start_probe",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path / "test_starts.py")],
        # no plugins but the probe: this run needs none of the suite's (nbval, xdist, ...)
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": "", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True, timeout=120)
    assert "a child process (subprocess.Popen)" in done.stdout, done.stdout + done.stderr
