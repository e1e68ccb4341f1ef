// Charts of tracked metrics (uPlot, vendored with its licence): series by step, and the curves that
// the Evaluation component stores (ROC, KS, lift, gain, precision-recall, confusion matrix).
import uPlot from './uPlot.esm.js';

const COLORS = ['#2f80ed', '#eb5757', '#27ae60', '#f2994a', '#9b51e0', '#56ccf2', '#333333'];

/**
 * A line chart in `parent`: `x` values, `series` [{label, values}], axis titles. The container
 * records its point count (`data-points`) so that a reader or a test can check what is drawn.
 */
export function lineChart(parent, title, x, series, xLabel, yLabel, id) {
  const box = document.createElement('figure');
  box.className = 'chart';
  if (id) box.id = id;
  box.dataset.points = String(x.length);
  parent.appendChild(box);
  const opts = {
    title,
    width: Math.min(560, Math.max(320, parent.clientWidth - 20 || 520)),
    height: 260,
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, { label: yLabel }],
    series: [{ label: xLabel }].concat(series.map((s, i) => ({
      label: s.label, stroke: COLORS[i % COLORS.length], width: 2, points: { show: x.length < 60 },
    }))),
  };
  new uPlot(opts, [x, ...series.map((s) => s.values)], box);
  return box;
}

/** Metrics [{component, party_id, name, step, value}] grouped: `series[party/name]`, `scalars`. */
export function group(metrics) {
  const series = new Map();
  const scalars = [];
  for (const m of metrics) {
    if (m.step === 0) {
      scalars.push(m);
      continue;
    }
    const key = m.party_id + '/' + m.name;
    if (!series.has(key)) series.set(key, { party: m.party_id, name: m.name, steps: [], values: [] });
    const s = series.get(key);
    s.steps.push(m.step);
    s.values.push(m.value);
  }
  return { series, scalars };
}

const curve = (series, party, name) => series.get(party + '/' + name)?.values;

/** The evaluation curves of one party and prefix ('' or 'validate_'), where they were tracked. */
export function evaluationCharts(parent, series, party, prefix = '') {
  const c = (n) => curve(series, party, prefix + 'curve_' + n);
  const fpr = curve(series, party, prefix + 'roc_fpr');
  const tpr = curve(series, party, prefix + 'roc_tpr');
  const drawn = [];
  if (fpr && tpr) {
    drawn.push(lineChart(parent, 'ROC', sorted(fpr), [{ label: 'TPR', values: byX(fpr, tpr) }],
      'false positive rate', 'true positive rate', prefix + 'chart-roc'));
  }
  const threshold = c('threshold');
  if (!threshold) return drawn;
  const population = c('population');
  drawn.push(lineChart(parent, 'KS', [...threshold].reverse(),
    [{ label: 'TPR', values: [...c('tpr')].reverse() }, { label: 'FPR', values: [...c('fpr')].reverse() }],
    'threshold', 'rate', prefix + 'chart-ks'));
  drawn.push(lineChart(parent, 'Lift', population, [{ label: 'lift', values: c('lift') }],
    'share of population', 'lift', prefix + 'chart-lift'));
  drawn.push(lineChart(parent, 'Gain', population, [{ label: 'gain', values: c('tpr') }],
    'share of population', 'share of positives found', prefix + 'chart-gain'));
  drawn.push(lineChart(parent, 'Precision–recall', sorted(c('tpr')),
    [{ label: 'precision', values: byX(c('tpr'), c('precision')) }], 'recall', 'precision',
    prefix + 'chart-pr'));
  drawn.push(confusion(parent, threshold, c('tp'), c('fp'), c('tn'), c('fn'), prefix));
  return drawn;
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);

function byX(xs, ys) {
  return xs.map((x, i) => [x, ys[i]]).sort((a, b) => a[0] - b[0]).map((p) => p[1]);
}

/** The confusion matrix at the threshold nearest 0.5. */
function confusion(parent, threshold, tp, fp, tn, fn, prefix) {
  let k = 0;
  threshold.forEach((t, i) => { if (Math.abs(t - 0.5) < Math.abs(threshold[k] - 0.5)) k = i; });
  const box = document.createElement('figure');
  box.className = 'chart confusion';
  box.id = prefix + 'chart-confusion';
  box.innerHTML = `<figcaption>Confusion matrix at threshold ${threshold[k].toFixed(3)}</figcaption>
    <table><tr><th></th><th>predicted 1</th><th>predicted 0</th></tr>
    <tr><th>actual 1</th><td>${tp[k]}</td><td>${fn[k]}</td></tr>
    <tr><th>actual 0</th><td>${fp[k]}</td><td>${tn[k]}</td></tr></table>`;
  parent.appendChild(box);
  return box;
}
