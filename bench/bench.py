"""Benchmark harness: the seed recipe and gemma_arena's configurations, side by side, in one process on one GPU.

    python bench/bench.py --rows 256 --configs seed,ga-seed,ga-budget,merged-fp16,fp32-ref --md bench/RESULTS-run.md
    python bench/bench.py --combine RUN1.json RUN2.json   # one table of runs cut short (each RUN.json + RUN-probs.npz)

Weights: a random-initialised Gemma-2 9B-it-shaped classifier (`gemma2_9b_config`), its score head spread like a
trained one, with a random LoRA of the seed's shape (r16, alpha 32, q/k/v of layers 16-41), written to disk and
saved once more pre-quantized to 4-bit NF4 with double quantization, as the seed's base checkpoint was.

Rows: token lengths drawn (with replacement, seeded) from `bench/arena_lengths.json` — the lengths of 1,982 real
arena train rows in the seed's text format (Gemma 3 tokenizer as a stand-in, BOS and EOS included; median 548, 3.9%
over 2048) — and capped at --max-length as right truncation caps them; token ids are random (BOS first, EOS last).

Each configuration is warmed up (compiled ones over all rows, which compiles every pack capacity; the others on 8
rows), then timed over --repeats passes (the fp32 reference: one); the median pass counts. For every configuration
it prints real tokens/s (padding excluded), the ratio to the seed recipe measured in the same run, peak GPU memory
while running and while loading, and max |dp| against the seed recipe and against the fp32 reference (the same
dequantized 4-bit weights and LoRA, merged in fp32 and run in fp32 without autocast). A configuration further from
the reference than the seed recipe is flagged; one that fails is reported and the run goes on. `fast`, `fast-8bit`
and `fast-4bit` are the presets of `gemma_arena.recipes.presets`. `--tiny` runs the same harness on a tiny model
(CPU or GPU) to check it.
"""
import argparse, gc, json, os, sys, time
from contextlib import contextmanager
from pathlib import Path

import numpy as np, pandas as pd, torch
from tokenizers import Tokenizer, models, pre_tokenizers, processors
from transformers import PreTrainedTokenizerFast

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))  # seed_recipe.py, the seed's code transcribed
import seed_recipe
import gemma_arena.inference as inference
import gemma_arena.forward as forward
from gemma_arena.model import gemma2_9b_config, load_model
from gemma_arena.testing import make_random_model, tiny_config, seed_lora_config, spread_score_head
from gemma_arena.inference import predict_ids, prob_columns
from gemma_arena.recipes import Options, Replica, presets, load_fields, batching_fields
from gemma_arena.packing import compile_layers, halved
from gemma_arena.tokens import load_tokenizer

BOS, EOS, PAD = 2, 1, 0


def padding_tokenizer(path):
    "A minimal Gemma-like tokenizer (pad 0, eos 1, bos 2) saved at `path`: the benchmark brings token ids, it only pads."
    t = Tokenizer(models.WordLevel({"<pad>": PAD, "<eos>": EOS, "<bos>": BOS, "<unk>": 3}, unk_token="<unk>"))
    t.pre_tokenizer = pre_tokenizers.Whitespace()
    t.post_processor = processors.TemplateProcessing(single="<bos> $A <eos>", special_tokens=[("<bos>", BOS), ("<eos>", EOS)])
    tok = PreTrainedTokenizerFast(tokenizer_object=t, bos_token="<bos>", eos_token="<eos>", pad_token="<pad>", unk_token="<unk>")
    tok.save_pretrained(path)
    return load_tokenizer(path)


def arena_rows(n, max_length, vocab, seed=0):
    "`n` rows of random token ids whose lengths are drawn from real arena rows, capped at `max_length`."
    lengths = json.loads((Path(__file__).parent / "arena_lengths.json").read_text())["lengths"]
    rng = np.random.default_rng(seed)
    return [[BOS] + rng.integers(3, vocab, min(L, max_length) - 2).tolist() + [EOS] for L in rng.choice(lengths, n)]


