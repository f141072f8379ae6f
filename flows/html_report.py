"""`newsdag report`: one self-contained HTML file of charts (plotly.js inlined, no network).

Every chart says what it leaves out and why (undated events, events below the confidence
threshold, entities that do not look like names), and every count says what it counts.
"""
from __future__ import annotations

import html
import math
from datetime import datetime

import plotly.graph_objects as go

# Up to this many dated events are drawn one dot each (every event visible at any time span);
# more are binned into bars whose width plotly picks for the span.
MAX_EVENT_DOTS = 300


def _bar(rows: list[dict], x: str, y: str, title: str, horizontal: bool = True, empty: str = "nothing to show") -> go.Figure:
    rows = list(reversed(rows)) if horizontal else rows
    xs, ys = [r[x] for r in rows], [r[y] for r in rows]
    trace = go.Bar(x=ys, y=xs, orientation="h") if horizontal else go.Bar(x=xs, y=ys)
    fig = go.Figure(trace)
    fig.update_layout(title=title, height=max(320, 26 * len(rows) + 120), margin=dict(l=220 if horizontal else 60))
    if max(ys or [0]) <= 10:  # small counts: whole-number ticks, no "0.5 events"
        (fig.update_xaxes if horizontal else fig.update_yaxes)(tick0=0, dtick=1)
    if not rows:
        _note(fig, empty)
    return fig


def _note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=html.escape(text), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font=dict(size=14))
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False))


def events_left_out(counts: dict, min_confidence: float) -> str:
    """What the events chart does not show, and why, in words ("" when it shows every event)."""
    parts = []
    if counts.get("undated"):
        parts.append(f"{counts['undated']} without a date")
    if counts.get("low_confidence"):
        parts.append(f"{counts['low_confidence']} below confidence {min_confidence:g}")
    if not parts:
        return ""
    return "Not shown: " + " and ".join(parts) + f" (of {counts.get('events', 0)} events)."


def events_over_time(rows: list[dict], counts: dict, min_confidence: float) -> go.Figure:
    """Dated events by PLOVER type: one dot per event (size by documents) while they are few,
    stacked bars binned to the span when many; the title says how many are drawn of how many."""
    shown, total = len(rows), counts.get("events", len(rows))
    title = (f"Events over time, by type (PLOVER): {shown} of {total} events, "
             f"dated and of confidence ≥ {min_confidence:g}")
    fig = go.Figure()
    types = sorted({r["event_type"] for r in rows})
    if shown and shown <= MAX_EVENT_DOTS:
        for etype in types:
            sel = [r for r in rows if r["event_type"] == etype]
            fig.add_trace(go.Scatter(
                name=etype, x=[r["event_date"] for r in sel], y=[etype] * len(sel), mode="markers",
                marker=dict(size=[10 + 4 * math.sqrt(r["num_documents"] or 1) for r in sel], opacity=0.75,
                            line=dict(width=1, color="white")),
                text=[_event_hover(r) for r in sel], hoverinfo="text"))
        fig.update_layout(yaxis=dict(type="category", categoryorder="array", categoryarray=types),
                          height=max(300, 42 * len(types) + 180))
    elif shown:
        for etype in types:
            sel = [r for r in rows if r["event_type"] == etype]
            fig.add_trace(go.Histogram(name=etype, x=[r["event_date"] for r in sel]))
        fig.update_layout(barmode="stack", yaxis_title="events", height=440)
    else:
        _note(fig, "No dated event to draw.")
        fig.update_layout(height=300)
    note = events_left_out(counts, min_confidence)
    if note:
        note += " Undated events are listed in the event_timeline view."
    fig.update_layout(title=dict(text=html.escape(title) + (f"<br><sup>{html.escape(note)}</sup>" if note else "")),
                      xaxis_title="event date", margin=dict(l=120, t=90), legend_title_text="type")
    return fig


def _event_hover(r: dict) -> str:
    who = html.escape(r.get("actors") or "?")
    whom = f" → {html.escape(r['targets'])}" if r.get("targets") else ""
    where = f" · {html.escape(r['location'])}" if r.get("location") else ""
    return (f"{r['event_type']}: {who}{whom}{where}<br>{r['event_date']} ({r.get('date_precision') or 'day'}) · "
            f"{r['num_documents']} document(s) · confidence {r['confidence']:.2f}")


