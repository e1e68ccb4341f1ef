// This node's uploaded tables (schema, size, checksum — never rows of another party: a node holds
// only its own) and its model registry (versions, deploy state, the jobs that made them).
import { get } from './api.js';
import { bytes, h, table, when } from './dom.js';

export async function dataPage(main) {
  const { tables } = await get('/tables');
  main.replaceChildren(h('h1', {}, 'Data'),
    h('p', { class: 'muted' }, `${tables.length} tables at this node, each checked against its`
      + ' SHA-256 on every read'),
    table(['table', 'rows', 'id', 'label', 'features', 'SHA-256', 'size', 'uploaded'],
      tables.map((t) => [
        h('span', { dataset: { table: t.namespace + '.' + t.name } }, t.namespace + '.' + t.name),
        t.rows, t.id_column, t.label_column ?? '—',
        h('details', {}, h('summary', {}, String(t.features)), t.feature_names.join(', ')),
        h('code', { title: t.sha256 }, t.sha256.slice(0, 16) + '…'), bytes(t.bytes), when(t.created_at)]),
      { id: 'tables' }));
}

export async function modelsPage(main) {
  const { models } = await get('/models');
  const versions = new Set(models.map((m) => m.model_id + ' ' + m.model_version));
  main.replaceChildren(h('h1', {}, 'Models'),
    h('p', { class: 'muted' }, `${versions.size} model versions at this node (its own parts)`),
    table(['model id', 'version', 'component', 'module', 'role', 'deployed', 'made by job', 'created'],
      models.map((m) => [m.model_id, m.model_version, m.component, m.module, `${m.role} ${m.party_id}`,
        m.deployed ? h('span', { class: 'badge state-success' }, 'deployed') : '—',
        h('a', { href: '#/jobs/' + encodeURIComponent(m.job_id) }, m.job_id), when(m.created_at)]),
      { id: 'models' }));
}
