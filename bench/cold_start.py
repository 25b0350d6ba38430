"""Where a cold start's seconds go: compile time of the packed, flex-attention 9B per pack size, static against
dynamic shapes, with a cold and a warm inductor cache; and the steady speed of each compiled form.

    python bench/cold_start.py --out DIR            # runs the experiments, two at a time (one per GPU)

Each experiment is a fresh process (`--one MODE CACHE DEVICE`) with its own inductor cache directory: `cold` uses a new
one, `warm` reuses the directory a `cold` run filled. The model is a random Gemma-2 9B in fp16 built on the GPU (the
`fast` preset's merged weights; where the weights come from does not change what is compiled).
"""
import argparse, json, os, subprocess, sys, time
from pathlib import Path

SHAPES = [16384, 12288, 8192, 16384]


def one(mode, cache, device, shapes):
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache
    os.environ["TRITON_CACHE_DIR"] = str(Path(cache) / "triton")
    t0 = time.perf_counter()
    import numpy as np, torch
    from transformers import Gemma2ForSequenceClassification
    from gemma_arena.model import gemma2_9b_config, tiny_config, decoder_and_head
    from gemma_arena.packing import packed_logits
    t_import = time.perf_counter() - t0
    sync = lambda d: torch.cuda.synchronize(d) if d.startswith("cuda") else None
    torch.manual_seed(0)
    cfg = gemma2_9b_config(attn_implementation="flex_attention", use_cache=False)
    if os.environ.get("GA_TINY"): cfg = tiny_config(attn_implementation="eager", use_cache=False)
    t = time.perf_counter()
    with torch.device(device): model = Gemma2ForSequenceClassification._from_config(cfg, dtype=torch.float16).eval()
    sync(device); t_build = time.perf_counter() - t
    dynamo = torch._dynamo.config
    dynamo.recompile_limit = max(dynamo.recompile_limit, 64)
    dyn = dict(static=False, dynamic=True).get(mode)
    if mode != "eager":
        for layer in decoder_and_head(model)[0].layers: layer.compile(dynamic=dyn)
    rng = np.random.default_rng(0)
    out = dict(mode=mode, device=device, import_s=t_import, build_s=t_build, first=[], steady={})
    for n in shapes:
        seqs, left = [], n
        while left > 64:
            L = int(min(left, rng.integers(64, 2048))); seqs.append(rng.integers(3, 200000, L).tolist()); left -= L
        t = time.perf_counter()
        with torch.no_grad(), torch.autocast(device.split(":")[0], dtype=torch.float16): packed_logits(model, seqs, n, 0)
        sync(device); first = time.perf_counter() - t
        times = []
        for _ in range(3):
            t = time.perf_counter()
            with torch.no_grad(), torch.autocast(device.split(":")[0], dtype=torch.float16): packed_logits(model, seqs, n, 0)
            sync(device); times.append(time.perf_counter() - t)
        out["first"].append([n, round(first, 2)]); out["steady"][n] = round(sorted(times)[1] * 1000, 1)
        print(mode, device, n, f"first {first:.1f} s, steady {sorted(times)[1]*1000:.0f} ms", flush=True)
    out["total_s"] = time.perf_counter() - t0
    print("RESULT " + json.dumps(out), flush=True)


def experiments(out, rounds):
    results = []
    for rnd in rounds:
        procs = []
        for dev, (mode, cache) in zip(os.environ.get("GA_DEVICES", "cuda:0,cuda:1").split(","), rnd):
            log = open(out / f"{mode}-{Path(cache).name}-{dev[-1]}.log", "a")
            cmd = [sys.executable, __file__, "--one", mode, str(out / cache), dev]
            procs.append((subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True), mode, cache))
        for p, mode, cache in procs:
            for line in p.stdout:
                print(line, end="", flush=True)
                if line.startswith("RESULT "): results.append(dict(json.loads(line[7:]), cache=cache))
            p.wait()
    (out / "cold_start.json").write_text(json.dumps(results, indent=1))
    for r in results:
        print(f"{r['mode']:8s} {r['cache']:10s} import {r['import_s']:.0f}s build {r['build_s']:.0f}s first "
              + " ".join(f"{n}:{s}s" for n, s in r["first"]) + " steady " + json.dumps(r["steady"]))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--one", nargs=3)
    p.add_argument("--out", default="/tmp/cold")
    p.add_argument("--rounds", default="static:cS,dynamic:cD;static:cS,dynamic:cD;auto:cA,eager:cE")
    a = p.parse_args()
    if a.one: one(*a.one, [n // 16 for n in SHAPES] if os.environ.get("GA_TINY") else SHAPES)
    else:
        out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
        rounds = [[tuple(e.split(":")) for e in r.split(",")] for r in a.rounds.split(";")]
        experiments(out, rounds)