def build(workdir, config, tok, device, quantize, calib):
    """Write the random base (bf16), its adapter, and (on GPU) a pre-quantized 4-bit copy; return the directories.
    The score head is spread over `calib` on the model that is benchmarked: 4-bit quantization of random weights
    moves the hidden states far, so the head (saved with the adapter, as the seed's) is spread again over the 4-bit
    model + LoRA. In a random 9B the rows' hidden states differ in no direction that generalises (a head spread over
    32 other rows gave a logit std of only 0.3 on the benchmark's rows), so `calib` is the benchmark's own rows."""
    built = workdir / "built"  # written last: a build cut short is built again
    if built.exists(): return workdir / "base", workdir / "lora", workdir / "base4bit"
    big = config.num_hidden_layers > 16
    t = time.time()
    base, lora = make_random_model(workdir, config, tok, calib, seed_lora_config(list(range(16, config.num_hidden_layers)) if big else [1, 2], r=16 if big else 4, alpha=32 if big else 8),
                                   dtype=torch.bfloat16 if device != "cpu" else torch.float32, device=device)
    if quantize:
        m = load_model(base, device=device, dtype="fp16", quant="4bit")
        m.save_pretrained(workdir / "base4bit"); tok.save_pretrained(workdir / "base4bit")
        del m; free()
        from peft import PeftModel  # the adapter's own saving, which `load_model`'s plain-LoRA layers lack
        m = PeftModel.from_pretrained(load_model(workdir / "base4bit", device=device, dtype="fp16"), str(lora))
        spread_score_head(m, calib); m.save_pretrained(lora)
        del m; free()
    built.touch()
    print(f"built random model in {time.time() - t:.0f} s", flush=True)
    return base, lora, workdir / "base4bit"


def logit_spread(p):
    "Standard deviation across rows of the logits (recovered from probabilities, centred per row), mean over labels."
    logp = np.log(np.clip(p, 1e-12, 1))
    return float((logp - logp.mean(1, keepdims=True)).std(0).mean())


def free():
    gc.collect()
    if torch.cuda.is_available(): torch.cuda.empty_cache()


def sync():
    if torch.cuda.is_available(): torch.cuda.synchronize()


def run_seed(model, tok, rows, device):
    "The seed's `inference` (verbatim) on all rows sorted as the seed sorts them, in one thread."
    data = pd.DataFrame(dict(id=np.arange(len(rows)), input_ids=rows, attention_mask=[[1] * len(r) for r in rows]))
    data["length"] = data["input_ids"].apply(len)
    data = data.sort_values("length", ascending=False)
    out = seed_recipe.make_inference(tok, 4)(data, model, device)
    return out.sort_values("id")[prob_columns].to_numpy()


def run_ga(models, tok, rows, devices, opts):
    out = predict_ids([rows], np.arange(len(rows)), models, devices, tok.pad_token_id, opts, progress=False)
    return out[prob_columns].to_numpy()


def peak_gib():
    "Peak GPU memory allocated since the last reset, in GiB (NaN on CPU); resets it."
    if not torch.cuda.is_available(): return float("nan")
    peak = torch.cuda.max_memory_allocated() / 2**30
    torch.cuda.reset_peak_memory_stats()
    return peak


def timed(fn, rows, repeats, warmup):
    """Warm up on the first `warmup` rows (all rows: for compiled configurations that compiles every pack capacity),
    then time `repeats` passes; return the last pass's probabilities, the median seconds, each pass's seconds, peak GiB."""
    fn(rows[:warmup]); sync(); peak_gib()
    seconds = []
    for _ in range(repeats):
        t = time.perf_counter(); p = fn(rows); sync(); seconds.append(time.perf_counter() - t)
    return p, float(np.median(seconds)), seconds, peak_gib()


@contextmanager
def replaced(module, **names):
    "`module`'s attributes `names` replaced by the values given while the context is open."
    keep = {name: getattr(module, name) for name in names}
    vars(module).update(names)
    try: yield
    finally: vars(module).update(keep)


def ablated(run, **replacements):
    "`run` with names of `gemma_arena.inference` replaced while it runs: the ablation of one technique."
    def run_ablated(*args):
        with replaced(inference, **replacements), replaced(forward, **replacements): return run(*args)
    return run_ablated


ablations = {
    "fixed": dict(pack_capacity=lambda tokens, capacity, smallest=0: capacity),  # every pack padded to the full capacity
    "pow2": dict(pack_capacity=lambda tokens, capacity, smallest=1024: halved(capacity, tokens, smallest)),  # powers of two only
}


