"""SVG charts for profiles: counts of indicators in place, partly in place and absent.

Counts, never a score or a rank. Plain SVG with presentation attributes, so it is sharp in
the PDF and shows on pages under a strict CSP (no style attributes, no scripts).
"""

from html import escape

from django.utils.translation import gettext as _

COLOURS = {"yes": "#1e6b34", "partial": "#b8860b", "no": "#a4161a", "na": "#6b7280"}


def dimension_chart_svg(counts: dict[str, int], *, title: str) -> str:
    labels = {
        "yes": _("In place"),
        "partial": _("Partly in place"),
        "no": _("Absent"),
        "na": _("Not applicable"),
    }
    keys = [k for k in ("yes", "partial", "no", "na") if k != "na" or counts.get("na")]
    width, bar_h, gap, label_w = 420, 22, 10, 130
    top = 8
    height = top + len(keys) * (bar_h + gap)
    biggest = max([counts.get(k, 0) for k in keys] + [1])
    scale = (width - label_w - 40) / biggest
    summary = ", ".join(f"{labels[k]}: {counts.get(k, 0)}" for k in keys)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}. {escape(summary)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, key in enumerate(keys):
        y = top + i * (bar_h + gap)
        value = counts.get(key, 0)
        w = max(value * scale, 0)
        parts.append(
            f'<text x="0" y="{y + bar_h * 0.7:.0f}" font-size="12" fill="#1b1f24">{escape(labels[key])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS[key]}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.0f}" font-size="12" fill="#1b1f24">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
