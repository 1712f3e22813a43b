/** The dashboard page: one HTML document, its script inline; vega builds come from /vendor/. */
export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>infoscope watch</title>
<style>
body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:1rem 1.5rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
th{background:#f4f4f4}tr.sel{background:#eef5ff}#panels{display:flex;gap:1.5rem;align-items:flex-start;margin-top:1rem}
.panel{flex:1;min-width:0}.panel h2{font-size:1.1rem}.chart{margin:.8rem 0;overflow-x:auto}.note{color:#777;font-size:90%}
</style>
<script src="/vendor/vega.min.js"></script>
<script src="/vendor/vega-lite.min.js"></script>
<script src="/vendor/vega-embed.min.js"></script>
</head><body>
<h1>infoscope watch</h1>
<p class="note">Click a run to show it; click a second one to show the two side by side. Charts update as the runs write new lines.</p>
<table id="runs"><thead><tr><th></th><th>run</th><th>task</th><th>model</th><th>status</th><th>step</th><th>perf</th><th>backend</th></tr></thead><tbody></tbody></table>
<div id="panels"></div>
<h2 id="sweeps-title" style="display:none">Sweeps</h2>
<p class="note" id="sweeps-note" style="display:none">Click a sweep to show its settings with bands (mean and 95 % interval across seeds) from the runs present now, finished or still training.</p>
<table id="sweeps" style="display:none"><thead><tr><th></th><th>sweep</th><th>settings</th><th>runs</th><th>finished</th><th>training</th></tr></thead><tbody></tbody></table>
<div id="sweep-panel"></div>
<script>
const shown = [];
window.__renders = 0;
const fmt = (v) => (v === null || v === undefined ? '–' : Number(v).toFixed(3));
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const rows = new Map();

function renderRow(r) {
  let tr = rows.get(r.name);
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.run = r.name;
    tr.onclick = () => toggle(r.name);
    document.querySelector('#runs tbody').appendChild(tr);
    rows.set(r.name, tr);
  }
  tr.className = shown.includes(r.name) ? 'sel' : '';
  tr.innerHTML = '<td>' + (shown.includes(r.name) ? '&#10003;' : '') + '</td><td>' + esc(r.name) + '</td><td>' + esc(r.task) + '</td><td>' + esc(r.model) +
    '</td><td' + (r.error ? ' class="bad" title="' + esc(r.error) + '"' : '') + '>' + esc(r.status) + (r.error ? ': ' + esc(r.error) : '') + '</td><td class="step" data-run="' + esc(r.name) + '">' + r.step + ' / ' + r.totalSteps + '</td><td>' + fmt(r.perf) + '</td><td>' + esc(r.backend) + '</td>';
  const counter = document.getElementById('step-' + r.name);
  if (counter) counter.textContent = String(r.step);
}

async function refreshRuns() {
  const runs = await (await fetch('/api/runs')).json();
  runs.forEach(renderRow);
}

function toggle(name) {
  const i = shown.indexOf(name);
  if (i >= 0) shown.splice(i, 1);
  else {
    shown.push(name);
    if (shown.length > 2) shown.shift();
  }
  layout();
  refreshRuns();
}

function layout() {
  const panels = document.getElementById('panels');
  for (const p of [...panels.children]) if (!shown.includes(p.dataset.run)) p.remove();
  for (const name of shown) {
    if (!document.getElementById('panel-' + name)) {
      const div = document.createElement('div');
      div.className = 'panel';
      div.id = 'panel-' + name;
      div.dataset.run = name;
      div.innerHTML = '<h2>' + esc(name) + ' &mdash; step <span id="step-' + esc(name) + '">…</span></h2><div class="charts"></div>';
      panels.appendChild(div);
      drawCharts(name);
    }
  }
}

const drawing = new Map();
async function drawCharts(name) {
  if (drawing.get(name)) { drawing.set(name, 'again'); return; }
  drawing.set(name, true);
  try {
    const panel = document.getElementById('panel-' + name);
    if (!panel) return;
    const charts = await (await fetch('/api/runs/' + encodeURIComponent(name) + '/charts')).json();
    const box = panel.querySelector('.charts');
    for (const c of charts) {
      let el = box.querySelector('[data-chart="' + c.name + '"]');
      if (!el) {
        el = document.createElement('div');
        el.className = 'chart';
        el.dataset.chart = c.name;
        box.appendChild(el);
      }
      await vegaEmbed(el, c.spec, { actions: false, renderer: 'svg' });
    }
    window.__renders++;
    document.body.dataset.renders = String(window.__renders);
  } finally {
    const again = drawing.get(name) === 'again';
    drawing.set(name, false);
    if (again) drawCharts(name);
  }
}

const events = new EventSource('/api/events');
const onRun = (e) => {
  const r = JSON.parse(e.data);
  renderRow(r);
  if (e.type === 'update' && shown.includes(r.name)) drawCharts(r.name);
};
events.addEventListener('run', onRun);

// sweeps: polled (a sweep's runs live in its own folder); redrawn when one of its runs writes
let shownSweep = null;
const sweepStamps = new Map();
async function refreshSweeps() {
  const sweeps = await (await fetch('/api/sweeps')).json();
  for (const id of ['sweeps', 'sweeps-title', 'sweeps-note']) document.getElementById(id).style.display = sweeps.length ? '' : 'none';
  const body = document.querySelector('#sweeps tbody');
  body.innerHTML = '';
  for (const s of sweeps) {
    const tr = document.createElement('tr');
    tr.dataset.sweep = s.name;
    tr.className = s.name === shownSweep ? 'sel' : '';
    tr.innerHTML = '<td>' + (s.name === shownSweep ? '&#10003;' : '') + '</td><td>' + esc(s.name) + '</td><td>' + s.settings + '</td><td>' + s.runs + '</td><td>' + s.finished + '</td><td' + (s.error ? ' class="bad">' + esc(s.error) : '>' + s.training) + '</td>';
    tr.onclick = () => { shownSweep = shownSweep === s.name ? null : s.name; sweepStamps.delete(s.name); refreshSweeps(); };
    body.appendChild(tr);
    if (s.name === shownSweep && sweepStamps.get(s.name) !== s.stamp) { sweepStamps.set(s.name, s.stamp); drawSweep(s.name); }
  }
  if (!shownSweep) document.getElementById('sweep-panel').innerHTML = '';
}
async function drawSweep(name) {
  const view = await (await fetch('/api/sweeps/' + encodeURIComponent(name))).json();
  const panel = document.getElementById('sweep-panel');
  const cols = view.rows.length ? Object.keys(view.rows[0].cells) : [];
  panel.innerHTML = '<h2>' + esc(name) + '</h2><table class="sweep-table"><tr><th>setting</th><th>runs</th>' + cols.map((c) => '<th>' + esc(c) + '</th>').join('') + '</tr>' +
    view.rows.map((r) => '<tr><td>' + esc(r.setting) + '</td><td>' + esc(r.runs) + '</td>' + cols.map((c) => '<td>' + esc(r.cells[c]) + '</td>').join('') + '</tr>').join('') + '</table><div class="charts"></div>';
  const box = panel.querySelector('.charts');
  for (const c of view.charts) {
    const el = document.createElement('div');
    el.className = 'chart';
    el.dataset.chart = c.name;
    box.appendChild(el);
    await vegaEmbed(el, c.spec, { actions: false, renderer: 'svg' });
  }
  window.__sweepRenders = (window.__sweepRenders || 0) + 1;
  document.body.dataset.sweepRenders = String(window.__sweepRenders);
}
refreshSweeps();
setInterval(refreshSweeps, 3000);
events.addEventListener('update', onRun);
refreshRuns();
</script>
</body></html>
`;
}
