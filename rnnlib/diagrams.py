"""Pictures of the network, drawn by code so that they can be regenerated: the RNN cell, the
graph unrolled over T steps with shared U, W, b, and the backward flow of the error with the
truncation window k marked.

Each ``draw_*`` function draws into a matplotlib Axes (a new figure if none is given) and returns
the figure. Only numpy is needed to import this module; matplotlib is imported when drawing.
"""

from __future__ import annotations

from rnnlib._checks import positive_int

# colours: forward quantities, shared parameters, the error flowing back, what truncation drops
FORWARD = "#1f77b4"
SHARED = "#2ca02c"
ERROR = "#d62728"
DROPPED = "0.75"


def _sub(n: int) -> str:
    """n as subscript digits (plain text draws faster than mathtext)."""
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _axes(ax, size):
    if ax is not None:
        return ax.figure, ax
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    return fig, ax


def _box(ax, x, y, text, width=0.9, height=0.5, color=FORWARD, fill="white", size=11):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.08",
                                facecolor=fill, edgecolor=color, linewidth=1.5))
    ax.text(x, y, text, ha="center", va="center", fontsize=size, color="black")


def _arrow(ax, start, end, color="0.2", text=None, offset=(0.0, 0.12), style="-|>", rad=0.0,
           size=10, lw=1.4):
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": style, "color": color, "lw": lw,
                            "connectionstyle": f"arc3,rad={rad}", "shrinkA": 2, "shrinkB": 2})
    if text:
        x = (start[0] + end[0]) / 2 + offset[0]
        y = (start[1] + end[1]) / 2 + offset[1]
        ax.text(x, y, text, ha="center", va="center", fontsize=size, color=color)


def _finish(ax, xlim, ylim, title):
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=12)


def draw_cell(ax=None):
    """One step of the network: a_t = U x_t + W h_{t-1} + b, h_t = tanh(a_t), and the read-out
    y_hat = V h_T + c, which the many-to-one model applies after the last step only.

    Parameters
    ----------
    ax : matplotlib Axes or None
        Where to draw (its figure is returned); None draws into a new pyplot figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into.
    """
    fig, ax = _axes(ax, (7.5, 3.6))
    _box(ax, 0.0, 0.0, "$x_t$", 0.7)
    _box(ax, 0.0, 2.2, "$h_{t-1}$", 0.8)
    _box(ax, 2.3, 1.1, "$a_t = U x_t + W h_{t-1} + b$", 2.9, 0.6, color=SHARED)
    _box(ax, 5.0, 1.1, "$h_t = \\tanh(a_t)$", 1.9, 0.6)
    _box(ax, 7.4, 1.1, "$h_t$", 0.7)
    _box(ax, 7.4, 2.9, "$\\hat y = V h_T + c$", 1.9, 0.6, color=SHARED)
    _arrow(ax, (0.35, 0.1), (1.2, 0.85), SHARED, "$U$", (0.05, -0.3))
    _arrow(ax, (0.4, 2.1), (1.2, 1.35), SHARED, "$W$", (0.05, 0.3))
    _arrow(ax, (3.75, 1.1), (4.05, 1.1))
    _arrow(ax, (5.95, 1.1), (7.05, 1.1))
    _arrow(ax, (7.4, 1.35), (7.4, 2.6), "0.4", "after the last\nstep only",
           (-0.95, 0.0), size=9)
    _arrow(ax, (7.4, 0.85), (0.0, 1.95), "0.5", "$h_t$ becomes the next step's $h_{t-1}$",
           (0.1, -2.25), rad=-0.45, size=9)
    _finish(ax, (-0.6, 8.5), (-1.1, 3.4), "One step of the RNN (the cell)")
    return fig


