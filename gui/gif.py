"""GIF frames with one palette for the whole animation that keeps every categorical colour exact.

A GIF holds 256 colours. A median-cut palette of the first frame (what Unfold did) lets a
categorical colour that is rare in that frame, or absent from it, collapse onto a neighbour:
the yellow recurrent connections came out salmon, J(6)'s pink grey mauve. Here the palette is
built from the categorical colours the views use (the source and step hues, the theme's
colours, the non-finite grey), then the colours that fill the most pixels exactly across all
frames, then a median cut of what is left. Pixels of a palette colour (within 3 in RGB) are
mapped to it exactly; only the rest (continuous colour maps, antialiased edges) is dithered.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from . import theme as themes
from .model.palette import HIGHWAY_HEX, NONFINITE_RGB, SOURCE_HEX, STEP_HEX, hex_to_rgb

#: Okabe-Ito and the other fixed hues the views draw with, besides the tables' entries
EXTRA_HEX = ("#000000", "#ffffff", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
             "#D55E00", "#CC79A7", "#999933", "#7B3F00", "#C8894A", "#b2182b", "#4393c3")
EXACT = 3  # a pixel this close (max over R, G, B) to a palette colour takes it exactly
FREQUENT = 96  # at most this many frequent exact colours join the palette


def categorical_colors() -> np.ndarray:
    """(n, 3) uint8: every categorical colour the views use, both themes."""
    hexes = list(SOURCE_HEX) + list(STEP_HEX) + [HIGHWAY_HEX] + list(EXTRA_HEX)
    for theme in themes.THEMES.values():
        hexes += [theme.background, theme.foreground, theme.muted, theme.faint,
                  theme.recurrent, theme.highlight, theme.peephole]
    rgb = [hex_to_rgb(h) for h in hexes] + [tuple(NONFINITE_RGB)]
    return np.unique(np.array(rgb, dtype=np.uint8), axis=0)


def _frequent(frames: list[np.ndarray], known: np.ndarray, most: int) -> np.ndarray:
    """(k, 3) the exact colours covering the most pixels over all frames, not near ``known``."""
    step = max(1, int(np.sqrt(sum(f.shape[0] * f.shape[1] for f in frames) / 2_000_000)))
    pixels = np.concatenate([f[::step, ::step].reshape(-1, 3) for f in frames])  # (n, 3)
    keys = pixels.astype(np.uint32) @ np.array([65536, 256, 1], dtype=np.uint32)  # (n,)
    values, counts = np.unique(keys, return_counts=True)
    order = np.argsort(-counts)
    rgb = np.stack([(values >> 16) & 255, (values >> 8) & 255, values & 255], axis=1)
    rgb = rgb[order].astype(np.uint8)  # (u, 3), most frequent first
    counts = counts[order]
    keep = counts >= max(40, pixels.shape[0] // 20_000)  # solid fills, not edge blends
    rgb = rgb[keep]
    if len(known):
        near = np.abs(rgb[:, None, :].astype(int) - known[None].astype(int)).max(axis=2)
        rgb = rgb[near.min(axis=1) > EXACT]
    return rgb[:most]


def _nearest(colors: np.ndarray, palette: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``colors`` (n, 3): the index of the nearest ``palette`` entry (Euclidean)
    and the distance to it as the largest channel difference."""
    c = colors.astype(np.int32)[:, None, :]  # (n, 1, 3)
    p = palette.astype(np.int32)[None]  # (1, m, 3)
    index = np.empty(len(colors), dtype=np.int64)
    for lo in range(0, len(colors), 4096):  # in blocks: (4096, m, 3) at most
        d2 = ((c[lo:lo + 4096] - p) ** 2).sum(axis=2)  # (b, m)
        index[lo:lo + 4096] = np.argmin(d2, axis=1)
    gap = np.abs(colors.astype(np.int32) - palette[index].astype(np.int32)).max(axis=1)
    return index, gap


def _unique_colors(pixels: np.ndarray):
    """Unique colours of (n, 3) pixels and the inverse index."""
    keys = pixels.astype(np.uint32) @ np.array([65536, 256, 1], dtype=np.uint32)  # (n,)
    values, inverse = np.unique(keys, return_inverse=True)
    rgb = np.stack([(values >> 16) & 255, (values >> 8) & 255, values & 255], axis=1)
    return rgb.astype(np.uint8), inverse


def build_palette(frames: list[np.ndarray]) -> tuple[np.ndarray, int]:
    """(256, 3) uint8: the categorical colours, the frequent exact ones, a median cut of the
    rest (from all frames); and how many leading entries are exact colours."""
    fixed = categorical_colors()
    fixed = np.concatenate([fixed, _frequent(frames, fixed, FREQUENT)])
    exact_count = min(len(fixed), 256)
    room = 256 - len(fixed)
    step = max(1, int(np.sqrt(sum(f.shape[0] * f.shape[1] for f in frames) / 400_000)))
    sample = np.concatenate([f[::step, ::step].reshape(-1, 3) for f in frames])  # (n, 3)
    colors, inverse = _unique_colors(sample)
    _, gap = _nearest(colors, fixed)
    rest = sample[gap[inverse] > EXACT]
    if room > 0 and len(rest):
        img = Image.fromarray(rest.reshape(1, -1, 3))
        cut = img.quantize(colors=room, method=Image.Quantize.MEDIANCUT)
        extra = np.array(cut.getpalette()[: 3 * room], dtype=np.uint8).reshape(-1, 3)
        fixed = np.concatenate([fixed, extra])
    palette = np.zeros((256, 3), np.uint8)
    palette[: len(fixed)] = fixed[:256]
    return palette, exact_count


def to_indexed(frame: np.ndarray, palette: np.ndarray, exact_count: int) -> Image.Image:
    """``frame`` (h, w, 3) as a "P" image on ``palette``: pixels within EXACT of one of the
    first ``exact_count`` palette colours take it exactly; the others are dithered."""
    h, w, _ = frame.shape
    colors, inverse = _unique_colors(frame.reshape(-1, 3))
    index, gap = _nearest(colors, palette[:exact_count])
    exact = (gap <= EXACT)[inverse].reshape(h, w)  # (h, w) pixels of an exact colour
    pal_img = Image.new("P", (1, 1))
    pal_img.putpalette(palette.reshape(-1).tolist())
    dithered = np.asarray(Image.fromarray(frame).quantize(
        palette=pal_img, dither=Image.Dither.FLOYDSTEINBERG))
    out = np.where(exact, index[inverse].reshape(h, w), dithered).astype(np.uint8)
    image = Image.frombytes("P", (w, h), out.tobytes())
    image.putpalette(palette.reshape(-1).tolist())
    return image


def write_gif(frames: list[np.ndarray], path, fps: float, should_stop=None) -> bool:
    """Write ``frames`` ((h, w, 3) uint8 each) as a looping GIF; ``should_stop()`` is asked
    between frames: True there abandons the file (returns False, writes nothing)."""
    if should_stop is not None and should_stop():
        return False
    palette, exact_count = build_palette(frames)
    images = []
    for f in frames:
        if should_stop is not None and should_stop():
            return False
        images.append(to_indexed(f, palette, exact_count))
    if should_stop is not None and should_stop():
        return False
    images[0].save(path, save_all=True, append_images=images[1:], loop=0,
                   duration=max(20, round(1000 / fps)), optimize=False, disposal=1)
    return True
