"""End to end, as a user waits for it: `gemma-arena predict` run from the shell, per preset and GPU count, from a cold
and a warm compile cache, timed by the wall clock, on rows whose token lengths are drawn from real arena rows.

    python bench/e2e.py --rows 800 --out DIR --runs fast:2:cold,fast:2:warm,fast:1:warm,seed:2,seed:1,seed:2:warm:seedcfg

A run is PRESET:GPUS[:cold|warm[:seedcfg|w2|nohold|stop|kill|killcli|hogN]]; `w2` runs two workers on each
GPU; `nohold` runs without holding 4-bit weights dequantized (`--no-hold-dequantized`), and compares with the `:warm`
run; `seedcfg` runs the seed's own configuration:
threads on one process, rows dealt alternately (`--workers thread --split alternate`). `stop` runs with a
checkpoint, sends SIGINT once 4 batches are saved, times the exit, reruns to resume, and compares with the `:warm`
run of the same preset and GPU count; `kill` does the same with SIGKILL to the worker on the last GPU, `killcli` with
SIGKILL to the command itself (and then says whether any worker outlived it). `hogN` runs while another process
holds all of cuda:0's memory but N GiB (a GPU shared with a notebook's model), and compares with the `:warm` run.

Weights: a random Gemma-2 9B-it-shaped classifier pre-quantized to 4-bit NF4 (double quant) with a random LoRA of the
seed's shape (`bench.build`). Tokenizer: a word-level one (each word one token), so a row's token length is exactly
the length drawn from `bench/arena_lengths.json` (the seed's text format, median 548, 3.9% over 2048). Each run is a
fresh `gemma-arena predict --no-checkpoint` process; `cold` gives it an empty compile cache, `warm` the cache the cold
run filled. The CLI's last line gives the seconds from the command to its workers' start, and load (with the part
hidden behind reading the rows), compile, compute and predict seconds; the wall clock gives the total a user waits,
and the run's stderr, stamped as it comes, when the rows were read and how long the process took to exit after its
last line. Probabilities of the same preset on 1 and 2 GPUs are compared (max |dp|; the 2-GPU run warm, else cold),
and so are their seconds: 1 GPU against 2 in predict − compile (issue 11's measure) and in compute, over the means of
a preset's plain warm runs on each count, and for each pair in run order (the k-th run on 1 GPU with the k-th on 2).
One machine's runs compute a few percent apart, so a single pair is a noisy measure.
"""
import argparse, json, os, re, signal, subprocess, sys, threading, time
from contextlib import contextmanager
from pathlib import Path
import numpy as np, pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from bench import build, arena_rows
from tokenizers import Tokenizer, models, pre_tokenizers, processors
from transformers import PreTrainedTokenizerFast
from gemma_arena.model import gemma2_9b_config
from gemma_arena.testing import tiny_config
from gemma_arena.tokens import load_tokenizer

N_WORDS = 50000


def word_tokenizer(path):
    "A word-level tokenizer (pad 0, eos 1, bos 2, unk 3, then `w0`...): one token a word, BOS and EOS added."
    vocab = {"<pad>": 0, "<eos>": 1, "<bos>": 2, "<unk>": 3, **{f"w{i}": i + 4 for i in range(N_WORDS)}}
    t = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    t.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    t.post_processor = processors.TemplateProcessing(single="<bos> $A <eos>", special_tokens=[("<bos>", 2), ("<eos>", 1)])
    PreTrainedTokenizerFast(tokenizer_object=t, bos_token="<bos>", eos_token="<eos>", pad_token="<pad>",
                            unk_token="<unk>").save_pretrained(path)
    return load_tokenizer(path)


def write_rows(path, n, seed=0):
    "A competition CSV of `n` rows whose seed-format texts have token lengths drawn from real arena rows."
    lengths = json.loads((Path(__file__).parent / "arena_lengths.json").read_text())["lengths"]
    rng = np.random.default_rng(seed)
    words = lambda k: " ".join(f"w{i}" for i in rng.integers(0, N_WORDS, max(k, 1)))
    rows = []
    for i, L in enumerate(rng.choice(lengths, n)):
        body = max(int(L) - 8, 3)  # "<prompt>:", "<response_a>:", "<response_b>:", BOS and EOS take the rest
        p = body // 5; a = (body - p) // 2
        rows.append(dict(id=i, prompt=json.dumps([words(p)]), response_a=json.dumps([words(a)]),
                         response_b=json.dumps([words(body - p - a)])))
    pd.DataFrame(rows).to_csv(path, index=False)


