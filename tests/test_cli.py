"The console script end to end: the demo, predict on saved weights, bad input, and kill -9 then resume."
import os, re, shutil, signal, subprocess, sys, time
from pathlib import Path
import numpy as np, pandas as pd, pytest

from gemma_arena.data import read_table, sample_path
from gemma_arena.inference import prob_columns
from gemma_arena.submission import validate_submission

CLI = [sys.executable, "-m", "gemma_arena.cli"]


def cli(*args, **kw):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=600, **kw)


def test_help_lists_commands_and_options():
    out = cli("--help").stdout
    assert "predict" in out and "demo" in out
    out = cli("predict", "--help").stdout
    for opt in ["--data", "--base", "--lora", "--out", "--max-length", "--truncation", "--batch-size", "--token-budget",
                "--devices", "--dtype", "--tta", "--on-bad-row", "--workers", "--fresh"]:
        assert opt in out, opt


def test_demo_writes_valid_submission(tmp_path):
    "Through the installed console script, as the README runs it: exit status 0, a valid submission."
    r = subprocess.run([shutil.which("gemma-arena"), "demo", "--no-progress"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    sub = pd.read_csv(tmp_path / "submission.csv", dtype={"id": str})
    validate_submission(sub, read_table(sample_path())["id"])
    assert "no bad rows" in r.stderr and "wrote" in r.stderr
    assert "tiny RANDOM Gemma-2" in r.stderr
    assert "Warning" not in r.stderr, "library warnings say nothing to a user"
    for bar in ("Writing model shards", "Loading weights"): assert bar not in r.stderr, "libraries' bars are hidden"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["submission.csv"], "a finished run leaves no checkpoint or lock"


def test_demo_on_malformed_reports_every_bad_row(tmp_path):
    from make_samples import MALFORMED
    r = cli("demo", "--data", sample_path("malformed"), "--out", tmp_path / "s.csv", "--no-progress")
    assert r.returncode == 0, r.stderr
    for id_, (column, _) in MALFORMED.items(): assert f"id={str(id_)!r} column={column!r}" in r.stderr, (id_, column)
    validate_submission(pd.read_csv(tmp_path / "s.csv", dtype={"id": str}), read_table(sample_path("malformed"))["id"])
    assert not Path("x").exists()


@pytest.mark.parametrize("devices", ["cpu", "cpu,cpu"])
def test_predict_stops_on_bad_rows_naming_them(tiny, tmp_path, devices):
    "Bad rows are found while the workers (a thread; two processes) load the model: they stop, the rows are named."
    from make_samples import MALFORMED
    out = tmp_path / "new" / "s.csv"
    r = cli("predict", "--data", sample_path("malformed"), "--base", tiny[0], "--lora", tiny[1], "--out", out, "--devices", devices)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert not out.parent.exists(), "a run stopped by bad rows leaves nothing behind"
    id_, (column, _) = next(iter(MALFORMED.items()))
    assert f"id={str(id_)!r} column={column!r}" in r.stderr


def test_predict_missing_column(tiny, tmp_path):
    read_table(sample_path()).drop(columns="response_b").to_csv(tmp_path / "t.csv", index=False)
    r = cli("predict", "--data", tmp_path / "t.csv", "--base", tiny[0], "--out", tmp_path / "s.csv", "--devices", "cpu")
    assert r.returncode != 0 and "missing required column(s) ['response_b']" in r.stderr


def big_table(path, copies):
    "The sample repeated with fresh ids (ids are text: each with a suffix): enough batches for a kill to land mid-run."
    raw = read_table(sample_path())
    big = pd.concat([raw.assign(id=raw["id"] + f"{k:03d}") for k in range(copies)], ignore_index=True)
    big.to_csv(path, index=False)
    return big


def saved_batches(parts):
    "The checkpoint's batch files, not a temporary file that a kill left half written (`.KEY.npy.PID.TID.tmp`)."
    return [f for f in parts.glob("*.npy") if not f.name.startswith(".")]


def test_kill_and_resume_gives_identical_submission(tiny, tmp_path):
    "kill -9 of the whole run (its worker processes die with it), then the same command: it resumes, byte-identical."
    data = tmp_path / "big.csv"; big_table(data, 12)
    args = ["predict", "--data", data, "--base", tiny[0], "--lora", tiny[1], "--devices", "cpu,cpu", "--max-length", 512, "--tta", "--no-progress"]
    clean = cli(*args, "--out", tmp_path / "clean.csv")
    assert clean.returncode == 0, clean.stderr
    assert "Loading weights" not in clean.stderr, "each worker process hides transformers' bars"
    out, parts = tmp_path / "resumed.csv", tmp_path / "resumed.csv.parts"
    p = subprocess.Popen([*CLI, *map(str, args), "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while p.poll() is None and len(saved_batches(parts)) < 20: time.sleep(0.005)
    os.kill(p.pid, signal.SIGKILL); p.wait(); time.sleep(1)
    assert not out.exists(), "the run finished before it was killed: make the table bigger"
    done = len(saved_batches(parts))
    r = cli(*args, "--out", out)
    assert r.returncode == 0, r.stderr
    assert f"computed, {done} resumed" in r.stderr, r.stderr
    tokens = lambda stderr: int(re.search(r"([\d,]+) tokens computed", stderr).group(1).replace(",", ""))
    assert 0 < tokens(r.stderr) < tokens(clean.stderr), "the rate counts only tokens computed in this run"
    assert out.read_bytes() == (tmp_path / "clean.csv").read_bytes()
    assert not parts.exists()


def test_rerun_to_same_out_with_other_data(tiny, tmp_path):
    "The default --out twice with other data: both runs succeed; an unfinished run's checkpoint for other inputs is set aside."
    base = ["predict", "--base", tiny[0], "--devices", "cpu", "--no-progress"]
    assert cli(*base, "--data", sample_path(), cwd=tmp_path).returncode == 0
    parts = tmp_path / "submission.csv.parts"; parts.mkdir()
    (parts / "manifest.json").write_text('{"fingerprint": "from-another-run"}')
    r = cli(*base, "--data", sample_path("train"), "--max-length", 128, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "holds the batches of a run with other inputs or options: moved it to" in r.stderr
    assert r.stderr.count("moved it to") == 1 and r.stderr.index("moved it to") < r.stderr.index("wrote ")
    assert (tmp_path / "submission.csv.parts.stale" / "manifest.json").exists() and not parts.exists()
    assert len(pd.read_csv(tmp_path / "submission.csv")) == len(read_table(sample_path("train")))


def test_damaged_manifest_is_named(tiny, tmp_path):
    parts = tmp_path / "s.csv.parts"; parts.mkdir(); (parts / "manifest.json").write_text("{oops")
    r = cli("predict", "--data", sample_path(), "--base", tiny[0], "--devices", "cpu", "--out", tmp_path / "s.csv")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"gemma-arena: error: checkpoint manifest {parts / 'manifest.json'} is damaged" in r.stderr
    assert "run again with --fresh" in r.stderr
    r = cli("predict", "--data", sample_path(), "--base", tiny[0], "--devices", "cpu", "--out", tmp_path / "s.csv", "--fresh")
    assert r.returncode == 0, r.stderr


def test_second_run_on_a_busy_checkpoint_stops_at_once(tiny, tmp_path):
    "A run whose --out checkpoint another process holds stops before any work, naming that process."
    out = tmp_path / "s.csv"
    hold = (f"import sys; from gemma_arena.checkpoint import Shards; s = Shards({str(out) + '.parts'!r}).open('x');"
            "print('open', flush=True); sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "open\n"
    r = cli("predict", "--data", sample_path(), "--base", tiny[0], "--devices", "cpu", "--out", out)
    holder.stdin.close(); holder.wait()
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert f"gemma-arena: error: {out}.parts is in use by another run (process {holder.pid})" in r.stderr
    assert not out.exists() and (tmp_path / "s.csv.parts" / "manifest.json").read_text() == '{"fingerprint": "x"}'


def test_readme_preset_table_is_the_presets():
    "The README's preset table names every preset, each with its own `about` line: described once, in `recipes`."
    import re
    from gemma_arena.recipes import presets
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    rows = re.findall(r"^\| `([\w-]+)` \| (.+?) \|", readme, re.M)
    assert dict(rows) == {name: p.about for name, p in presets.items()}


def test_a_4bit_checkpoint_is_merged_on_cpu_without_bitsandbytes(tiny, tmp_path):
    """The seed's base is saved in 4-bit by bitsandbytes. A merged preset reads it itself (`model.nf4_merged`), so it
    runs where bitsandbytes cannot (this CPU) and gives the submission of the same weights stored dequantized (written
    beside it by `testing.nf4_and_twin`). Keeping the weights in 4-bit (`seed`) still needs bitsandbytes and a GPU."""
    from gemma_arena.testing import nf4_and_twin
    nf4, twin = nf4_and_twin(tiny[0], tmp_path)
    run = lambda base, name, *opts: cli("predict", "--data", sample_path(), "--base", base, "--lora", tiny[1],
                                        "--devices", "cpu", "--no-progress", "--out", tmp_path / f"{name}.csv", *opts)
    for base, name in [(nf4, "nf4"), (twin, "twin")]:
        r = run(base, name, "--merge", "--pack", "4096", "--no-compile")
        assert r.returncode == 0, r.stderr
    read = lambda name: pd.read_csv(tmp_path / f"{name}.csv", dtype={"id": str})
    pd.testing.assert_frame_equal(read("nf4"), read("twin"))
    r = run(nf4, "seed", "--preset", "seed")
    assert r.returncode == 2 and "need a CUDA GPU (bitsandbytes)" in r.stderr, r.stderr
