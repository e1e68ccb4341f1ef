// The services this node answers as guest (docs/serving.md): each one's versions, deadline, policy
// and hosts, with its requests by outcome, rows and latency since the node started; and this party's
// serving instances registered with this node (live or silent, what they serve), refreshed live.
import { get } from './api.js';
import { h, table } from './dom.js';
import { live } from './live.js';

const ms = (v) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(2));

export async function servingPage(main) {
  await live(async () => {
    const [{ services }, { figures }, { instances }] = await Promise.all(
      [get('/serving'), get('/serving/figures'), get('/serving/instances')]);
    const of = new Map(figures.map((f) => [f.service, f]));
    main.replaceChildren(h('h1', {}, 'Serving'),
      h('p', { class: 'muted' }, `${services.length} service${services.length === 1 ? '' : 's'} answered at this node`
        + ' (POST /v1/predict/NAME); figures since the node started, also at /metrics'),
      table(['service', 'model id', 'active', 'previous', 'B (share)', 'deadline', 'policy', 'hosts',
        'ok', 'degraded', 'errors', 'rows', 'p50 ms', 'p99 ms'],
      services.map((s) => {
        const f = of.get(s.service) ?? {};
        return [h('span', { dataset: { service: s.service } }, s.service), s.model_id, s.active,
          s.previous ?? '—', s.b ? `${s.b} (${Math.round(s.b_share * 100)} %)` : '—',
          s.deadline_ms + ' ms', s.policy, s.hosts.join(', ') || 'none: served alone',
          h('span', { class: 'ok-count' }, String(f.ok ?? 0)), f.degraded ?? 0, f.errors ?? 0,
          f.rows ?? 0, ms(f.p50_ms), ms(f.p99_ms)];
      }), { id: 'services' }),
      h('h2', {}, 'Serving instances of this party'),
      h('p', { class: 'muted' }, instances.length === 0
        ? "none: this node answers its guests itself ('federa serving instance' starts one)"
        : 'each sends a heartbeat every second; silent after 3 s'),
      table(['instance', 'address', 'state', 'last heartbeat', 'serving'],
        instances.map((i) => [h('span', { dataset: { instance: i.name } }, i.name), i.address,
          h('span', { class: i.live ? 'state-live' : 'state-silent' }, i.live ? 'live' : 'silent'),
          `${i.last_beat_ms_ago} ms ago`,
          Object.entries(i.serving).map(([s, v]) => `${s}: ${v.join(', ')}`).join('; ') || '—']),
        { id: 'instances' }));
    return true;
  }, 2000);
}
