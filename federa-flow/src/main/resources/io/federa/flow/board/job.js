// A job: its DAG coloured by state at every party, its tasks and timings, a failure's cause with the
// log lines around it, each component's parameters, metrics, curves and output; its logs per party;
// and the privacy view (what this party received, by kind and bytes, beside what the protocol says
// each party learns).
import { get } from './api.js';
import { live } from './live.js';
import { badge, bytes, duration, h, table, when } from './dom.js';
import { drawDag } from './dag.js';
import { evaluationCharts, group, lineChart } from './charts.js';
import { learnsText } from './learns.js';
import { binningTables, featureImportance, withoutIv } from './explain.js';

const TABS = ['overview', 'logs', 'privacy'];
const ended = (s) => s === 'success' || s === 'failed' || s === 'canceled';
const enc = encodeURIComponent;

export async function jobPage(main, jobId, tab, params) {
  const dag = await get(`/board/jobs/${enc(jobId)}/dag`);
  const head = h('section', { class: 'jobhead', id: 'job-head' });
  const tabs = h('nav', { class: 'tabs' }, TABS.map((t) => h('a', {
    href: `#/jobs/${enc(jobId)}/${t}`, id: 'tab-' + t, class: t === tab ? 'active' : null }, t)));
  const body = h('div', { id: 'tab-body' });
  main.replaceChildren(head, tabs, body);
  const parties = [...new Set(Object.values(dag.roles).flat())];
  if (tab === 'logs') return logsTab(body, head, jobId, parties, params);
  if (tab === 'privacy') return privacyTab(body, head, jobId, dag);
  return overview(body, head, jobId, dag, params.get('component'));
}

function renderHead(head, job) {
  head.replaceChildren(
    h('h1', {}, 'Job ', h('span', { id: 'job-id' }, job.job_id), ' ', badge(job.state, 'job-state')),
    h('p', { class: 'muted' }, `${job.role} here · initiator ${job.initiator} · created `
      + `${when(job.created_at)} · ran ${duration(job.started_at, job.ended_at)}`));
}

async function overview(body, head, jobId, dag, chosen) {
  const failure = h('section', { id: 'failure-box' });
  const dagBox = h('section', { class: 'dag' });
  const panel = h('section', { class: 'component', id: 'component' });
  const tasks = h('section', { id: 'tasks' });
  body.replaceChildren(failure, dagBox, panel, tasks);
  let shownKey = null;
  const pick = (c) => { location.hash = `#/jobs/${enc(jobId)}/overview?component=${enc(c)}`; };
  await live(async () => {
    const job = await get(`/jobs/${enc(jobId)}`);
    const { metrics } = await get(`/jobs/${enc(jobId)}/metrics`);
    renderHead(head, job);
    const picked = chosen ?? defaultComponent(dag, metrics, job.tasks);
    dagBox.replaceChildren(h('h2', {}, 'DAG'), drawDag(dag.components, job.tasks, picked, pick));
    tasks.replaceChildren(h('h2', {}, 'Tasks'), table(
      ['component', 'party', 'role', 'state', 'attempt', 'progress', 'started', 'took'],
      job.tasks.map((t) => [t.component, t.party_id, t.role, badge(t.state), t.attempt,
        Math.round(100 * t.progress) + ' %', when(t.started_at), duration(t.started_at, t.ended_at)]),
      { id: 'task-table' }));
    if (job.state === 'failed' && !failure.hasChildNodes()) await showFailure(failure, job);
    const mine = metrics.filter((m) => m.component === picked);
    const states = job.tasks.filter((t) => t.component === picked).map((t) => t.state).join();
    const key = `${picked}|${mine.length}|${states}`;
    if (key !== shownKey) {
      shownKey = key;
      await showComponent(panel, jobId, dag.components.find((c) => c.name === picked), mine, job);
    }
    performance.mark('board-job-rendered'); // read by the load measurement
    return !ended(job.state);
  }, 400);
}

/** The failed component, else the first that trains (a loss), else the one running, else the first. */
function defaultComponent(dag, metrics, tasks) {
  const names = dag.components.map((c) => c.name);
  return tasks.find((t) => t.state === 'failed')?.component
    ?? names.find((n) => metrics.some((m) => m.component === n && m.name === 'loss'))
    ?? tasks.find((t) => t.state === 'running')?.component
    ?? names.find((n) => metrics.some((m) => m.component === n)) ?? names[0];
}

async function showFailure(box, job) {
  const failed = job.tasks.filter((t) => t.state === 'failed');
  const first = failed[0];
  box.replaceChildren(h('div', { class: 'failure', id: 'failure', role: 'alert',
    dataset: { party: first?.party_id ?? '', component: first?.component ?? '' } },
  h('h2', {}, 'Why it failed'),
  h('p', { id: 'failure-cause' }, job.error ?? 'failed'),
  failed.length ? table(['component', 'party', 'role', 'attempt', 'error'],
    failed.map((t) => [t.component, t.party_id, t.role, t.attempt, t.error ?? ''])) : null));
  if (!first) return;
  try {
    const { lines } = await get(`/jobs/${enc(job.job_id)}/logs?party=${first.party_id}`);
    let at = lines.findLastIndex((l) => l.includes(first.component + ' failed'));
    if (at < 0) at = lines.length - 1;
    box.firstChild.appendChild(h('div', {}, h('h3', {}, `Log of party ${first.party_id} around it`),
      h('pre', { class: 'log', id: 'failure-log' },
        lines.slice(Math.max(0, at - 8), at + 4).map((l, i) =>
          h('div', { class: i + Math.max(0, at - 8) === at ? 'hit' : null }, l)))));
  } catch (e) {
    box.firstChild.appendChild(h('p', { class: 'muted' }, 'its log: ' + e.message));
  }
}