def draw_unrolled(steps_shown: int = 4, ax=None):
    """The network unrolled over time: h_0 -> h_1 -> ... -> h_T -> y_hat, every step with the
    same U, W, b.

    Parameters
    ----------
    steps_shown : int
        The number of step boxes drawn, >= 1 (the last one is step T, after a gap).
    ax : matplotlib Axes or None
        Where to draw; None draws into a new pyplot figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into.

    Raises
    ------
    TypeError
        For a steps_shown that is not an integer.
    ValueError
        For steps_shown < 1.
    """
    n = positive_int(steps_shown, "steps_shown")
    fig, ax = _axes(ax, (9.5, 3.2))
    labels = [f"{t}" for t in range(1, n)] + ["T"]
    _box(ax, 0.0, 1.0, "$h_0 = 0$", 1.0)
    x_prev = 0.5
    for i, t in enumerate(labels):
        x = 1.8 + 1.9 * i + (0.8 if i == n - 1 else 0.0)
        if i == n - 1:
            ax.text(x - 1.35, 1.0, "…", ha="center", va="center", fontsize=16)
        _box(ax, x, 1.0, f"step {t}\n$U, W, b$", 1.1, 0.75, color=SHARED, size=10)
        _box(ax, x, -0.6, f"$x_{{{t}}}$", 0.6, 0.45)
        _arrow(ax, (x, -0.37), (x, 0.62))
        if i < n - 1 or n == 1:
            label = f"$h_{{{i}}}$" if i > 0 else None  # the state entering step i + 1
            _arrow(ax, (x_prev, 1.0), (x - 0.55, 1.0), "0.2", label, (0.0, 0.22))
        else:
            _arrow(ax, (x - 1.1, 1.0), (x - 0.55, 1.0), "0.2")
        x_prev = x + 0.55
    _box(ax, x_prev + 1.5, 1.0, "$\\hat y = V h_T + c$", 1.9, 0.55, color=SHARED, size=10)
    _arrow(ax, (x_prev, 1.0), (x_prev + 0.55, 1.0), "0.2", "$h_T$", (0.0, 0.22))
    ax.text((x_prev + 2.5) / 2, 2.0, "the same $U$, $W$, $b$ in every step: shared over time",
            ha="center", va="center", fontsize=10, color=SHARED)
    _finish(ax, (-0.6, x_prev + 2.6), (-1.0, 2.3), "The RNN unrolled over T steps")
    return fig


def draw_backward(truncation: int | None, T: int = 50, ax=None):
    """The error's way back through the unrolled network, one small box per step t = 1 .. T.

    The loss sees h_T only; the error enters there and flows back through the last k steps
    (red; the truncation window, rnnlib.bptt's definition), each adding its share to dU, dW,
    db. Steps before the window (grey) get no error: h_{T-k} is held constant.

    Parameters
    ----------
    truncation : int or None
        k >= 1; None or k >= T is full BPTT.
    T : int
        The window length, >= 1 (default 50).
    ax : matplotlib Axes or None
        Where to draw; None draws into a new pyplot figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into.

    Raises
    ------
    TypeError
        For a T or truncation that is not an integer.
    ValueError
        For T < 1 or truncation < 1.
    """
    T = positive_int(T, "T")
    k = T if truncation is None else min(positive_int(truncation, "truncation"), T)
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    fig, ax = _axes(ax, (10.0, 2.2))
    first = T - k + 1  # earliest step the error reaches
    boxes = [Rectangle((t - 0.4, -0.3), 0.8, 0.6) for t in range(1, T + 1)]
    colors = [ERROR if t >= first else DROPPED for t in range(1, T + 1)]
    ax.add_collection(PatchCollection(boxes, facecolors="white", edgecolors=colors,
                                      linewidths=1.2))
    ax.plot([0.6, T + 0.4], [0.55, 0.55], color="0.45", lw=1.0)
    _arrow(ax, (T - 1.0, 0.55), (T + 0.6, 0.55), "0.45")
    ax.text(1.0, 0.85, f"forward: h{_sub(0)} → h{_sub(1)} → … → h{_sub(T)}", ha="left",
            va="center", fontsize=9, color="0.35")
    _box(ax, T + 2.9, 0.0, "loss L", 3.4, 0.7, color=ERROR, size=10)
    _arrow(ax, (T + 1.2, -0.2), (T + 0.45, -0.2), ERROR)
    if k > 1:
        _arrow(ax, (T + 0.2, -0.55), (first - 0.2, -0.55), ERROR, style="-|>", lw=1.8)
    if k < T:
        words = f"error flows back through the last k = {k} step{'s' if k > 1 else ''}"
        words += f" (t = {first} .. {T})" if k > 1 else f" (t = {T})"
    else:
        words = f"full BPTT: the error reaches every step (k = T = {T})"
    ax.text(T + 4.6, -1.0, words, ha="right", va="center", fontsize=9, color=ERROR)
    if k < T:
        ax.plot([first - 0.5, first - 0.5], [-0.7, 0.75], color="0.2", lw=1.2, ls="--")
        left = first >= 0.56 * T  # room left of the line, beside the "forward" label
        ax.text(first - 0.8 if left else first - 0.2, 0.85, f"h{_sub(first - 1)} held constant",
                ha="right" if left else "left", va="center", fontsize=9, color="0.3")
        if first > 12:
            ax.text(first / 2, -0.55, "no error reaches these steps", ha="center",
                    va="center", fontsize=9, color="0.5")
    for t in sorted({1, first, T}):
        ax.text(t, 0.0, f"{t}", ha="center", va="center", fontsize=6 if T > 20 else 8,
                color="0.2")
    _finish(ax, (0.0, T + 4.8), (-1.3, 1.1), f"Backward through time, truncation depth k = {k}")
    ax.set_aspect("auto")
    return fig


