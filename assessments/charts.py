"""Server-side SVG bar charts: the coordinator dashboard's and the profiles' (one module,
one way of escaping: every text goes through `format_html`, nothing is concatenated raw).

The charts are inline `<svg role="img">` with a `<title>` and an `aria-label` that says the
numbers, so a screen reader hears what a sighted reader sees. Pages run under a strict CSP
without inline styles, so no `style` attribute is ever written.

- `stacked_bar_chart`, for the dashboard: colours come from CSS classes
  (static/css/dashboard.css); the table beside each chart is the full alternative. It shows
  progress of the process (shares of the assigned indicators), never a score: bars keep the
  order they are given in, which the dashboard makes alphabetical.
- `dimension_chart_svg`, for a profile (its PDF and its public page): counts of indicators
  in place, partly in place and absent, never a score or a rank. Colours are presentation
  attributes, so the chart is the same in the PDF, which has no dashboard stylesheet.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 210  # room for the longest acronym (26 characters)
BAR_X = LABEL_WIDTH
BAR_WIDTH = WIDTH - LABEL_WIDTH - 16
AXIS_HEIGHT = 22
ROW_HEIGHT = 26
BAR_HEIGHT = 16
GAP = 1.5  # white space between segments, so each colour only needs contrast with white
LABEL_CHARS = 26


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar; `css` names its colour class (`segment-<css>`)."""

    css: str
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    values: Sequence[int]  # one per segment, left to right; the rest of `total` stays empty
    description: str  # the numbers in words, for the tooltip and the spoken summary


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _axis(height: int) -> SafeString:
    ticks = []
    for share in (0, 50, 100):
        x = BAR_X + BAR_WIDTH * share / 100
        ticks.append(
            format_html(
                '<line class="chart-grid" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/>'
                '<text class="chart-tick" x="{x}" y="{label_y}" text-anchor="{anchor}">'
                "{label}</text>",
                x=_num(x),
                top=AXIS_HEIGHT - 4,
                bottom=height - 4,
                label_y=AXIS_HEIGHT - 8,
                anchor={0: "start", 50: "middle", 100: "end"}[share],
                label=_("%(share)s%%") % {"share": share},
            )
        )
    return mark_safe("".join(ticks))  # noqa: S308 (each part is escaped by format_html)


def _bar(bar: Bar, segments: Sequence[Segment], y: int) -> SafeString:
    label = bar.label if len(bar.label) <= LABEL_CHARS else bar.label[: LABEL_CHARS - 1] + "…"
    parts = [
        format_html("<title>{}</title>", bar.description),
        format_html(
            '<text class="chart-label" x="{x}" y="{y}" text-anchor="end">{label}</text>',
            x=LABEL_WIDTH - 8,
            y=y + BAR_HEIGHT - 3,
            label=label,
        ),
        format_html(
            '<rect class="chart-track{empty}" x="{x}" y="{y}" width="{w}" height="{h}"/>',
            empty=" chart-track-empty" if not bar.total else "",
            x=BAR_X,
            y=y,
            w=BAR_WIDTH,
            h=BAR_HEIGHT,
        ),
    ]
    start = 0
    for segment, value in zip(segments, bar.values, strict=True):
        if not bar.total or value <= 0:
            continue
        end = min(start + value, bar.total)
        x0 = BAR_X + BAR_WIDTH * start / bar.total
        x1 = BAR_X + BAR_WIDTH * end / bar.total
        width = x1 - x0 - (GAP if end < bar.total else 0)
        parts.append(
            format_html(
                '<rect class="chart-segment segment-{css}" x="{x}" y="{y}" width="{w}" '
                'height="{h}"/>',
                css=segment.css,
                x=_num(x0),
                y=y,
                w=_num(max(width, 0.5)),
                h=BAR_HEIGHT,
            )
        )
        start = end
    if not bar.total:
        parts.append(
            format_html(
                '<text class="chart-note" x="{x}" y="{y}">{text}</text>',
                x=BAR_X + 6,
                y=y + BAR_HEIGHT - 3,
                text=_("nothing assigned"),
            )
        )
    return format_html(
        '<g class="chart-row">{}</g>',
        mark_safe("".join(parts)),  # noqa: S308 (each part is escaped by format_html)
    )