async function showComponent(panel, jobId, component, metrics, job) {
  const { series, scalars: all } = group(metrics);
  const charts = h('div', { class: 'charts', id: 'charts' });
  const explained = h('div', { class: 'explain' });
  const scalars = withoutIv(featureImportance(explained, all));
  panel.replaceChildren(...[
    h('h2', {}, component.name, ' ', h('span', { class: 'muted' }, component.module)),
    scalars.length ? table(['metric', 'party', 'value'], scalars.map((m) => [m.name, m.party_id,
      h('span', { class: 'metric', id: `metric-${m.party_id}-${m.name}`, dataset: { value: m.value } },
        Number.isInteger(m.value) ? m.value : m.value.toFixed(4))]), { id: 'scalars' }) : null,
    explained,
    charts,
    h('details', { id: 'parameters' }, h('summary', {}, 'Parameters as run'),
      Object.entries(component.parameters).map(([party, p]) => h('div', {},
        h('h3', {}, 'party ' + party), h('pre', {}, JSON.stringify(p, null, 2)))))].filter(Boolean));
  const curveParty = [...series.values()].find((s) => s.name === 'roc_fpr')?.party;
  const plain = [...series.values()].filter((s) => !/(^|_)(roc_|curve_)/.test(s.name));
  plain.sort((a, b) => (b.name === 'loss') - (a.name === 'loss')); // the loss first
  for (const s of plain) {
    lineChart(charts, `${s.name} (party ${s.party})`, s.steps, [{ label: s.name, values: s.values }],
      'iteration', s.name, `chart-${s.name}-${s.party}`).dataset.metric = s.name;
  }
  if (curveParty !== undefined) {
    evaluationCharts(charts, series, curveParty);
    evaluationCharts(charts, series, curveParty, 'validate_');
  }
  if (ended(job.state)) await outputs(panel, jobId, component.name);
}

/** This party's output rows (a preview) and its model part, where the component made them. */
async function outputs(panel, jobId, component) {
  const { data, model } = await get(`/board/jobs/${enc(jobId)}/outputs/${enc(component)}`);
  if (data) {
    panel.appendChild(h('details', { id: 'output-data' }, h('summary', {},
      `Output data (this party's rows only): ${data.total} rows of ${data.table}`),
    table(data.columns, data.rows.map((r) => r.map((v) => (typeof v === 'number' ? +v.toFixed(6) : v))))));
  }
  if (model) {
    binningTables(panel, model);
    const text = JSON.stringify(model, null, 2);
    panel.appendChild(h('details', { id: 'output-model' }, h('summary', {}, 'Model (this party’s part)'),
      h('pre', {}, text.length > 20000 ? text.slice(0, 20000) + '\n…' : text)));
  }
}

async function logsTab(body, head, jobId, parties, params) {
  const party = Number(params.get('party') ?? parties[0]);
  const choose = h('select', { id: 'log-party', onchange: (e) => {
    location.hash = `#/jobs/${enc(jobId)}/logs?party=${e.target.value}`;
  } }, parties.map((p) => h('option', { value: p, selected: p === party }, 'party ' + p)));
  const lines = h('tbody', { id: 'log-lines' });
  body.replaceChildren(h('p', {}, choose, ' following live'),
    h('table', { class: 'log' }, h('thead', {}, h('tr', {}, h('th', {}, 'attempt'), h('th', {}, 'line'))),
      lines));
  await live(async () => {
    const job = await get(`/jobs/${enc(jobId)}`);
    renderHead(head, job);
    const log = await get(`/jobs/${enc(jobId)}/logs?party=${party}`);
    let attempt = 0;
    lines.replaceChildren(...log.lines.map((l) => {
      const m = / attempt (\d+)$/.exec(l);
      if (m) attempt = Number(m[1]);
      return h('tr', { class: / failed: /.test(l) ? 'hit' : null }, h('td', {}, attempt), h('td', {}, l));
    }));
    return !ended(job.state);
  }, 1000);
}

async function privacyTab(body, head, jobId, dag) {
  const job = await get(`/jobs/${enc(jobId)}`);
  renderHead(head, job);
  const audit = await get(`/jobs/${enc(jobId)}/audit`);
  const totals = new Map();
  let count = 0, total = 0;
  for (const r of audit.received) {
    const key = r.from + ' ' + r.kind;
    const t = totals.get(key) ?? { from: r.from, kind: r.kind, count: 0, bytes: 0 };
    t.count += r.count;
    t.bytes += r.bytes;
    totals.set(key, t);
    count += r.count;
    total += r.bytes;
  }
  const modules = [...new Set(dag.components.map((c) => c.module)), 'flow'];
  body.replaceChildren(
    h('h2', {}, `What party ${audit.party_id} received in this job`),
    h('p', { id: 'privacy-total', dataset: { count, bytes: total } },
      `${count} messages, ${bytes(total)} (${total} bytes), each of a declared kind`),
    table(['from', 'kind', 'messages', 'bytes'], [...totals.values()].map((t) =>
      [t.from, t.kind, t.count, h('span', { dataset: { bytes: t.bytes } }, t.bytes)]), { id: 'privacy-totals' }),
    h('details', {}, h('summary', {}, 'By component and message'),
      table(['from', 'component', 'message', 'kind', 'count', 'bytes'],
        audit.received.map((r) => [r.from, r.component, r.message, r.kind, r.count, r.bytes]))),
    h('h2', {}, 'What each party learns'),
    ...(await Promise.all(modules.map(learnsText))).filter(Boolean));
}