# --- the gated cells (notebook 08) ----------------------------------------------------------

GATE = "#ff7f0e"  # a gate, and the gated copy path it controls


def draw_gru_cell(ax=None):
    """One step of the GRU (rnnlib.gated, the variant of torch.nn.GRU): the reset gate r_t, the
    update gate z_t, the candidate n_t and the mix h_t = (1 - z_t) n_t + z_t h_{t-1}, with the
    copy path from h_{t-1} to h_t drawn in the gates' colour.

    Parameters
    ----------
    ax : matplotlib Axes or None
        Where to draw (its figure is returned); None draws into a new pyplot figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into.
    """
    fig, ax = _axes(ax, (9.0, 4.4))
    _box(ax, 0.0, 3.4, "$h_{t-1}$", 0.8)
    _box(ax, 0.0, 0.0, "$x_t$", 0.7)
    _box(ax, 2.9, 2.2, "$r_t = \\sigma(U_r x_t + W_r h_{t-1} + b_r)$", 3.5, 0.55, GATE)
    _box(ax, 2.9, 1.2, "$z_t = \\sigma(U_z x_t + W_z h_{t-1} + b_z)$", 3.5, 0.55, GATE)
    _box(ax, 7.4, 2.2, "$n_t = \\tanh(U_n x_t + b_{xn}$\n$+\\, r_t \\odot (W_n h_{t-1} + b_n))$",
         3.4, 0.9, SHARED, size=10)
    _box(ax, 7.4, 0.3, "$h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}$", 3.6, 0.55)
    _box(ax, 10.2, 0.3, "$h_t$", 0.6)
    for y in (2.2, 1.2):
        _arrow(ax, (0.35, 0.15), (1.1, y - 0.2), "0.45")
        _arrow(ax, (0.4, 3.3), (1.1, y + 0.2), "0.45")
    _arrow(ax, (0.35, -0.05), (5.7, 1.95), "0.45", rad=0.25)
    _arrow(ax, (0.4, 3.45), (5.7, 2.5), "0.45", rad=-0.1)
    _arrow(ax, (4.65, 2.2), (5.7, 2.2), GATE, "$r_t$", (0.0, 0.15), size=10)
    _arrow(ax, (4.65, 1.1), (6.2, 0.58), GATE, "$z_t$", (0.1, 0.2), size=10)
    _arrow(ax, (7.4, 1.75), (7.4, 0.58), SHARED, "$n_t$", (0.25, 0.0), size=10)
    _arrow(ax, (9.2, 0.3), (9.9, 0.3))
    # the copy path: h_{t-1} straight to the mix, weighted by z_t
    ax.plot([0.4, 9.6, 9.6], [3.75, 3.75, 0.9], color=GATE, lw=2.0)
    _arrow(ax, (9.6, 0.9), (8.9, 0.58), GATE, lw=2.0)
    ax.text(5.0, 3.95, "copy path: $z_t \\odot h_{t-1}$ (where $z_t \\approx 1$, "
            "$h_t \\approx h_{t-1}$ and the error passes back undiminished)",
            ha="center", va="center", fontsize=9, color=GATE)
    _finish(ax, (-0.6, 10.7), (-0.5, 4.2), "One step of the GRU")
    return fig