def stacked_bar_chart(
    *, title: str, bars: Sequence[Bar], segments: Sequence[Segment]
) -> SafeString:
    """Horizontal stacked bars, one per row, each as shares of its own total (0 to 100%)."""
    height = AXIS_HEIGHT + ROW_HEIGHT * max(len(bars), 1) + 4
    summary = " ".join([f"{title}.", *(f"{bar.description}." for bar in bars)])
    rows = format_html_join(
        "",
        "{}",
        ((_bar(bar, segments, AXIS_HEIGHT + i * ROW_HEIGHT + 4),) for i, bar in enumerate(bars)),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        'viewBox="0 0 {width} {height}" aria-label="{summary}"><title>{title}</title>'
        "{axis}{rows}</svg>",
        width=WIDTH,
        height=height,
        summary=summary,
        title=title,
        axis=_axis(height),
        rows=rows,
    )


# --- profiles: one dimension's counts -----------------------------------------------------------

# One neutral blue scale, dark to light, and greys for the answers that are not about the
# measure: nothing reads as red, amber or green, a pass or a fail (the MGI does not score).
PROFILE_COLOURS = {
    "yes": "#1d3f5e",
    "partial": "#4a78a2",
    "no": "#8eaac6",
    "na": "#6b7280",
    "no_info": "#a3a8b0",
}
PROFILE_TEXT_COLOUR = "#1b1f24"
PROFILE_WIDTH = 420
PROFILE_BAR_HEIGHT = 22
PROFILE_GAP = 10
PROFILE_LABEL_WIDTH = 130
PROFILE_TOP = 8


def _count_bar(label: str, value: int, colour: str, y: int, scale: float) -> SafeString:
    """One answer's row: its label, a bar as long as its count, the count after the bar."""
    width = max(value * scale, 0)
    text_y = f"{y + PROFILE_BAR_HEIGHT * 0.7:.0f}"
    return format_html(
        '<text x="0" y="{text_y}" font-size="12" fill="{ink}">{label}</text>'
        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"/>'
        '<text x="{value_x}" y="{text_y}" font-size="12" fill="{ink}">{value}</text>',
        text_y=text_y,
        ink=PROFILE_TEXT_COLOUR,
        label=label,
        x=PROFILE_LABEL_WIDTH,
        y=y,
        w=f"{width:.1f}",
        h=PROFILE_BAR_HEIGHT,
        colour=colour,
        value_x=f"{PROFILE_LABEL_WIDTH + width + 6:.1f}",
        value=value,
    )


def dimension_chart_svg(counts: dict[str, int], *, title: str) -> SafeString:
    """A dimension's indicators in place, partly in place and absent (and not applicable,
    and no information, when there are any): one bar each, as long as its count. "No
    information" is its own bar: an indicator nobody could answer is never shown as absent."""
    labels = {
        "yes": _("In place"),
        "partial": _("Partly in place"),
        "no": _("Absent"),
        "na": _("Not applicable"),
        "no_info": _("No information"),
    }
    optional = ("na", "no_info")
    keys = [k for k in labels if k not in optional or counts.get(k)]
    height = PROFILE_TOP + len(keys) * (PROFILE_BAR_HEIGHT + PROFILE_GAP)
    biggest = max([counts.get(k, 0) for k in keys] + [1])
    scale = (PROFILE_WIDTH - PROFILE_LABEL_WIDTH - 40) / biggest
    summary = ", ".join(f"{labels[k]}: {counts.get(k, 0)}" for k in keys)
    rows = format_html_join(
        "",
        "{}",
        (
            (
                _count_bar(
                    labels[key],
                    counts.get(key, 0),
                    PROFILE_COLOURS[key],
                    PROFILE_TOP + i * (PROFILE_BAR_HEIGHT + PROFILE_GAP),
                    scale,
                ),
            )
            for i, key in enumerate(keys)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'aria-label="{title}. {summary}"><title>{title}</title>{rows}</svg>',
        width=PROFILE_WIDTH,
        height=height,
        title=title,
        summary=summary,
        rows=rows,
    )
