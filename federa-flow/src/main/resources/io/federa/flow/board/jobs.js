// The jobs list: filters by state, role, module and date, refreshed live.
import { get } from './api.js';
import { live } from './live.js';
import { badge, duration, h, when } from './dom.js';

const STATES = ['', 'waiting', 'running', 'success', 'failed', 'canceled'];
const ROLES = ['', 'guest', 'host', 'arbiter'];

export async function jobsPage(main, params) {
  const select = (name, values) => h('select', { name, id: 'filter-' + name },
    values.map((v) => h('option', { value: v, selected: params.get(name) === v }, v || 'any ' + name)));
  const form = h('form', { id: 'filters', class: 'filters' },
    select('state', STATES), select('role', ROLES),
    h('input', { name: 'module', id: 'filter-module', placeholder: 'module, e.g. HeteroLR',
      value: params.get('module') ?? '', list: 'modules' }),
    h('label', {}, 'since ', h('input', { type: 'date', name: 'since', id: 'filter-since',
      value: params.get('since') ?? '' })),
    h('datalist', { id: 'modules' }));
  const count = h('p', { class: 'muted', id: 'job-count' });
  const picked = new Set();
  const compare = h('button', { id: 'compare', type: 'button', disabled: true, onclick: () => {
    location.hash = '#/compare?jobs=' + [...picked].join(',');
  } }, 'Compare selected');
  const body = h('tbody', { id: 'jobs' });
  main.replaceChildren(h('h1', {}, 'Jobs'), form, h('div', { class: 'filters' }, count, compare),
    h('table', { class: 'jobs' }, h('thead', {}, h('tr', {},
      ['', 'job', 'state', 'role', 'initiator', 'modules', 'created', 'duration'].map((c) => h('th', {}, c)))),
    body));
  form.addEventListener('change', () => {
    const q = new URLSearchParams(new FormData(form));
    for (const [k, v] of [...q]) if (!v) q.delete(k);
    location.hash = '#/jobs' + (q.toString() ? '?' + q : '');
  });
  const query = new URLSearchParams();
  for (const k of ['state', 'role', 'module', 'since']) if (params.get(k)) query.set(k, params.get(k));
  const modules = new Set();
  await live(async () => {
    const r = await get('/board/jobs?' + query);
    count.textContent = r.matched > r.jobs.length
      ? `${r.jobs.length} of ${r.matched} jobs shown: narrow them with the filters`
      : `${r.matched} job${r.matched === 1 ? '' : 's'}`;
    body.replaceChildren(...r.jobs.map((j) => {
      j.modules.forEach((m) => modules.add(m));
      const tick = h('input', { type: 'checkbox', class: 'pick', value: j.job_id,
        checked: picked.has(j.job_id), onchange: (e) => {
          if (e.target.checked) picked.add(j.job_id); else picked.delete(j.job_id);
          compare.disabled = picked.size < 2;
        } });
      return h('tr', { dataset: { job: j.job_id, state: j.state } }, h('td', {}, tick),
        h('td', {}, h('a', { href: '#/jobs/' + j.job_id }, j.job_id)),
        h('td', {}, badge(j.state)), h('td', {}, j.role), h('td', {}, j.initiator),
        h('td', { class: 'modules' }, j.modules.join(' → ')), h('td', {}, when(j.created_at)),
        h('td', {}, duration(j.started_at, j.ended_at)));
    }));
    performance.mark('board-jobs-rendered'); // read by the load measurement
    form.querySelector('datalist').replaceChildren(...[...modules].sort().map((m) => h('option', { value: m })));
    return true;
  }, 1000);
}
