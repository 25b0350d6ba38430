"""Worker processes on CPU through the console script: the same probabilities as one worker, Ctrl-C stops within a
batch and the rerun is byte-identical to an uninterrupted run, a killed worker is named with its device and batch."""
import os, signal, subprocess, sys, time
from pathlib import Path
import numpy as np, pandas as pd, pytest

from gemma_arena.data import read_table, sample_path

CLI = [sys.executable, "-m", "gemma_arena.cli"]


def cli(*args, **kw):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def long_rows(tmp_path_factory):
    "The sample eight times over with fresh ids, rows up to 2,048 tokens: real lengths, enough batches to stop mid-run."
    raw = read_table(sample_path())
    path = tmp_path_factory.mktemp("data") / "long.csv"
    pd.concat([raw.assign(id=raw["id"].astype(str) + f"-{k}") for k in range(8)], ignore_index=True).to_csv(path, index=False)
    return path


def run_args(tiny, data, *more):
    return ["predict", "--data", data, "--base", tiny[0], "--lora", tiny[1], "--no-progress", *more]


def test_two_processes_give_one_workers_probabilities(tiny, tmp_path):
    one = cli(*run_args(tiny, sample_path(), "--devices", "cpu", "--tta", "--out", tmp_path / "one.csv"))
    two = cli(*run_args(tiny, sample_path(), "--devices", "cpu,cpu", "--workers", "process", "--tta", "--out", tmp_path / "two.csv"))
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert "leaked" not in two.stderr, "the worker processes left multiprocessing's locks behind"
    a, b = pd.read_csv(tmp_path / "one.csv"), pd.read_csv(tmp_path / "two.csv")
    assert list(a["id"]) == list(b["id"])
    assert np.abs(a.iloc[:, 1:].to_numpy() - b.iloc[:, 1:].to_numpy()).max() <= 1e-6


def started(args, cwd=None):
    "The CLI in its own process group, as a terminal runs it (Ctrl-C reaches the whole group)."
    return subprocess.Popen([*CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=cwd)


def saved(parts): return [f for f in parts.glob("*.npy") if not f.name.startswith(".")] if parts.exists() else []


def wait_for_batches(p, parts, n):
    while p.poll() is None and len(saved(parts)) < n: time.sleep(0.01)
    assert p.poll() is None, "the run finished before it could be stopped: make the table bigger"


def long_run_args(tiny, long_rows):
    "The run that the stopping tests stop: two CPU workers, real-length rows, batches of 2."
    return run_args(tiny, long_rows, "--devices", "cpu,cpu", "--max-length", 2048, "--batch-size", 2)


@pytest.fixture(scope="module")
def clean_long_run(tiny, long_rows, tmp_path_factory):
    "The submission of `long_run_args`'s run, uninterrupted: computed once for both signals."
    out = tmp_path_factory.mktemp("clean") / "clean.csv"
    clean = cli(*long_run_args(tiny, long_rows), "--out", out)
    assert clean.returncode == 0, clean.stderr
    return out


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_stop_then_rerun_is_byte_identical(tiny, long_rows, clean_long_run, tmp_path, how):
    args = long_run_args(tiny, long_rows)
    out, parts = tmp_path / "s.csv", tmp_path / "s.csv.parts"
    p = started([*args, "--out", out])
    wait_for_batches(p, parts, 10)
    stopped_at = time.monotonic()
    if how == "SIGINT": os.killpg(p.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole group
    else: os.kill(p.pid, signal.SIGTERM)
    stderr = p.communicate(timeout=60)[1]
    assert p.returncode == 130, stderr
    assert time.monotonic() - stopped_at < 20, "stopping took longer than a batch should"
    assert "Traceback" not in stderr and "leaked" not in stderr and not out.exists()
    done = len(saved(parts))
    assert f"gemma-arena: interrupted: {done} of " in stderr and "run the same command again to resume" in stderr, stderr
    r = cli(*args, "--out", out)
    assert r.returncode == 0, r.stderr
    assert f"computed, {done} resumed" in r.stderr, r.stderr
    assert out.read_bytes() == clean_long_run.read_bytes()


def children(pid):
    "Process ids whose parent is `pid`."
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try: fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError: continue
        if int(fields[1]) == pid: kids.append(int(stat.parent.name))
    return kids


def test_killed_worker_is_named(tiny, long_rows, tmp_path):
    out, parts = tmp_path / "s.csv", tmp_path / "s.csv.parts"
    p = started([*long_run_args(tiny, long_rows), "--out", out])
    wait_for_batches(p, parts, 4)
    workers = [k for k in children(p.pid) if b"gemma_arena" in Path(f"/proc/{k}/cmdline").read_bytes()
               or b"multiprocessing" in Path(f"/proc/{k}/cmdline").read_bytes()]
    assert len(workers) >= 2, workers
    os.kill(workers[-1], signal.SIGKILL)
    stderr = p.communicate(timeout=120)[1]
    assert p.returncode == 2, stderr
    assert "gemma-arena: error: the worker on cpu (worker " in stderr and "died (killed by SIGKILL)" in stderr, stderr
    assert " on batch " in stderr or " between batches" in stderr or " before its first batch" in stderr
    assert "Traceback" not in stderr and "leaked" not in stderr, stderr


def test_the_cli_process_leaves_cuda_to_its_workers():
    """The CLI's own process imports neither PEFT nor bitsandbytes: bitsandbytes initialises CUDA as it loads, and a
    process that has initialised CUDA cannot fork its GPU workers (`workers.start_method`)."""
    code = ("import sys, gemma_arena.cli, gemma_arena.inference, gemma_arena.recipes; "
            "print(sorted(m for m in ('peft', 'bitsandbytes') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


@pytest.mark.parametrize("preset", ["fast", "seed"])
def test_no_preset_imports_peft_for_a_plain_lora(tiny, preset):
    """A worker reads a plain LoRA from its file (`model.lora_from_file`) and merges it (`fast`) or wraps its layers in
    `model.LoraLinear` (`seed`): importing PEFT and wrapping the model with it were a good part of each GPU worker's
    start."""
    base, lora = tiny
    code = ("import sys; from gemma_arena.recipes import presets, recipe; "
            f"r = recipe(presets[{preset!r}], {str(base)!r}, {str(lora)!r}, None, 'fp32', compile=False)[1]; "
            "m = r.load('cpu'); print(type(m).__name__, 'peft' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["Gemma2ForSequenceClassification", "False"], r.stdout
