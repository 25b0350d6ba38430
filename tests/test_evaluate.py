"`gemma-arena evaluate` and the labelled report of `predict`, against scikit-learn on the bundled labelled sample."
import re, subprocess, sys
import numpy as np, pandas as pd, pytest
from sklearn.metrics import log_loss, accuracy_score, confusion_matrix

from gemma_arena.data import read_table, sample_path, label_columns

CLI = [sys.executable, "-m", "gemma_arena.cli"]
TRAIN = sample_path("train")


def cli(*args):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def labels(): return read_table(TRAIN)[["id", *label_columns]]


def random_submission(ids, path, seed=0):
    "Dirichlet probabilities for `ids`, rows shuffled so that only a join by id can match them."
    probs = np.random.default_rng(seed).dirichlet([1, 1, 1], len(ids))
    sub = pd.DataFrame(dict(id=list(ids), **dict(zip(label_columns, probs.T)))).sample(frac=1, random_state=seed)
    sub.to_csv(path, index=False)
    return sub


def sklearn_scores(labels, sub):
    "(log loss, accuracy, confusion matrix) by scikit-learn, the predictions joined to the labels by id."
    y = labels[label_columns].to_numpy().argmax(1)
    p = sub.set_index("id").loc[labels["id"], label_columns].to_numpy()
    return log_loss(y, p, labels=[0, 1, 2]), accuracy_score(y, p.argmax(1)), confusion_matrix(y, p.argmax(1), labels=[0, 1, 2])


def printed(name, text): return float(re.search(rf"{name} ([0-9.]+)", text).group(1))


def test_evaluate_matches_sklearn(labels, tmp_path):
    sub = random_submission(labels["id"], tmp_path / "sub.csv")
    r = cli("evaluate", "--data", TRAIN, "--pred", tmp_path / "sub.csv", "--plot", tmp_path / "rel.png")
    assert r.returncode == 0, r.stderr
    loss, acc, cm = sklearn_scores(labels, sub)
    assert abs(printed("log loss", r.stdout) - loss) < 1e-6 and abs(printed("accuracy", r.stdout) - acc) < 1e-4
    for name, row in zip(["a", "b", "tie"], cm): assert re.search(rf"^{name} +{' +'.join(map(str, row))}$", r.stdout, re.M), name
    assert "calibration" in r.stdout and (tmp_path / "rel.png").read_bytes()[:4] == b"\x89PNG"


def test_evaluate_names_ids_missing_on_either_side(labels, tmp_path):
    ids = labels["id"].tolist()
    random_submission(ids[1:] + [123], tmp_path / "sub.csv")
    r = cli("evaluate", "--data", TRAIN, "--pred", tmp_path / "sub.csv")
    assert r.returncode == 2 and r.stdout == ""
    assert f"1 labelled id(s) missing from the predictions: {ids[0]!r}; 1 predicted id(s) missing from the labelled data: '123'" in r.stderr


def test_predict_on_labelled_file_reports_log_loss(tiny, labels, tmp_path):
    out = tmp_path / "sub.csv"
    r = cli("predict", "--data", TRAIN, "--base", tiny[0], "--lora", tiny[1], "--out", out, "--devices", "cpu",
            "--max-length", 128, "--no-progress", "--no-checkpoint")
    assert r.returncode == 0, r.stderr
    loss, acc, _ = sklearn_scores(labels, pd.read_csv(out, dtype={"id": str}))
    assert abs(printed("log loss", r.stderr) - loss) < 1e-6 and abs(printed("accuracy", r.stderr) - acc) < 1e-4
    assert f"on {len(labels)} labelled rows" in r.stderr
