// Two or more jobs side by side: what differs in their parameters, their final metrics, and their
// loss and ROC curves on one chart each.
import { get } from './api.js';
import { group, lineChart } from './charts.js';
import { badge, duration, h, table } from './dom.js';

const enc = encodeURIComponent;

export async function comparePage(main, params) {
  const ids = (params.get('jobs') ?? '').split(',').filter(Boolean);
  if (ids.length < 2) {
    main.replaceChildren(h('h1', {}, 'Compare jobs'),
      h('p', {}, 'Tick two or more jobs on the ', h('a', { href: '#/jobs' }, 'jobs page'), ' and press Compare.'));
    return;
  }
  const jobs = await Promise.all(ids.map(async (id) => {
    const [job, dag, m] = await Promise.all([get(`/jobs/${enc(id)}`),
      get(`/board/jobs/${enc(id)}/dag`), get(`/jobs/${enc(id)}/metrics`)]);
    return { id, job, dag, ...group(m.metrics) };
  }));
  const charts = h('div', { class: 'charts' });
  main.replaceChildren(h('h1', {}, `Compare ${ids.length} jobs`),
    table(['job', 'state', 'modules', 'ran'], jobs.map((j) => [
      h('a', { href: '#/jobs/' + enc(j.id) }, j.id), badge(j.job.state),
      j.dag.components.map((c) => c.module).join(' → '), duration(j.job.started_at, j.job.ended_at)])),
    h('h2', {}, 'Parameters that differ'), parameterDiff(jobs),
    h('h2', {}, 'Metrics'), metricTable(jobs),
    h('h2', {}, 'Curves'), charts);
  lossChart(charts, jobs);
  rocChart(charts, jobs);
}

/** A job's parameters as run at its first party, flattened to `component.key.path` → JSON text. */
function flat(job) {
  const out = {};
  const walk = (v, path) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
      for (const [k, x] of Object.entries(v)) walk(x, path + '.' + k);
    } else out[path] = JSON.stringify(v);
  };
  for (const c of job.dag.components) {
    const first = Object.values(c.parameters)[0] ?? {};
    walk(first, c.name);
  }
  return out;
}

function parameterDiff(jobs) {
  const flats = jobs.map(flat);
  const keys = [...new Set(flats.flatMap(Object.keys))].sort();
  const differ = keys.filter((k) => new Set(flats.map((f) => f[k] ?? '—')).size > 1);
  if (differ.length === 0) return h('p', { id: 'param-diff', class: 'muted' }, 'the same parameters');
  return table(['parameter', ...jobs.map((j) => j.id)],
    differ.map((k) => [h('span', { dataset: { key: k } }, k), ...flats.map((f) => f[k] ?? '—')]),
    { id: 'param-diff' });
}

function metricTable(jobs) {
  const key = (m) => `${m.component} ${m.name} (party ${m.party_id})`;
  const names = [...new Set(jobs.flatMap((j) => j.scalars.map(key)))].sort();
  return table(['metric', ...jobs.map((j) => j.id)], names.map((n) => [n, ...jobs.map((j) => {
    const m = j.scalars.find((s) => key(s) === n);
    return m ? (Number.isInteger(m.value) ? m.value : m.value.toFixed(4)) : '—';
  })]), { id: 'compare-metrics' });
}

function lossChart(parent, jobs) {
  const losses = jobs.map((j) => [...j.series.values()].find((s) => s.name === 'loss'));
  const n = Math.max(0, ...losses.map((s) => (s ? Math.max(...s.steps) : 0)));
  if (n === 0) return;
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const series = jobs.map((j, k) => ({ label: j.id, values: x.map((step) => {
    const at = losses[k]?.steps.indexOf(step) ?? -1;
    return at < 0 ? null : losses[k].values[at];
  }) }));
  lineChart(parent, 'Loss', x, series, 'iteration', 'loss', 'chart-compare-loss').dataset.series = jobs.length;
}

/** Each job's ROC, its TPR read at 101 evenly spaced false positive rates. */
function rocChart(parent, jobs) {
  const grid = Array.from({ length: 101 }, (_, i) => i / 100);
  const series = [];
  for (const j of jobs) {
    const fpr = [...j.series.values()].find((s) => s.name === 'roc_fpr');
    const tpr = [...j.series.values()].find((s) => s.name === 'roc_tpr' && s.party === fpr?.party);
    if (!fpr || !tpr) continue;
    const pts = fpr.values.map((f, i) => [f, tpr.values[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    series.push({ label: j.id, values: grid.map((g) => {
      let best = 0;
      for (const [f, t] of pts) if (f <= g) best = Math.max(best, t);
      return best;
    }) });
  }
  if (series.length) {
    lineChart(parent, 'ROC', grid, series, 'false positive rate', 'true positive rate',
      'chart-compare-roc').dataset.series = series.length;
  }
}
