"""The three layers hold: import-linter's contracts in pyproject.toml (sim imports nothing of the
application; sim and gui.model never import Qt or pyqtgraph; views do not import each other),
and no file of the engine or the application grows past 700 lines."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 700


def test_import_contracts_are_kept():
    r = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import "
                        "lint_imports_command; sys.exit(lint_imports_command())"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "BROKEN" not in r.stdout and "Contracts: 4 kept, 0 broken." in r.stdout


def test_no_file_over_700_lines():
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "sim").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    long |= {str(p.relative_to(ROOT)): n for p in (ROOT / "gui").rglob("*.py")
             if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_only_the_job_runner_starts_threads():
    """Threads and thread pools are started in gui/jobs.py only (the training process in
    gui/controllers/training.py is a process, for the reason gui/model/training/process.py
    gives)."""
    words = ("QThreadPool", "QThread(", "threading.Thread", "QRunnable", "ThreadPoolExecutor",
             "multiprocessing")
    found = {}
    for p in list((ROOT / "gui").rglob("*.py")) + list((ROOT / "sim").rglob("*.py")):
        rel = p.relative_to(ROOT).as_posix()
        if rel in ("gui/jobs.py", "gui/controllers/training.py"):
            continue
        text = p.read_text(encoding="utf-8")
        hits = [w for w in words if w in text]
        if hits:
            found[rel] = hits
    assert not found, found
