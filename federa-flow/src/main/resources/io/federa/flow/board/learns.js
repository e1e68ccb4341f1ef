// "What each party learns", as the docs say it (served from the docs packed in the jar), rendered
// from their Markdown subset: paragraphs, bullet lists, tables, **bold** and `code`.
import { get } from './api.js';
import { h } from './dom.js';

export async function learnsText(module) {
  const { texts } = await get('/board/learns/' + encodeURIComponent(module));
  if (texts.length === 0) return null;
  const box = h('section', { class: 'learns', dataset: { module } });
  for (const t of texts) {
    box.appendChild(h('article', { dataset: { doc: t.doc } },
      h('h3', {}, t.module === 'flow' ? 'Every job (flow)' : module, ' ',
        h('span', { class: 'muted' }, 'docs/' + t.doc)), ...markdown(t.text)));
  }
  return box;
}

function inline(text) {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).filter(Boolean).map((part) => {
    if (part.startsWith('**')) return h('strong', {}, part.slice(2, -2));
    if (part.startsWith('`')) return h('code', {}, part.slice(1, -1));
    return part;
  });
}

function markdown(text) {
  const out = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length;) {
    const l = lines[i];
    if (l.startsWith('|')) {
      const rows = [];
      while (i < lines.length && lines[i].startsWith('|')) rows.push(lines[i++]);
      const cells = (r) => r.slice(1, -1).split('|').map((c) => c.trim());
      out.push(h('table', {}, h('thead', {}, h('tr', {}, cells(rows[0]).map((c) => h('th', {}, inline(c))))),
        h('tbody', {}, rows.slice(2).map((r) => h('tr', {}, cells(r).map((c) => h('td', {}, inline(c))))))));
    } else if (l.startsWith('- ')) {
      const items = [];
      while (i < lines.length && (lines[i].startsWith('- ') || lines[i].startsWith('  '))) {
        if (lines[i].startsWith('- ')) items.push(lines[i].slice(2));
        else items[items.length - 1] += ' ' + lines[i].trim();
        i++;
      }
      out.push(h('ul', {}, items.map((t) => h('li', {}, inline(t)))));
    } else if (l.trim() === '') {
      i++;
    } else {
      const para = [];
      while (i < lines.length && lines[i].trim() !== '' && !lines[i].startsWith('|')
        && !lines[i].startsWith('- ')) para.push(lines[i++]);
      out.push(h('p', {}, inline(para.join(' '))));
    }
  }
  return out;
}
