"""A geometry view's animation sweeps the dimension D (issue 12, item 5): --from and --to take
dimensions, the frames are log-spaced D values, and each frame shows its own D."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gui import export

ROOT = Path(__file__).resolve().parents[2]
ENV = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}


def test_dimensions_are_log_spaced_without_repeats():
    dims = export.animation_dims(2, 1000)
    assert dims[0] == 2 and dims[-1] == 1000 and len(dims) == len(set(dims)) <= 40
    ratios = np.diff(np.log(dims))
    assert ratios.max() < 3 * ratios.min() + 0.7  # evenly spread on a log scale
    assert export.animation_dims(20, 2)[0] == 20  # backwards too
    with pytest.raises(ValueError, match="--to must be a dimension"):
        export.animation_dims(2, 10**6)


def test_the_command_line_sweeps_d(tmp_path):
    from PIL import Image

    out = tmp_path / "angles.gif"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--view", "geometry-angles",
                        "--export-animation", str(out), "--from", "2", "--to", "12",
                        "--width", "400"], capture_output=True, text=True, timeout=300, env=ENV)
    assert r.returncode == 0, r.stderr
    n = len(export.animation_dims(2, 12))
    assert f"wrote {n} frames" in r.stderr
    with Image.open(out) as im:
        assert im.n_frames == n
        firsts = []
        for i in (0, n - 1):
            im.seek(i)
            firsts.append(np.asarray(im.convert("RGB")).astype(int))
    assert np.abs(firsts[0] - firsts[1]).sum() > 0  # D = 2 and D = 12 look different
    bad = subprocess.run([sys.executable, str(ROOT / "main.py"), "--view", "geometry-angles",
                          "--export-animation", str(tmp_path / "b.gif"), "--from", "backward"],
                         capture_output=True, text=True, timeout=120, env=ENV)
    assert bad.returncode == 2 and "takes a dimension D" in bad.stderr
    assert not (tmp_path / "b.gif").exists()