def configs(base, lora, base4, dev, fp, quantized):
    "name -> (load_model kwargs, number of replicas on the device, runner(models, tok, rows))."
    b4 = dict(base=base4 if quantized else base, lora=lora, dtype=fp)
    ga = lambda n=1, dtype=fp, **kw: lambda ms, t, r: run_ga(ms, t, r, [dev] * n, Options(dtype=dtype, **kw))
    fields_of = lambda name, names: {k: getattr(presets[name], k) for k in names}
    preset = lambda name: ({**b4, **fields_of(name, load_fields)}, 1, ga(**fields_of(name, batching_fields)))
    return {
        "seed": (b4, 1, lambda ms, t, r: run_seed(ms[0], t, r, dev)),
        "ga-seed": (b4, 1, ga(batch_size=4)),
        "ga-seed-2replicas": (b4, 2, ga(2, batch_size=4)),
        "ga-budget": (b4, 1, ga(batch_size=None, token_budget=16384)),
        "ga-bf16": (dict(base=base, lora=lora, dtype="bf16", quant="4bit" if quantized else None), 1, ga(dtype="bf16")),
        "merged-fp16": ({**b4, "merge": True}, 1, ga(batch_size=4)),
        "packed-4bit": ({**b4, "attn": "flex_attention"}, 1, ga(batch_size=None, pack=16384)),
        "packed-fp16": ({**b4, "merge": True, "attn": "flex_attention"}, 1, ga(batch_size=None, pack=16384)),
        "packed-bf16": ({**b4, "dtype": "bf16", "merge": True, "attn": "flex_attention"}, 1, ga(dtype="bf16", batch_size=None, pack=16384)),
        "fast": preset("fast"),
        **{f"fast-{a}": (preset("fast")[0], 1, ablated(preset("fast")[2], **ablations[a])) for a in ablations},
        "fast-8bit": preset("fast-8bit"),
        "merged-8bit": ({**b4, "merge": True, "int8": True}, 1, ga(batch_size=None, token_budget=8192)),
        "fast-32k": ({**b4, "merge": True, "attn": "flex_attention", "compile": True}, 1, ga(batch_size=None, pack=32768)),
        "fast-4bit": preset("fast-4bit"),
        "fp32-ref": ({**b4, "dtype": "fp32", "merge": True}, 1, ga(dtype="fp32")),
    }


