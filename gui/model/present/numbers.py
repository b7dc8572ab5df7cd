"""Numbers as a reader sees them: one formatter, one superscript table, log-axis ticks, and the
cursor's words. Every view and caption formats through here, so a number reads the same
everywhere (a real minus sign, m×10ⁿ for tiny and huge values).
"""

from __future__ import annotations

import math

import numpy as np

MINUS = "\u2212"
TIMES = "\u00d7"
#: the one superscript table: digits, signs, the decimal point
SUPERSCRIPTS = str.maketrans("0123456789-+.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺·")
#: significant digits of a displayed number
DIGITS = 3


def sup(value) -> str:
    """``value`` written in superscript characters: sup(-70) -> '⁻⁷⁰'."""
    return str(value).translate(SUPERSCRIPTS)


def pow10(e: float) -> str:
    """10 to a (rounded) power, written out: 10⁻¹⁶⁸⁵⁰."""
    return f"10{sup(int(round(e)))}"


def fmt(v: float, digits: int = DIGITS, *, thousands: bool = False) -> str:
    """``v`` with ``digits`` significant digits: "0.41", "−0.12", "1234", "1.23×10⁻⁴", "∞".

    Values with 1e-3 <= |v| < 1e4 are written plainly, others as m×10ⁿ. ``thousands`` writes
    1e3 <= |v| < 1e5 as a whole number with separators ("12,345").
    """
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return ("" if v > 0 else MINUS) + "\u221e"
    if v == 0:
        return "0"
    a = abs(v)
    if thousands and 1e3 <= a < 1e5:
        return f"{v:,.0f}".replace("-", MINUS)
    if 1e-3 <= a < 1e4:
        s = f"{v:.{digits}g}"
        if "e" in s:  # e.g. 1e+03 from %g at exactly 1000
            s = f"{v:.0f}"
        return s.replace("-", MINUS)
    mant, exp = f"{v:.{max(digits - 1, 0)}e}".split("e")
    mant = mant.rstrip("0").rstrip(".") if "." in mant else mant
    return f"{mant.replace('-', MINUS)}{TIMES}10{sup(int(exp))}"


def fmt_log10(log10_x: float, digits: int = 2) -> str:
    """A positive number given by its log10 (it may underflow as a float): m×10ⁿ."""
    if log10_x > -300:
        return fmt(10.0 ** log10_x, digits + 1, thousands=True)
    e = math.floor(log10_x)
    m = 10.0 ** (log10_x - e)
    return f"{m:.{digits}g}{TIMES}{pow10(e)}"


def pct(x: float) -> str:
    """A fraction as a percentage with enough digits not to round 0.9999 up to 100 %."""
    if x >= 1.0:
        return "100 %"
    if x <= 0.0:
        return "0 %"
    digits = 2
    while digits < 8 and round(100 * x, digits) >= 100.0:
        digits += 1
    if x < 1e-4:
        return f"{fmt(100 * x)} %"
    return f"{100 * x:.{digits}f} %"


def count(n: int) -> str:
    """A whole number with thousands separators: 10,000."""
    return f"{int(n):,}"


def decade_label(n: int) -> str:
    """10^n as a reader writes it: 0.01, 0.1, 1, 10, 100, else 10 with a superscript."""
    if -2 <= n <= 2:
        return {-2: "0.01", -1: "0.1", 0: "1", 1: "10", 2: "100"}[n]
    return pow10(n)


def log_ticks(lo: float, hi: float) -> list:
    """Axis ticks for log10 data spanning [lo, hi]: labelled decades and unlabelled 2..9 between
    them; below two decades also 2 and 5 times each decade, labelled (a narrow range would
    otherwise show a single label). [[(value, label)...] major, [...] minor]."""
    a, b = int(np.floor(lo)), int(np.ceil(hi))
    if hi - lo < 2:
        major = []
        for n in range(a - 1, b + 1):
            for m in (1, 2, 5):
                v = n + float(np.log10(m))
                if lo <= v <= hi:
                    major.append((v, fmt(m * 10.0 ** n)))
        return [major, []]
    every = max(1, int(np.ceil((b - a) / 8)))
    major = [(float(n), decade_label(n)) for n in range(a, b + 1) if n % every == 0]
    minor = []
    if b - a <= 4:
        minor = [(n + float(np.log10(m)), "") for n in range(a, b) for m in range(2, 10)]
    return [major, minor]


def log10_or_nan(v) -> np.ndarray:
    """log10 of norms: NaN where the value is 0, negative or NaN (nothing to draw); +-inf kept
    for infinite values."""
    v = np.asarray(v, dtype=float)
    out = np.full(v.shape, np.nan)
    with np.errstate(all="ignore"):
        ok = (v > 0) | (np.isinf(v) & (v > 0))
        out[ok] = np.log10(v[ok])
    return out


def cursor_label(cursor, T: int) -> str:
    """What the status line says: "forward t = 7 / 12", "backward t = 3", "update"."""
    if cursor.phase == "forward":
        return f"forward t = {cursor.t} / {T}"
    if cursor.phase == "backward":
        return f"backward t = {cursor.t}"
    return "update"


def log_range(*values, pad: float = 0.15, default: tuple = (-1.0, 1.0)) -> tuple[float, float]:
    """(lo, hi) of the finite log10 of every positive value in ``values`` (arrays of norms),
    padded by ``pad`` decades either side; ``default`` when nothing is finite and positive."""
    logs = [log10_or_nan(np.ravel(v)) for v in values if v is not None and np.size(v)]
    fin = np.concatenate(logs) if logs else np.zeros(0)
    fin = fin[np.isfinite(fin)]
    if not fin.size:
        return default
    return float(fin.min()) - pad, float(fin.max()) + pad
