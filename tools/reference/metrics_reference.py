#!/usr/bin/python3
"""Reference values for Federa's metrics, computed with scikit-learn.

Regenerate with (Debian: apt-get install python3-sklearn):
    /usr/bin/python3 tools/reference/metrics_reference.py > federa-core/src/test/resources/metrics/sklearn_reference.json
"""
import json

import numpy as np
import sklearn
from sklearn import metrics

rng = np.random.default_rng(20261124)
cases = []

for name, n, decimals in [("binary_small_ties", 40, 1), ("binary_ties", 500, 2), ("binary_no_ties", 2000, None)]:
    y = rng.integers(0, 2, n)
    raw = 1 / (1 + np.exp(-(1.2 * y - 0.6 + rng.normal(0, 1, n))))
    scores = np.round(raw, decimals) if decimals is not None else raw
    fpr, tpr, thr = metrics.roc_curve(y, scores, drop_intermediate=False)
    pred = (scores >= 0.5).astype(int)
    cases.append({
        "name": name, "kind": "binary",
        "labels": y.tolist(), "scores": scores.tolist(),
        "auc": metrics.roc_auc_score(y, scores),
        "ks": float(np.max(tpr - fpr)),
        "roc_fpr": fpr.tolist(), "roc_tpr": tpr.tolist(), "roc_thresholds": thr[1:].tolist(),
        "accuracy": metrics.accuracy_score(y, pred),
        "precision": metrics.precision_score(y, pred, zero_division=0),
        "recall": metrics.recall_score(y, pred),
        "f1": metrics.f1_score(y, pred),
        "log_loss": metrics.log_loss(y, scores),
        "confusion": metrics.confusion_matrix(y, pred).tolist(),
    })

k, n = 4, 300
y = rng.integers(0, k, n)
logits = rng.normal(0, 1, (n, k))
logits[np.arange(n), y] += 1.0
proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
pred = proba.argmax(axis=1)
cases.append({
    "name": "multiclass", "kind": "multiclass", "classes": k,
    "labels": y.tolist(), "probabilities": proba.tolist(), "predicted": pred.tolist(),
    "accuracy": metrics.accuracy_score(y, pred),
    "macro_precision": metrics.precision_score(y, pred, average="macro", zero_division=0),
    "macro_recall": metrics.recall_score(y, pred, average="macro"),
    "macro_f1": metrics.f1_score(y, pred, average="macro"),
    "log_loss": metrics.log_loss(y, proba),
    "confusion": metrics.confusion_matrix(y, pred).tolist(),
})

n = 250
y = rng.normal(10, 4, n)
pred = y + rng.normal(0, 2, n)
cases.append({
    "name": "regression", "kind": "regression",
    "labels": y.tolist(), "predictions": pred.tolist(),
    "rmse": float(np.sqrt(metrics.mean_squared_error(y, pred))),
    "mae": metrics.mean_absolute_error(y, pred),
    "r2": metrics.r2_score(y, pred),
})

print(json.dumps({"sklearn_version": sklearn.__version__, "cases": cases}))
