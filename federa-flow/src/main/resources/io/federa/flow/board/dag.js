// A job's DAG as SVG: components in layers by their longest input path, each coloured by its state
// across parties, with one dot per party in that party's state.
const NS = 'http://www.w3.org/2000/svg';
const W = 210, H = 54, GX = 48, GY = 26;

/** The state of a component from its tasks at every party. */
export function overall(states) {
  if (states.length === 0) return 'waiting';
  for (const s of ['failed', 'canceled', 'running']) if (states.includes(s)) return s;
  if (states.every((s) => s === 'success')) return 'success';
  return states.includes('success') ? 'running' : 'waiting';
}

function el(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

/**
 * Draws `components` ([{name, module, upstream}]) with `tasks` ([{component, party_id, state}]);
 * `onPick(name)` is called when a component is clicked; `picked` is outlined.
 */
export function drawDag(components, tasks, picked, onPick) {
  const layer = {};
  for (const c of components) {
    layer[c.name] = Math.max(0, ...c.upstream.map((u) => (layer[u] ?? -1) + 1));
  }
  // within a layer, components in the mean row of their inputs (fewer crossings), layer by layer
  const rows = {};
  const pos = {};
  const row = {};
  const layers = Math.max(...Object.values(layer)) + 1;
  for (let l = 0; l < layers; l++) {
    const here = components.filter((c) => layer[c.name] === l);
    const mean = (c) => (c.upstream.length
      ? c.upstream.reduce((a, u) => a + row[u], 0) / c.upstream.length : here.indexOf(c));
    here.map((c) => [mean(c), c]).sort((a, b) => a[0] - b[0]).forEach(([, c], i) => {
      row[c.name] = i;
      rows[l] = i;
      pos[c.name] = { x: 10 + l * (W + GX), y: 10 + i * (H + GY) };
    });
  }
  const width = 20 + (Math.max(...Object.values(layer)) + 1) * (W + GX) - GX;
  const height = 20 + (Math.max(...Object.values(rows)) + 1) * (H + GY) - GY;
  const svg = el('svg', { id: 'dag', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  el('defs', {}, svg).innerHTML =
    '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7"' +
    ' orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a94a6"/></marker>';
  for (const c of components) {
    for (const u of c.upstream) {
      const a = pos[u], b = pos[c.name];
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
      el('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, class: 'edge',
        'marker-end': 'url(#arrow)' }, svg);
    }
  }
  for (const c of components) {
    const mine = tasks.filter((t) => t.component === c.name);
    const state = overall(mine.map((t) => t.state));
    const g = el('g', { class: 'node' + (c.name === picked ? ' picked' : ''), 'data-component': c.name,
      'data-state': state, transform: `translate(${pos[c.name].x},${pos[c.name].y})`, tabindex: 0 }, svg);
    el('rect', { width: W, height: H, rx: 7, class: 'base' }, g); // edges pass beneath, unseen
    el('rect', { width: W, height: H, rx: 7, class: 'state-' + state }, g);
    el('text', { x: 10, y: 19, class: 'name' }, g).textContent = c.name;
    el('text', { x: 10, y: 34, class: 'module' }, g).textContent = c.module;
    mine.forEach((t, i) => {
      const dot = el('circle', { cx: 14 + i * 16, cy: 44, r: 5, class: 'dot state-' + t.state,
        'data-party': t.party_id, 'data-state': t.state }, g);
      el('title', {}, dot).textContent = `${t.role} ${t.party_id}: ${t.state}`;
    });
    el('title', {}, g).textContent = `${c.name} (${c.module}): ${state}`;
    g.addEventListener('click', () => onPick(c.name));
    g.addEventListener('keydown', (e) => e.key === 'Enter' && onPick(c.name));
  }
  return svg;
}
