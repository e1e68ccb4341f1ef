// The board's shell: login (a one-time link or the node's token), the router, live refresh.
import * as api from './api.js';
import { h } from './dom.js';
import { newPage, showError, shown } from './live.js';

function loginPage(main, problem) {
  const input = h('input', { type: 'password', id: 'token', autocomplete: 'off', size: 50,
    placeholder: 'the token in the node’s data_dir/api.token' });
  const status = h('p', { class: 'error', id: 'login-error', hidden: !problem },
    problem ? problem.message + (problem.fix ? ' — ' + problem.fix : '') : '');
  const form = h('form', { id: 'login', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api.useToken(input.value);
      location.hash = '#/jobs';
    } catch (e) {
      status.hidden = false;
      status.textContent = e.message + (e.fix ? ' — ' + e.fix : '');
    }
  } },
  h('h1', {}, 'Log in to this node’s board'),
  h('p', {}, 'Open the one-time link printed by ', h('code', {}, 'federa node start'), ', ',
    h('code', {}, 'federa board link --node node.yaml'), ' or the demo, or paste the node’s token.'),
  input, ' ', h('button', { type: 'submit' }, 'Log in'), status);
  main.replaceChildren(form);
  document.getElementById('logout').hidden = true;
  input.focus();
}

async function route() {
  const mine = newPage();
  const main = document.getElementById('main');
  if (location.hash.startsWith('#code=')) {
    // a one-time link: #code=CODE, optionally &to=/jobs/ID (the page to open)
    const link = new URLSearchParams(location.hash.slice(1));
    const code = link.get('code');
    const to = /^\/jobs(\/[\w.-]+(\/(overview|logs|privacy)(\?[\w=&.-]*)?)?)?$/.test(link.get('to') ?? '')
      ? link.get('to') : '/jobs';
    history.replaceState(null, '', '#' + to); // the code is spent: keep it out of the history
    try {
      await api.redeem(code);
    } catch (e) {
      return loginPage(main, e);
    }
  }
  if (!api.token() || location.hash === '#/login') {
    return loginPage(main);
  }
  document.getElementById('logout').hidden = false;
  const [path, query] = location.hash.slice(1).split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query ?? '');
  try {
    // each page's modules load when it is first shown (the charts' only on pages that draw them)
    if (parts[0] === 'jobs' && parts[1]) {
      const { jobPage } = await import('./job.js');
      await jobPage(main, parts[1], parts[2] ?? 'overview', params);
    } else if (parts[0] === 'compare') {
      const { comparePage } = await import('./compare.js');
      await comparePage(main, params);
    } else if (parts[0] === 'serving') {
      const { servingPage } = await import('./serving.js');
      await servingPage(main);
    } else if (parts[0] === 'data' || parts[0] === 'models') {
      const registry = await import('./registry.js');
      await (parts[0] === 'data' ? registry.dataPage(main) : registry.modelsPage(main));
    } else {
      const { jobsPage } = await import('./jobs.js');
      await jobsPage(main, params);
    }
  } catch (e) {
    if (shown(mine)) showError(e);
  }
}

async function whoami() {
  try {
    const r = await (await fetch('/api/v1/health')).json();
    document.getElementById('whoami').textContent = 'party ' + r.party_id;
    document.title = 'Federa board — party ' + r.party_id;
  } catch {
    // the header stays empty; every page reports its own errors
  }
}

document.getElementById('logout').addEventListener('click', () => {
  api.logout();
  location.hash = '#/login';
});
window.addEventListener('hashchange', route);
whoami();
route();