def cli_command(name, preset, gpus, data, base, lora, out, device="cuda", extra=()):
    "The `gemma-arena predict` command line of a run."
    devices = ",".join(f"cuda:{i}" if device == "cuda" else "cpu" for i in range(gpus))
    return [sys.executable, "-m", "gemma_arena.launch", "predict", "--data", str(data), "--base", str(base),
            "--lora", str(lora), "--preset", preset, "--devices", devices, "--no-progress",
            "--out", str(out / f"{name}.csv"), *extra]


def cache_env(preset, cache, out):
    "The environment of a run: its preset's inductor cache, emptied first for a `cold` run."
    env = dict(os.environ, TORCHINDUCTOR_CACHE_DIR=str(out / f"cache-{preset}"), PYTHONUNBUFFERED="1")
    if cache == "cold": subprocess.run(["rm", "-rf", env["TORCHINDUCTOR_CACHE_DIR"]])
    return env


def last_said(text, width=300):
    "The last line of `text`, cut to `width` characters ('?' if there is none)."
    return (text.strip().splitlines() or ["?"])[-1][:width]


def last_line(name, stderr, wall, **run):
    "A run's seconds from the CLI's last line, and its wall clock; or its error."
    last = [l for l in stderr.splitlines() if l.startswith("wrote ")]
    if not last: return dict(run=name, error=last_said(stderr))
    secs = dict(re.findall(r"(start|load|compile|compute|predict|total) ([\d.]+)", last[-1]))
    done = re.search(r"batches: (\d+) computed, (\d+) resumed", last[-1])
    rate = re.search(r"at ([\d,]+) tokens/s", last[-1])  # absent when nothing took time to compute
    hidden = re.search(r"([\d.]+) of it before the rows were ready", last[-1])
    events = re.findall(r"(oom splits|nonfinite splits|bf16 retries) (\d+)", last[-1])
    peak = re.search(r"peak GPU memory ([\d.]+) GiB", last[-1])
    return dict(run=name, **run, **{k.replace(" ", "_"): int(v) for k, v in events},
                **({"gpu_peak_gib": float(peak[1])} if peak else {}),
                wall_s=round(wall, 1), tokens_per_s=rate and rate[1],
                batches_computed=int(done[1]),
                batches_resumed=int(done[2]), load_hidden_s=float(hidden[1]) if hidden else 0.0,
                **{k + "_s": float(v) for k, v in secs.items()})


def stop(p:subprocess.Popen, grace:float=60):
    "Ctrl-C the run (it saves what it can), then kill its process group after `grace` seconds."
    p.send_signal(signal.SIGINT)
    try: p.wait(timeout=grace)
    except subprocess.TimeoutExpired: os.killpg(p.pid, signal.SIGKILL); p.wait()


def timed_run(cmd, env, log:Path, timeout:float):
    """Run `cmd`, its stderr written to `log` as it comes (a stopped run keeps it); stopped after `timeout` s.
    Returns its exit code (or 'timed out'), when its rows line and its last line came, and its wall seconds."""
    t, seen, late = time.perf_counter(), {}, threading.Event()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                         start_new_session=True)
    timer = threading.Timer(timeout, lambda: (late.set(), stop(p))); timer.start()
    with open(log, "w") as f:
        for line in p.stderr:
            f.write(line); f.flush()
            for key, mark in (("rows_read_at_s", " rows from "), ("wrote_at_s", "wrote ")):
                if mark in line: seen.setdefault(key, round(time.perf_counter() - t, 1))
    code = p.wait(); timer.cancel()
    return (f"timed out after {timeout:.0f} s" if late.is_set() else code), seen, time.perf_counter() - t


def parsed_run(name, cmd, env, log:Path, timeout:float, **run):
    """`timed_run`, then its seconds from its last line, the wall clock, when the rows were read (imports, recipe,
    workers started, file read) and how long it took to exit after its last line; or its error."""
    code, seen, wall = timed_run(cmd, env, log, timeout)
    stderr = log.read_text()
    if code != 0: return dict(run=name, **run, error=f"{code}: {last_said(stderr)}")
    r = last_line(name, stderr, wall, **run)
    return dict(r, **seen, exit_s=round(wall - seen["wrote_at_s"], 1)) if "wrote_at_s" in seen else r


def cli_run(name, preset, gpus, cache, data, base, lora, out, timeout, device="cuda", extra=()):
    "One `gemma-arena predict --no-checkpoint` process, as `parsed_run` reads it."
    cmd = cli_command(name, preset, gpus, data, base, lora, out, device, ["--no-checkpoint", *extra])
    return parsed_run(name, cmd, cache_env(preset, cache, out), out / f"{name}.log", timeout, preset=preset,
                      gpus=gpus, cache=cache)


