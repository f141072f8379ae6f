"""`newsdag report`: one self-contained HTML file of charts (plotly.js inlined, no network)."""
from __future__ import annotations

import html
import math
from datetime import datetime

import plotly.graph_objects as go


def _bar(rows: list[dict], x: str, y: str, title: str, horizontal: bool = True) -> go.Figure:
    rows = list(reversed(rows)) if horizontal else rows
    xs, ys = [r[x] for r in rows], [r[y] for r in rows]
    trace = go.Bar(x=ys, y=xs, orientation="h") if horizontal else go.Bar(x=xs, y=ys)
    fig = go.Figure(trace)
    fig.update_layout(title=title, height=max(320, 26 * len(rows) + 120), margin=dict(l=220 if horizontal else 60))
    return fig


def events_over_time(rows: list[dict]) -> go.Figure:
    fig = go.Figure()
    for etype in sorted({r["event_type"] for r in rows}):
        sel = [r for r in rows if r["event_type"] == etype]
        fig.add_trace(go.Bar(name=etype, x=[r["month"] for r in sel], y=[r["events"] for r in sel]))
    fig.update_layout(title="Events over time, by type (PLOVER)", barmode="stack", height=420,
                      xaxis_title="month", yaxis_title="events")
    return fig


def cooccurrence_network(rows: list[dict]) -> go.Figure:
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
    fig.update_layout(title="Entity co-occurrence (named in the same document)", height=640,
                      xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig


def render_report(data: dict[str, list[dict]], db_label: str) -> str:
    figures = [
        events_over_time(data["events_by_month"]),
        _bar(data["top_actors"], "name", "events", "Most active actors (events as actor or target)"),
        _bar(data["top_pairs"], "pair", "events", "Most active actor pairs"),
        cooccurrence_network(data["cooccurrence"]),
        _bar(data["stories"], "label", "num_documents", "Stories by size (documents)"),
    ]
    parts = [fig.to_html(full_html=False, include_plotlyjs=(i == 0), div_id=f"chart{i}") for i, fig in enumerate(figures)]
    totals = data["totals"][0] if data["totals"] else {}
    cells = "".join(f"<td><b>{v}</b><br>{html.escape(k)}</td>" for k, v in totals.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newsdag report</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}} td{{padding:0 1.2em;text-align:center}}</style>
</head><body>
<h1>newsdag report</h1>
<p>{html.escape(db_label)} · generated {datetime.now():%Y-%m-%d %H:%M}</p>
<table><tr>{cells}</tr></table>
{''.join(f'<section class="chart">{p}</section>' for p in parts)}
</body></html>"""
