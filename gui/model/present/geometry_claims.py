"""The geometry tab's claims table: the article's statements next to the exact numbers, and the
view that shows each, as HTML (no Qt: the tab puts it in a text browser, tests read it).
"""

from __future__ import annotations

import math

from sim import geometry

from . import geometry as gp
from .numbers import count, fmt, fmt_log10, pct, pow10

#: what the article claims, where it is only approximate (Okabe-Ito purple)
ARTICLE = "#CC79A7"
#: the slider's D, everywhere (Okabe-Ito vermillion)
VERMILLION = "#D55E00"


def cells_text(log10_cells: float) -> str:
    """b^D as a number when it is printable, else as a power of ten."""
    if log10_cells < 15:
        return count(round(10**log10_cells))
    if abs(log10_cells - round(log10_cells)) < 1e-9:
        return pow10(log10_cells)
    return f"{10 ** (log10_cells % 1):.2g} × {pow10(math.floor(log10_cells))}"


def share(log10_x: float) -> str:
    """A share given by its log10: a percentage while readable, else m×10ⁿ."""
    return pct(10.0**log10_x) if log10_x > -4 else fmt_log10(log10_x)


def claims_html(p: gp.GeometryParams, angles=None, distances=None) -> str:
    """The claims table for parameters ``p``.

    Parameters
    ----------
    p : the geometry parameters.
    angles : D -> sampled AngleHistogram (or None) for the D in ``p.angle_dims``; missing D show
        only the exact sd.
    distances : the DistanceHistogram at ``p.D`` (``distances_key(p)``), or None while sampling.
    """
    angles = angles or {}
    D, eps, N, b = p.D, p.eps, p.N, p.b
    rows = []

    def row(claim: str, exact: str, where: str) -> None:
        rows.append(f"<tr><td style='color:{ARTICLE}'>{claim}</td><td>{exact}</td>"
                    f"<td><i>{where}</i></td></tr>")

    d_eq = gp.cells_equal_samples(N, b)
    row("1-, 2-, 3-D grids have 10, 100, 1,000 cells; the number of cells grows exponentially "
        "and soon surpasses the number of training points",
        f"b<sup>D</sup> for b = {b}: {count(b)}, {count(b**2)}, {count(b**3)}; it passes "
        f"N = {count(N)} at D = {d_eq:.2f}; empty cells expected at D = {D:,}: "
        f"{pct(geometry.empty_cell_fraction(D, N, b))}", "Grids")
    r2, r3 = geometry.inner_ball_radius(2), geometry.inner_ball_radius(3)
    row("diagonals √2 and √3; the blue circle's diameter is √2 − 1, the blue sphere's √3 − 1",
        f"{math.sqrt(2):.4f}, {math.sqrt(3):.4f}; {2 * r2:.4f}, {2 * r3:.4f}", "Spiky cubes")
    row("in D dimensions the blue ball's diameter is √D − 1, which can soon surpass 2: it "
        "sticks out of the stacked cubes",
        f"√D − 1 = 1 (as big as the orange balls) at D = 4; = 2 at D = 9; D = 10: "
        f"{2 * geometry.inner_ball_radius(10):.4f}; D = {D:,}: "
        f"{2 * geometry.inner_ball_radius(D):.4g}", "Spiky cubes")
    row("the volume of a hypercube concentrates in its corners",
        f"share inside the inscribed ball: 2-D {pct(geometry.inscribed_ball_fraction(2))}, 3-D "
        f"{pct(geometry.inscribed_ball_fraction(3))}, D = {D:,}: "
        f"{share(geometry.log10_inscribed_ball_fraction(D))}; corners at √D/2 = "
        f"{geometry.corner_distance(D):.4g} vs faces at 1/2", "Spiky cubes")
    sds = []
    for d in p.angle_dims:
        h = angles.get(d)
        sampled = f", sampled {h.sd:.2f}°" if h is not None else ""
        sds.append(f"D = {d:,}: {gp.exact_angle_sd(d):.2f}°{sampled}")
    row("angles between random vectors: almost uniform in 2-D, most likely 90° in 3-D, and the "
        "bigger D the more they concentrate around 90° (10,000 pairs, entries in [−1, 1])",
        "sd of the angle " + "; ".join(sds) + f"; → (180/π)/√D = "
        f"{geometry.angle_sd_asymptotic(D):.3g}° at D = {D:,}", "Pac-Man angles")
    row("the outer ε-shell holds 1 − (1 − ε)<sup>D</sup> of the volume; 2-D and 3-D",
        f"ε = {eps:g}: 2-D {pct(geometry.shell_fraction(2, eps))}, 3-D "
        f"{pct(geometry.shell_fraction(3, eps))}, D = {D:,}: "
        f"{pct(geometry.shell_fraction(D, eps))}", "M&M's shell")
    c90 = geometry.shell_crossing(0.01, 0.9)
    row("“when D is over 400, around 90 % of the volume is concentrated in the very thin 1 % "
        "surface”",
        f"<b>90 % from D = {c90}</b> (D* = {gp.real_crossing(0.01, 0.9):.1f}; D = {c90 - 1} "
        f"holds {pct(geometry.shell_fraction(c90 - 1, 0.01))}, D = {c90} "
        f"{pct(geometry.shell_fraction(c90, 0.01))}); at D = 400 it is "
        f"{pct(geometry.shell_fraction(400, 0.01))}", "M&M's shell")
    v = geometry.ball_volume(list(range(1, 41)))  # (40,)
    peak = int(max(range(40), key=lambda i: v[i])) + 1
    # the volume itself (a number, not a share: the unit 5-ball holds 5.26)
    row("the volume of a D-ball is π<sup>D/2</sup> r<sup>D</sup> / Γ(D/2 + 1)",
        f"unit ball: peaks at D = {peak} ({max(v):.4f}), D = {D:,}: "
        f"{fmt_log10(geometry.log_ball_volume(D) / math.log(10), 3)}", "M&M's shell")
    h = distances
    if h is not None:
        near = (f"D = {D:,}: the nearest of {count(p.n_points)} points is {h.d_min / h.d_max:.3f}"
                f" × the farthest; relative contrast {fmt(h.query_contrast, thousands=True)}")
    else:
        near = f"D = {D:,}: sampling…"
    row("uniform points are squashed onto the surface of a sphere around any centre; for each "
        "point all the others are about equally far", near, "Distances")
    return (f"<h3>What the article says, and the exact numbers</h3>"
            f"<p>Slider D = <b style='color:{VERMILLION}'>{D:,}</b>. Left: the article "
            f"(“Spiky cubes, Pac-Man walking, empty M&amp;M’s chocolate”); middle: computed "
            f"here; right: the view that shows it.</p>"
            f"<table cellspacing='0' cellpadding='4' border='1' style='border-collapse:collapse'>"
            f"<tr><th>the article</th><th>exact</th><th>view</th></tr>{''.join(rows)}</table>")


def claims_jobs(p: gp.GeometryParams) -> dict:
    """The sampled results the table shows beside the exact numbers: name -> job."""
    jobs = {("angles", d): gp.AnglesKey(d, p.n_pairs, p.sampler, p.seed) for d in p.angle_dims}
    jobs["distances"] = gp.distances_key(p)
    return jobs