def workers_of(pid:int)->list[int]:
    "The worker processes of the command `pid`, in the order it started them (not multiprocessing's helpers)."
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sorted(int(k) for k in kids if b"resource_tracker" not in Path(f"/proc/{k}/cmdline").read_bytes())


def alive(pid:int)->bool:
    "Whether process `pid` still runs (a zombie counts as gone)."
    try: return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError: return False


def fault(p:subprocess.Popen, how:str):
    "Ctrl-C the command (`stop`), or SIGKILL its last worker (`kill`) or the command itself (`killcli`)."
    if how == "stop": p.send_signal(signal.SIGINT)
    else: os.kill(workers_of(p.pid)[-1] if how == "kill" else p.pid, signal.SIGKILL)


def interrupted_run(name, preset, gpus, data, base, lora, out, timeout, device="cuda", after=4, how="stop"):
    """Fault a checkpointed run (`fault`'s `how`) once `after` batches are saved, time its exit, then rerun it to
    resume. Returns the seconds from the fault to the exit, the exit code, the last line, the workers still running
    3 s after the exit, and the rerun's batch counts."""
    cmd, env = cli_command(name, preset, gpus, data, base, lora, out, device), cache_env(preset, "warm", out)
    parts, log = out / f"{name}.csv.parts", open(out / f"{name}.log", "w")
    subprocess.run(["rm", "-rf", str(parts), str(out / f"{name}.csv")])
    t, p = time.perf_counter(), subprocess.Popen(cmd, stderr=log, env=env)
    while p.poll() is None and len(list(parts.glob("*.npy"))) < after and time.perf_counter() - t < timeout / 2:
        time.sleep(0.2)
    saved, sent, workers = len(list(parts.glob("*.npy"))), time.perf_counter(), workers_of(p.pid)
    fault(p, how)
    try: code = p.wait(timeout=120)
    except subprocess.TimeoutExpired: p.kill(); code = "killed after 120 s"
    stopped = dict(stop_s=round(time.perf_counter() - sent, 1), exit=code, saved_at_fault=saved,
                   said=last_said((out / f"{name}.log").read_text(), 300))
    time.sleep(3)
    stopped["workers_left"] = sum(map(alive, workers))
    return parsed_run(name, cmd, env, out / f"{name}-rerun.log", timeout / 2, preset=preset, gpus=gpus,
                      cache="warm", **stopped)


HOG = ("import sys, time, torch; free = torch.cuda.mem_get_info(0)[0]; "
       "held = torch.empty(max(0, free - int(float(sys.argv[1]) * 2**30)), dtype=torch.uint8, device='cuda:0'); "
       "print(round(torch.cuda.mem_get_info(0)[0] / 2**30, 2), flush=True); time.sleep(3600)")


@contextmanager
def memory_hog(free_gib:float, device:str="cuda"):
    "Another process holding all of cuda:0's memory but `free_gib` GiB, while inside (none on the CPU); GiB left."
    if device != "cuda": yield None; return
    p = subprocess.Popen([sys.executable, "-c", HOG, str(free_gib)], stdout=subprocess.PIPE, text=True)
    try: yield float(p.stdout.readline())
    finally: p.kill(); p.wait()


def hogged_run(name, preset, gpus, free_gib, data, base, lora, out, timeout, device="cuda"):
    "`cli_run` (warm) while `memory_hog` leaves `free_gib` GiB of cuda:0's memory free."
    with memory_hog(free_gib, device) as left:
        return dict(cli_run(name, preset, gpus, "warm", data, base, lora, out, timeout, device), free_gib=left)


def max_dp(a:pd.DataFrame, b:pd.DataFrame)->float:
    "The largest difference between two submissions' probabilities, row by row."
    return np.abs(a.iloc[:, 1:].to_numpy() - b.iloc[:, 1:].to_numpy()).max()


def prepare(out:Path, work:Path, rows:int, tiny:bool)->tuple[Path, Path, Path, str]:
    "The rows' CSV under `out`, and the weights under `work` (built once): data, base, lora and device kind."
    out.mkdir(parents=True, exist_ok=True); work.mkdir(parents=True, exist_ok=True)
    tok = word_tokenizer(work / "tok")
    data = out / "rows.csv"; write_rows(data, rows)
    t = time.perf_counter()
    config, device = (tiny_config(N_WORDS + 4), "cpu") if tiny else (gemma2_9b_config(), "cuda")
    base, lora, base4 = build(work, config, tok, "cpu" if tiny else "cuda:0", not tiny,
                              arena_rows(32, 512, N_WORDS + 4))
    print(f"built weights in {time.perf_counter() - t:.0f} s", flush=True)
    return data, (base if tiny else base4), lora, device