def default_workdir():
    "RAM-backed /dev/shm where it has room for the 9B weights (bf16 and 4-bit, ~25 GB), else /tmp."
    import shutil
    shm = Path("/dev/shm")
    return str(shm / "ga-bench") if shm.exists() and shutil.disk_usage(shm).free > 40 * 2**30 else "/tmp/ga-bench"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=256)
    ap.add_argument("--max-length", type=int, default=2048)
    ap.add_argument("--configs", default="seed,ga-seed,ga-seed-2replicas,ga-budget,packed-4bit,fast-4bit,merged-fp16,packed-fp16,fast,ga-bf16,fp32-ref")
    ap.add_argument("--workdir", default=default_workdir())
    ap.add_argument("--tiny", action="store_true", help="a tiny model instead of the 9B shape, to check the harness")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes per configuration (after a warm-up pass); the median counts")
    ap.add_argument("--md", help="append the Markdown table to this file")
    args = ap.parse_args()
    dev = "cuda:0" if torch.cuda.is_available() else "cpu"
    quantized = dev != "cpu"
    fp = "fp16" if dev != "cpu" else "fp32"
    config = tiny_config(vocab_size=512) if args.tiny else gemma2_9b_config()
    workdir = Path(args.workdir) / ("tiny" if args.tiny else "9b"); workdir.mkdir(parents=True, exist_ok=True)
    tok = padding_tokenizer(workdir / "tok")
    rows = arena_rows(args.rows, args.max_length, config.vocab_size)
    base, lora, base4 = build(workdir, config, tok, dev, quantized, rows)
    tokens = sum(map(len, rows))
    print(f"device {torch.cuda.get_device_name() if dev != 'cpu' else 'cpu'}; {len(rows)} rows, {tokens} real tokens, mean {tokens / len(rows):.0f}", flush=True)
    known, probs, loaded, models = configs(base, lora, base4, dev, fp, quantized), {}, None, []
    results = []
    for name in args.configs.split(","):
        kw, n, fn = known[name]
        try:
            load_peak = float("nan")
            if loaded and kw.get("compile") and ({**kw, "compile": False}, n) == ({**loaded[0], "compile": False}, loaded[1]) and not loaded[0].get("compile"):
                for m in models: compile_layers(m)  # the same weights, now compiled: no reload
                loaded = (kw, n)
            if (kw, n) != loaded:
                models, loaded = [], None; free(); peak_gib()
                t = time.time()
                models, loaded = [Replica(**kw).load(dev) for _ in range(n)], (kw, n)
                load_peak = peak_gib()
                print(f"loaded {kw} x{n} in {time.time() - t:.0f} s, peak {load_peak:.1f} GiB", flush=True)
            reference = name == "fp32-ref"  # slow: one pass, warmed up on a few rows
            p, s, passes, peak = timed(lambda r: fn(models, tok, r), rows, 1 if reference else args.repeats, len(rows) if kw.get("compile") else 8)
        except Exception as e:
            print(f"{name}: FAILED {type(e).__name__}: {str(e)[:500]}", flush=True)
            models, loaded = [], None; free()
            continue
        probs[name] = p
        results.append(dict(config=name, tokens_per_s=tokens / s, seconds=s, passes=passes, peak_gib=peak, load_peak_gib=load_peak))
        print(f"{name}: {tokens / s:,.0f} tok/s, median {s:.2f} s of {[round(x, 2) for x in passes]}, peak {peak:.1f} GiB", flush=True)
        if os.environ.get("OUT"):  # after each configuration, so that a run cut short keeps what it measured
            Path(os.environ["OUT"], "bench.json").write_text(json.dumps(results, indent=1))
            np.savez(Path(os.environ["OUT"], "bench-probs.npz"), **probs)
    md = "\n".join([f"device: {torch.cuda.get_device_name() if dev != 'cpu' else 'cpu'}; torch {torch.__version__}; rows {len(rows)}, real tokens {tokens}",
                    *table(results, probs), ""])
    print(md)
    if args.md: Path(args.md).parent.mkdir(parents=True, exist_ok=True); open(args.md, "a").write(f"\n`{' '.join(sys.argv)}`\n\n" + md)
    if os.environ.get("OUT"): Path(os.environ["OUT"], "bench.json").write_text(json.dumps(results, indent=1))


def table(results, probs):
    "Markdown lines: the logits' spread, the seed's distance to the reference, and a row per configuration (adds dp_seed, dp_ref to `results`)."
    if not results: return ["no configuration finished"]
    seed, ref = probs.get("seed"), probs.get("fp32-ref")
    seed_tps = next((r["tokens_per_s"] for r in results if r["config"] == "seed"), float("nan"))
    seed_to_ref = np.abs(seed - ref).max() if seed is not None and ref is not None else float("nan")
    lines = [f"std of the (centred) logits across rows {logit_spread(probs[results[0]['config']]):.2f}; seed recipe vs fp32 ref {seed_to_ref:.2e}", "",
             "| configuration | tokens/s | × seed | peak GiB | load peak GiB | max abs dp vs seed | max abs dp vs fp32 ref | flag |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        p = probs[r["config"]]
        d_seed = np.abs(p - seed).max() if seed is not None else float("nan")
        d_ref = np.abs(p - ref).max() if ref is not None else float("nan")
        flag = "further from ref than seed" if d_ref > seed_to_ref * 1.0001 and r["config"] not in ("seed", "fp32-ref") else ""
        r.update(dp_seed=float(d_seed), dp_ref=float(d_ref))
        lines.append(f"| {r['config']} | {r['tokens_per_s']:,.0f} | {r['tokens_per_s'] / seed_tps:.2f} | {r['peak_gib']:.1f} | {r.get('load_peak_gib', float('nan')):.1f} | {d_seed:.2e} | {d_ref:.2e} | {flag} |")
    return lines


def combine(runs):
    """The table of runs cut short (each `RUN.json` with its `RUN-probs.npz`, as a run writes them under $OUT after
    every configuration), taken together: for calls on one machine with the same weights in its /dev/shm."""
    results, probs = [], {}
    for run in runs:
        results += json.loads(Path(run).read_text())
        probs.update(np.load(str(run).removesuffix(".json") + "-probs.npz"))
    print("\n".join(table(results, probs)))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--combine"]: combine(sys.argv[2:])
    else: main()