def draw_lstm_cell(ax=None):
    """One step of the LSTM (rnnlib.lstm, the gates of torch.nn.LSTM): the input, forget and
    output gates i_t, f_t, o_t, the candidate g_t, the memory cell c_t = f_t c_{t-1} + i_t g_t
    (its copy path drawn in the gates' colour) and the state h_t = o_t tanh(c_t).

    Parameters
    ----------
    ax : matplotlib Axes or None
        Where to draw (its figure is returned); None draws into a new pyplot figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn into.
    """
    fig, ax = _axes(ax, (9.0, 4.4))
    _box(ax, 0.0, 3.4, "$c_{t-1}$", 0.8, color=GATE)
    _box(ax, 0.0, 1.6, "$h_{t-1}$", 0.8)
    _box(ax, 0.0, 0.0, "$x_t$", 0.7)
    rows = [("$i_t = \\sigma(\\ldots)$", 2.55, GATE), ("$f_t = \\sigma(\\ldots)$", 1.75, GATE),
            ("$g_t = \\tanh(\\ldots)$", 0.95, SHARED), ("$o_t = \\sigma(\\ldots)$", 0.15, GATE)]
    for text, y, color in rows:
        _box(ax, 2.6, y, text, 2.0, 0.5, color, size=10)
        _arrow(ax, (0.4, 1.55), (1.6, y), "0.45")
        _arrow(ax, (0.35, 0.1), (1.6, y - 0.1), "0.45")
    ax.text(2.6, -0.45, "each: $U_\\ast x_t + W_\\ast h_{t-1} + b_\\ast$", ha="center",
            va="center", fontsize=9, color="0.3")
    _box(ax, 6.4, 2.15, "$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$", 3.1, 0.55, GATE)
    _box(ax, 6.4, 0.45, "$h_t = o_t \\odot \\tanh(c_t)$", 2.4, 0.55)
    _arrow(ax, (3.6, 2.55), (4.85, 2.25), GATE, "$i_t$", (0.0, 0.2), size=10)
    _arrow(ax, (3.6, 1.75), (4.85, 2.05), GATE, "$f_t$", (0.0, -0.22), size=10)
    _arrow(ax, (3.6, 0.95), (4.95, 1.9), SHARED, "$g_t$", (0.2, -0.15), size=10)
    _arrow(ax, (3.6, 0.15), (5.2, 0.4), GATE, "$o_t$", (0.0, -0.2), size=10)
    _arrow(ax, (6.4, 1.87), (6.4, 0.73), GATE, "$c_t$", (0.25, 0.0), size=10)
    ax.plot([0.4, 6.4], [3.4, 3.4], color=GATE, lw=2.0)
    _arrow(ax, (6.4, 3.4), (6.4, 2.43), GATE, lw=2.0)
    _arrow(ax, (7.95, 2.15), (9.4, 2.15), GATE, "$c_t$", (0.0, 0.18), size=10)
    _arrow(ax, (7.6, 0.45), (9.4, 0.45), "0.2", "$h_t$", (0.0, 0.18), size=10)
    ax.text(4.2, 3.65, "copy path: $f_t \\odot c_{t-1}$ (where $f_t \\approx 1$ the memory and "
            "its error pass undiminished)", ha="center", va="center", fontsize=9, color=GATE)
    _finish(ax, (-0.6, 9.8), (-0.7, 3.9), "One step of the LSTM")
    return fig
