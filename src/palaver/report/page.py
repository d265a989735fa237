"""The pieces of a self-contained HTML page: style, tables, figures, the step player.

Everything is inline (CSS, images as base64 PNG, a few lines of plain
JavaScript), so the file opens anywhere without a network or a server.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from palaver.report.style import to_data_uri

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;
padding:1rem 1.5rem;color:#222;background:#fff}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.4rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.plots{display:flex;flex-wrap:wrap;gap:1rem}
figure.plot{margin:0;flex:1 1 480px;max-width:100%}
figure.plot img{max-width:100%;height:auto;border:1px solid #eee}
figure.plot figcaption{font-size:.8rem;color:#555}
#player{background:#fafafa;border:1px solid #ddd;padding:.6rem 1rem;border-radius:4px}
#player input[type=range]{width:100%}
.muted{color:#666;font-size:.85rem}
.tag{display:inline-block;padding:0 .35rem;border-radius:3px;font-size:.75rem;color:#fff}
.agreement,.signed,.executed{background:#009E73}.breached,.breach{background:#D55E00}
.cancelled,.failure,.timeout,.error{background:#666}
"""

# The step player: shows what happened at the chosen step. Plain DOM calls and
# textContent only (no innerHTML), so recorded names cannot inject markup.
PLAYER_JS = """
(function(){
  var data = JSON.parse(document.getElementById('step-data').textContent);
  var slider = document.getElementById('step-slider');
  var view = document.getElementById('step-view');
  var label = document.getElementById('step-label');
  var world = document.getElementById('player').getAttribute('data-world') === '1';
  function el(tag, text, cls){var e=document.createElement(tag);
    if(text!==undefined&&text!==null){e.textContent=String(text);}
    if(cls){e.className=cls;} return e;}
  function section(title, rows, more, render){
    var box=el('div'); box.appendChild(el('h3', title + ' (' + (rows.length + more) + ')'));
    if(!rows.length){box.appendChild(el('p','none','muted')); return box;}
    var ul=el('ul'); rows.forEach(function(r){ul.appendChild(render(r));});
    if(more){ul.appendChild(el('li','... and ' + more + ' more','muted'));}
    box.appendChild(ul); return box;}
  function item(id, kind, who){var li=el('li'); li.appendChild(el('code', id)); li.appendChild(
    document.createTextNode(' ')); li.appendChild(el('span', kind, 'tag ' + kind));
    if(who){li.appendChild(document.createTextNode(' ' + who));} return li;}
  function show(k){
    var d = data[k]; label.textContent = 'step ' + d.step + ' of ' + data[data.length-1].step;
    view.setAttribute('data-step', String(d.step));
    while(view.firstChild){view.removeChild(view.firstChild);}
    var types = Object.keys(d.types).sort(function(a, b){return d.types[b] - d.types[a];})
      .map(function(t){return t + ' ' + d.types[t];});
    view.appendChild(el('p', 'events: ' + (types.length ? types.join(', ') : 'none'), 'types'));
    if(world){
      view.appendChild(el('p', d.requested + ' negotiation request(s) at this step'));
      var totals = Object.keys(d.counts).sort().map(function(k){return k + ': ' + d.counts[k];});
      view.appendChild(el('p', totals.length ? totals.join(', ') : 'nothing ended', 'counts'));
      view.appendChild(section('Negotiations ended', d.negotiations, d.more.negotiations,
        function(r){return item(r[0], r[1], (r[2]||[]).join(' & '));}));
      view.appendChild(section('Contract events', d.contracts, d.more.contracts,
        function(r){return item(r[0], r[1], (r[2]||[]).join(' & '));}));
      view.appendChild(section('Breaches', d.breaches, d.more.breaches,
        function(r){return item(r[0], r[2] || 'breach',
          'by ' + r[1] + ((r[3]||[]).length ? ' against ' + r[3].join(', ') : ''));}));
    }
    if(d.states.length){
      view.appendChild(section('State changes', d.states, d.more.states, function(r){
        var li=el('li'); li.appendChild(el('code', r[0]));
        li.appendChild(document.createTextNode(' ' + r[1])); return li;}));
    }
  }
  slider.addEventListener('input', function(){show(Number(slider.value));});
  show(Number(slider.value));
})();
"""


def esc(value: Any) -> str:
    """HTML-escaped text of any value."""
    return html.escape(str(value), quote=True)


def _cell(value: Any) -> str:
    if value is None:  # a manifest field the run did not set (a Mesa model's run id)
        return "<td>-</td>"
    if isinstance(value, float):
        return f'<td class="num">{value:.4g}</td>'
    if isinstance(value, int) and not isinstance(value, bool):
        return f'<td class="num">{value}</td>'
    if isinstance(value, dict | list):
        value = json.dumps(value, default=str)
        if len(value) > 300:
            value = value[:297] + "..."
    return f"<td>{esc(value)}</td>"


def key_value_table(rows: Iterable[tuple[str, Any]], table_id: str = "summary") -> str:
    """A two-column table of labelled values."""
    body = "".join(f"<tr><th>{esc(k)}</th>{_cell(v)}</tr>" for k, v in rows)
    return f'<table id="{esc(table_id)}">{body}</table>'


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], table_id: str) -> str:
    """A table with a header row."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return (
        f'<table id="{esc(table_id)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def figures(items: dict[str, Figure], dpi: int = 90) -> str:
    """Figures as embedded PNG images, each with its title as caption."""
    parts = []
    for title, figure in items.items():
        parts.append(
            f'<figure class="plot" data-plot="{esc(title)}"><img alt="{esc(title)}" '
            f'src="{to_data_uri(figure, dpi)}"><figcaption>{esc(title)}</figcaption></figure>'
        )
    return '<div class="plots">' + "".join(parts) + "</div>"


def json_script(element_id: str, data: Any) -> str:
    """Data for the page's script, safe inside a ``<script>`` element.

    Every ``<`` is written as the JSON escape ``\\u003c`` (``JSON.parse`` reads it
    back as ``<``): escaping ``</`` alone left ``<!--<script>`` (a recorded value,
    say), which puts the HTML parser in the script's "double escaped" state, where
    the element's own ``</script>`` no longer closes it, and the data swallowed the
    rest of the page, the step player's code included.
    """
    text = json.dumps(data, default=str, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def step_player(details: list[dict[str, Any]], world: bool = True) -> str:
    """The step slider and the view of what happened at the chosen step: its events
    by type and its agents' state changes, and (``world``) its negotiation requests,
    the negotiations that ended, the contract events and the breaches."""
    if not details:
        return '<p class="muted">No steps recorded.</p>'
    first, last = details[0]["step"], details[-1]["step"]
    return (
        f'<div id="player" data-world="{int(world)}">'
        '<label for="step-slider">Step: <output id="step-label"></output>'
        f'</label><input type="range" id="step-slider" min="0" max="{len(details) - 1}" '
        f'value="0" step="1" aria-label="step {first} to {last}">'
        '<div id="step-view"></div></div>'
        + json_script("step-data", details)
        + f"<script>{PLAYER_JS}</script>"
    )


def document(title: str, body: str) -> str:
    """A complete HTML page around ``body``."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>{body}"
        '<p class="muted">Written by Palaver; this file needs no network.</p></body></html>'
    )