def bench_args(doc, rows, out, workdir, runs, budget):
    "The command line of an end-to-end benchmark, with these defaults."
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=rows)
    ap.add_argument("--out", default=out)
    ap.add_argument("--workdir", default=workdir)
    ap.add_argument("--runs", default=runs)
    ap.add_argument("--budget", type=float, default=budget, help="seconds; runs that would start later are skipped")
    ap.add_argument("--tiny", action="store_true", help="a tiny model on the CPU, to check the harness")
    return ap.parse_args()


def scaling(results:list[dict], preset:str)->str|None:
    "1 GPU against 2 over `preset`'s plain warm runs: predict − compile and compute, by pair in run order and by mean."
    runs = {g: [r for r in results if r["run"] == f"{preset}-{g}-warm" and "error" not in r] for g in (1, 2)}
    if not (runs[1] and runs[2]): return None
    strict = lambda r: r["predict_s"] - r["compile_s"]
    ratio = lambda f, ones, twos: np.mean([f(r) for r in ones]) / np.mean([f(r) for r in twos])
    pairs = ", ".join(f"{ratio(strict, [a], [b]):.2f}" for a, b in zip(runs[1], runs[2]))
    return (f"{preset}: 1 GPU against 2, predict − compile: {ratio(strict, runs[1], runs[2]):.2f}× over the means of "
            f"{len(runs[1])} and {len(runs[2])} warm runs (pairs in run order: {pairs}); compute: "
            f"{ratio(lambda r: r['compute_s'], runs[1], runs[2]):.2f}×")


def main():
    args = bench_args(__doc__, 1000, "/tmp/e2e", "/tmp/ga-e2e",
                      "fast:2:cold,fast:2:warm,fast:1:warm,seed:2,seed:1", 540)
    start, out = time.perf_counter(), Path(args.out)
    data, base, lora, device = prepare(out, Path(args.workdir), args.rows, args.tiny)
    results = []
    for spec in args.runs.split(","):
        fields = spec.split(":")
        preset, gpus, cache, how = fields + ["warm", ""][len(fields) - 2:]
        name, left = f"{preset}-{gpus}-{cache}" + (f"-{how}" if how else ""), args.budget - (time.perf_counter() - start)
        extra = ["--workers", "thread", "--split", "alternate"] if how == "seedcfg" else []
        if how == "nohold": extra = ["--no-hold-dequantized"]
        if how == "w2": extra = ["--devices", ",".join(f"cuda:{i}" if device == "cuda" else "cpu"
                                                      for _ in range(2) for i in range(int(gpus)))]
        if left < 30: results.append(dict(run=name, error="skipped: out of time")); continue
        if how in ("stop", "kill", "killcli"):
            r = interrupted_run(name, preset, int(gpus), data, base, lora, out, left, device, how=how)
        elif how.startswith("hog"):
            r = hogged_run(name, preset, int(gpus), float(how[3:]), data, base, lora, out, left, device)
        else: r = cli_run(name, preset, int(gpus), cache, data, base, lora, out, left, device, extra)
        results.append(r); print(json.dumps(r), flush=True)
        (out / "e2e.json").write_text(json.dumps(results, indent=1))
    sub = {r["run"]: pd.read_csv(out / f"{r['run']}.csv") for r in results if "error" not in r}
    for preset in {r.get("preset") for r in results} - {None}:
        one = sub.get(f"{preset}-1-warm")
        two = next((sub[k] for k in (f"{preset}-2-warm", f"{preset}-2-cold") if k in sub), None)
        if one is not None and two is not None:
            print(f"{preset}: 1 GPU vs 2 GPUs max |dp| = {max_dp(one, two):.3g}", flush=True)
        print(*filter(None, [scaling(results, preset)]), flush=True)
    for r in results:
        warm = f"{r.get('preset')}-{r.get('gpus')}-warm"  # the plain run of the same preset and GPU count
        if r["run"] in sub and warm in sub and r["run"] != warm:
            print(f"{r['run']} vs {warm}: max |dp| = {max_dp(sub[r['run']], sub[warm]):.3g}", flush=True)
    print(f"{'run':16s} {'wall':>6s} {'start':>6s} {'load':>6s} {'hidden':>6s} {'compile':>8s} {'compute':>8s}"
          f" {'predict':>8s}  tokens/s")
    for r in results:
        if "error" in r: print(f"{r['run']:16s} {r['error']}"); continue
        print(f"{r['run']:16s} {r['wall_s']:6.1f} {r.get('start_s', float('nan')):6.1f} {r['load_s']:6.1f} "
              f"{r['load_hidden_s']:6.1f} {r['compile_s']:8.1f} "
              f"{r.get('compute_s', float('nan')):8.1f} {r['predict_s']:8.1f}  {r['tokens_per_s']}")


if __name__ == "__main__": main()
