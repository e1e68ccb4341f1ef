// What a model says about the features: SecureBoost's feature importance (gain and splits, as
// tracked) and feature binning's per-bin WOE and IV tables (from this party's model part).
import { h, table } from './dom.js';

const bar = (share) => h('span', { class: 'bar', style: `width:${Math.round(240 * share)}px` });

/** Takes the `feature_importance_*` metrics out of `scalars`; draws them as bars if any. */
export function featureImportance(parent, scalars) {
  const gain = new Map();
  const splits = new Map();
  const rest = [];
  for (const m of scalars) {
    if (m.name.startsWith('feature_importance_gain.')) gain.set(m.name.slice(24), m.value);
    else if (m.name.startsWith('feature_importance_split.')) splits.set(m.name.slice(25), m.value);
    else rest.push(m);
  }
  if (gain.size) {
    const rows = [...gain.entries()].sort((a, b) => b[1] - a[1]);
    const top = rows[0][1] || 1;
    parent.appendChild(h('section', {}, h('h3', {}, 'Feature importance (gain)'),
      table(['feature', 'gain', '', 'splits'], rows.map(([f, g]) => [f, g.toFixed(4), bar(g / top),
        splits.get(f) ?? 0]), { id: 'feature-importance' })));
  }
  return rest;
}

/** Takes the `iv.*` metrics out of `scalars` (the binning tables show them). */
export const withoutIv = (scalars) => scalars.filter((m) => !m.name.startsWith('iv.'));

/** A bin's upper edge; a host's edges are its own (the guest sees only the bins' counts). */
function upper(edges, k) {
  if (!edges) return 'host’s own';
  return k < edges.length ? +edges[k].toFixed(6) : '∞';
}

/** A binning model part: IV per feature (own and, at the guest, each host's), and WOE per bin. */
export function binningTables(parent, model) {
  if (model?.kind !== 'binning' || !model.bins) return;
  const all = model.bins.map((b) => ({ party: 'this party', b }));
  for (const [party, bins] of Object.entries(model.hosts ?? {})) {
    for (const b of bins) all.push({ party: 'host ' + party, b });
  }
  const iv = (b) => b.per_class[0].iv;
  all.sort((x, y) => iv(y.b) - iv(x.b));
  const top = iv(all[0]?.b ?? { per_class: [{ iv: 1 }] }) || 1;
  parent.appendChild(h('section', {}, h('h3', {}, 'Information value'),
    table(['feature', 'party', 'IV', ''], all.map(({ party, b }) =>
      [b.feature, party, iv(b).toFixed(4), bar(iv(b) / top)]), { id: 'iv-table' }),
    h('details', { id: 'woe-tables' }, h('summary', {}, 'WOE by bin, per feature'),
      all.map(({ party, b }) => {
        const c = b.per_class[0];
        return h('div', {}, h('h4', {}, `${b.feature} (${party})`),
          table(['bin', 'upper edge', 'rows', 'events', 'non-events', 'WOE', 'IV part'],
            b.rows.map((n, k) => [k, upper(b.split_points, k), n,
              c.events[k], c.non_events[k], c.woe[k].toFixed(4), c.ivs[k].toFixed(4)])));
      }))));
}