def cooccurrence_network(rows: list[dict], rule: dict | None = None) -> go.Figure:
    """Entities on a circle, an edge per pair named together, width by documents."""
    names = sorted({r["name_1"] for r in rows} | {r["name_2"] for r in rows})
    pos = {n: (math.cos(2 * math.pi * i / max(1, len(names))), math.sin(2 * math.pi * i / max(1, len(names))))
           for i, n in enumerate(names)}
    fig = go.Figure()
    top = max([r["num_documents"] for r in rows] or [1])
    for r in rows:
        (x0, y0), (x1, y1) = pos[r["name_1"]], pos[r["name_2"]]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="text",
                                 text=f"{r['name_1']} – {r['name_2']}: {r['num_documents']} documents",
                                 line=dict(width=1 + 5 * r["num_documents"] / top, color="rgba(80,80,160,0.35)"),
                                 showlegend=False))
    degree = {n: 0 for n in names}
    for r in rows:
        degree[r["name_1"]] += r["num_documents"]
        degree[r["name_2"]] += r["num_documents"]
    fig.add_trace(go.Scatter(x=[pos[n][0] for n in names], y=[pos[n][1] for n in names], mode="markers+text",
                             text=names, textposition="top center", showlegend=False,
                             marker=dict(size=[8 + 3 * math.sqrt(degree[n]) for n in names], color="#c0392b")))
    rule = rule or {}
    subtitle = (f"{len(rows)} strongest pairs of {len(names)} entities. Drawn: {rule.get('labels', 'named entities')}"
                f" named in ≥ {rule.get('min_documents', 2)} documents, under their own label in ≥ "
                f"{100 * rule.get('min_label_agreement', 0.5):.0f}% of mentions, shaped like a name")
    fig.update_layout(title=dict(text="Entity co-occurrence (named in the same ok document)<br><sup>"
                                 + html.escape(subtitle) + "</sup>"),
                      height=680, xaxis=dict(visible=False), yaxis=dict(visible=False))
    if not rows:
        _note(fig, "No pair of entities passes the filter.")
    return fig


def header_cells(totals: dict, counts: dict, min_confidence: float) -> list[tuple[str, str]]:
    """(value, label) pairs for the header: each label says exactly what is counted."""
    if not totals:
        return []
    events = f"{totals['events']}"
    shown = counts.get("events", 0) - counts.get("low_confidence", 0)
    return [
        (str(totals["documents"]), "documents read"),
        (str(totals["ok"]), "ok (body kept)"),
        (str(totals["duplicates"]), "duplicates"),
        (str(totals["rejected"]), "rejected"),
        (str(totals["stories"]), "stories"),
        (str(totals["entities"]), "entities"),
        (str(totals["quotes"]), "quotes"),
        (events, "events"),
        (str(shown), f"events of confidence ≥ {min_confidence:g}"),
    ]


def render_report(data: dict[str, list[dict]], db_label: str, min_confidence: float = 0.5) -> str:
    counts = (data.get("event_counts") or [{}])[0]
    scope = f"events of confidence ≥ {min_confidence:g}"
    figures = [
        events_over_time(data["events"], counts, min_confidence),
        _bar(data["top_actors"], "name", "events", f"Most active actors (events as actor or target; {scope})",
             empty=f"No {scope} has an actor or target."),
        _bar(data["top_pairs"], "pair", "events", f"Most active actor pairs (→ actor to target, – acting together; {scope})",
             empty=f"No {scope} has two parties."),
        cooccurrence_network(data["cooccurrence"], (data.get("network_rule") or [{}])[0]),
        _bar(data["stories"], "label", "num_documents", "Stories by size (documents)"),
    ]
    parts = [fig.to_html(full_html=False, include_plotlyjs=(i == 0), div_id=f"chart{i}") for i, fig in enumerate(figures)]
    totals = data["totals"][0] if data["totals"] else {}
    cells = "".join(f"<td><b>{html.escape(v)}</b><br>{html.escape(k)}</td>"
                    for v, k in header_cells(totals, counts, min_confidence))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsdag report</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}} td{{padding:0 1.2em;text-align:center}}</style>
</head><body>
<h1>newsdag report</h1>
<p>{html.escape(db_label)} · generated {datetime.now():%Y-%m-%d %H:%M}</p>
<table><tr>{cells}</tr></table>
{''.join(f'<section class="chart">{p}</section>' for p in parts)}
</body></html>"""
