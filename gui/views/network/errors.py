"""The unfolded view's backward picture: arrows of errors along the lanes, by source, by the
gradient step that needs them or by magnitude; a long sequence's overview and heat map. Every
model kind goes through gui.model.present.unfolded_errors, which puts its errors on the view's
columns (a bidirectional model's backward-direction errors travel forward in time, mirrored)."""

from __future__ import annotations

import numpy as np

from ... import colors
from ...model.present import unfolded_text as words
from ...model.present.arrows import error_arrows
from ...model.present.unfolded_errors import error_picture, forward_segments, mirrored
from ...model.present.unfolded_layout import (
    article_steps,
    error_segments,
    gradient_step_arrows,
    long_segments,
    overview_arrows,
)

WIDTHS = (1.0, 2.0, 3.0, 4.5)  # error arrows, by log |delta|
EMPTY = np.zeros((0, 2, 2))


def levels(mags: np.ndarray, vmax: float) -> np.ndarray:
    """(n,) 1 for the largest error, 0 for DECADES below it (log scale)."""
    with np.errstate(all="ignore"):
        level = 1 + np.log10(mags / vmax) / words.DECADES
    return np.clip(np.nan_to_num(level, nan=1.0, posinf=1.0, neginf=0.0), 0, 1)


def width_bins(mags: np.ndarray, vmax: float) -> np.ndarray:
    return np.minimum((levels(mags, vmax) * 4).astype(int), 3)


def rect_segments(boxes: np.ndarray) -> np.ndarray:
    """(4n, 2, 2) the sides of rectangles (n, 4) x0, y0, x1, y1."""
    x0, y0, x1, y1 = boxes.T
    corners = [np.stack([x0, y0], 1), np.stack([x1, y0], 1), np.stack([x1, y1], 1),
               np.stack([x0, y1], 1)]
    return np.concatenate([np.stack([corners[i], corners[(i + 1) % 4]], axis=1)
                           for i in range(4)])


class ErrorsMixin:
    """Drawing of the errors; needs ``lay``, ``errors``, ``frames``, ``norm_map``, ``theme``."""

    def _draw_errors(self, frame) -> None:
        """Backward: the arrows of errors that have reached their steps so far."""
        cursor, lay = frame.cursor, self.lay
        self.frames.set(EMPTY, np.zeros(0), {})
        self.steps = ()
        if cursor.phase != "backward":
            self._arrow_table = np.zeros((0, 3))
            self.errors.set(EMPTY, np.zeros(0), {})
            self._draw_map(frame, visible=cursor.phase == "update")
            return
        pic = error_picture(frame.result)
        self.picture = pic
        vmax = colors.finite_max(np.concatenate([pic.back.ravel(), pic.own]
                                                + ([pic.forward_in_time.ravel()]
                                                   if pic.forward_in_time is not None else [])))
        mode = frame.options["network"].color_by
        if lay.overview:
            parts = self._overview_parts(pic, cursor.t, mode == "step")
        elif mode == "step":
            parts = self._step_parts(pic, cursor.t)
        else:
            parts = self._source_parts(pic, cursor.t)
        segs = np.concatenate([p[0] for p in parts]) if parts else EMPTY
        s_idx, t_idx, mags, hue, thin = (np.concatenate([p[i] for p in parts]) if parts
                                         else np.zeros(0) for i in range(1, 6))
        s_idx, t_idx = s_idx.astype(int), t_idx.astype(int)
        if mode == "magnitude":
            hue = 100 + np.minimum((levels(mags, vmax) * 8).astype(int), 7)
        elif mode != "step":
            hue = (s_idx - lay.t_enc) % len(colors.SOURCE_HEX)
        self._arrow_table = np.stack([s_idx + 1, t_idx + 1, mags], axis=1)
        hue = np.where(np.isfinite(mags), hue, 200).astype(int)
        style = hue * 4 + np.where(thin.astype(bool), 0, width_bins(mags, vmax))
        self.errors.set(segs, style, self._error_pens(style))
        if mode == "step":
            self._draw_step_frames(lay)
        self._draw_map(frame, visible=True)

    def _error_pens(self, style: np.ndarray) -> dict:
        pens = {}
        for code in np.unique(style):
            h, b = divmod(int(code), 4)
            if h == 200:
                rgb = colors.NONFINITE_RGB
            elif h >= 300:
                rgb = colors.hex_to_rgb(colors.STEP_HEX[(h - 300) % len(colors.STEP_HEX)])
            elif h >= 100:
                rgb = tuple(int(v) for v in colors.TABLES["viridis"][(h - 100) * 36 + 3])
            else:
                rgb = colors.hex_to_rgb(colors.SOURCE_HEX[h])
            pens[int(code)] = colors.pen(rgb, WIDTHS[b] * self._scale())
        return pens

    def _source_parts(self, pic, t: int) -> list:
        """Every arrow each loss's error has travelled so far, both directions."""
        lay = self.lay
        s, k, m = error_arrows(pic.back, pic.mask, t, lay.bundle, lay.t_enc)
        m = np.where(s == k, pic.own[s], m)  # a loss sends its whole error into its column
        self._arrow_bundle = lay.bundle
        parts = [(error_segments(lay, s, k), s, k, m, np.zeros(len(s)), np.zeros(len(s)))]
        if pic.forward_in_time is not None:
            s2, k2, m2 = mirrored(error_arrows, pic.forward_in_time, pic.mask, t, lay.bundle)
            own = s2 == k2
            enters = own & (s2 < t - 1)  # losses only h←'s pass has reached: their own entry
            s3 = s2[enters]
            parts.append((error_segments(lay, s3, s3), s3, s3, pic.own[s3], np.zeros(len(s3)),
                          np.zeros(len(s3))))
            s2, k2, m2 = s2[~own], k2[~own], m2[~own]
            parts.append((forward_segments(lay, s2, k2), s2, k2, m2, np.zeros(len(s2)),
                          np.zeros(len(s2))))
        return parts

    def _step_parts(self, pic, t: int) -> list:
        """The errors each per-step gradient (dJ/dtheta)^(k) needs, in k's colour, side by side
        (the simple-RNN article's figure)."""
        lay = self.lay
        self.steps = article_steps(lay.T - lay.t_enc, _shifted(t, lay.t_enc))
        cols = tuple(k + lay.t_enc for k in self.steps)
        n = len(cols)
        parts = []
        for i, (_k, s, j, m) in enumerate(gradient_step_arrows(pic.back, pic.mask, cols, t)):
            off = np.full(len(s), (i - (n - 1) / 2) * 0.09)
            parts.append((error_segments(lay, s, j, off), s, j, m, np.full(len(s), 300 + i),
                          np.zeros(len(s))))
        if pic.forward_in_time is not None:
            T = lay.T
            mirror_cols = tuple(T + 1 - c for c in cols)
            groups = gradient_step_arrows(pic.forward_in_time[::-1, ::-1], pic.mask[::-1],
                                          mirror_cols, t)  # the mirrored cursor is t itself
            for i, (_k, s, j, m) in enumerate(groups):
                s, j = T - 1 - s, T - 1 - j
                along = s != j
                s, j, m = s[along], j[along], m[along]
                parts.append((forward_segments(lay, s, j), s, j, m, np.full(len(s), 300 + i),
                              np.zeros(len(s))))
        self._arrow_bundle = 1
        return parts

    def _overview_parts(self, pic, t: int, by_step: bool) -> list:
        """Long sequences: every loss reaching the cursor's column as one arrow along its lane,
        as wide as it arrives; each loss entering its column, thin."""
        lay = self.lay
        self._arrow_bundle = lay.bundle
        lane_s, start, norm, own, _ = overview_arrows(pic.back, pic.mask, t, lay.bundle,
                                                      lay.t_enc)
        own_norm = pic.own[own]
        parts = [(long_segments(lay, lane_s, start, t), lane_s, np.full(lane_s.size, t - 1),
                  norm, np.zeros(lane_s.size), np.zeros(lane_s.size)),
                 (error_segments(lay, own, own), own, own, own_norm, np.zeros(own.size),
                  np.ones(own.size))]
        if pic.forward_in_time is not None:
            T = lay.T
            ls, st, nm, _, _ = overview_arrows(pic.forward_in_time[::-1, ::-1], pic.mask[::-1],
                                               t, lay.bundle)
            ls, st = T - 1 - ls, T - 1 - st  # mirrored back: errors arriving at h←(T + 1 - t)
            target = T - t
            y = lay.lane_of(ls)
            segs = np.stack([np.stack([lay.boxes[st, 2], y], axis=1),
                             np.stack([np.full(st.size, lay.boxes[target, 0]), y], axis=1)],
                            axis=1)
            parts.append((segs, ls, np.full(ls.size, target), nm, np.zeros(ls.size),
                          np.zeros(ls.size)))
        if by_step:  # the errors (dJ/dtheta)^(t) needs: exactly those arriving at h(t)
            self.steps = (t - lay.t_enc,) if t > lay.t_enc else ()
            parts = [(p[0], p[1], p[2], p[3], np.full(len(p[1]), 300), p[5]) for p in parts]
        return parts

    def _draw_step_frames(self, lay) -> None:
        """A frame in each coloured step's colour around its column h(k) (the article's coloured
        frames around the per-step gradients)."""
        segs, style = [], []
        for i, k in enumerate(self.steps):
            box = lay.boxes[k - 1 + lay.t_enc].copy()
            grow = 0.05 + 0.04 * i
            box += np.array([-grow, -grow, grow, grow])
            r = rect_segments(box[None])
            segs.append(r)
            style.append(np.full(len(r), i))
        if not segs:
            self.frames.set(EMPTY, np.zeros(0), {})
            return
        pens = {i: colors.pen(colors.STEP_HEX[i % len(colors.STEP_HEX)], 2.0 * self._scale())
                for i in range(len(self.steps))}
        self.frames.set(np.concatenate(segs), np.concatenate(style), pens)

    def _draw_map(self, frame, *, visible: bool) -> None:
        lay = self.lay
        on = lay.overview and visible
        self.norm_map.set_visible(on)
        if not on:
            return
        pic = error_picture(frame.result)
        norms = pic.back if pic.forward_in_time is None else np.hypot(pic.back,
                                                                      pic.forward_in_time)
        T = lay.T
        s, t = np.meshgrid(np.arange(T), np.arange(T), indexing="ij")
        shown = pic.mask[s] == 1
        if pic.forward_in_time is None:
            shown &= s >= t
        cursor_t = None
        if frame.cursor.phase == "backward":
            if pic.forward_in_time is None:
                shown &= t + 1 >= frame.cursor.t
            cursor_t = frame.cursor.t
        self.norm_map.set(norms, shown, words.DECADES, cursor_t, self.theme)


def _shifted(t: int, t_enc: int):
    """A backward cursor at column t, as a moment of the decoder's steps (for the article's
    choice of steps to colour)."""
    from ...model.cursor import Cursor

    return Cursor("backward", max(1, t - t_enc))
