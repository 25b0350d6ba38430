"""Where a `seed` worker's load goes, against a load that builds bitsandbytes' 4-bit layers itself.

    python bench/seed_load_probe.py --workdir DIR --rounds 2

On the benchmark's weights (`e2e.prepare`), a parent that has imported what the CLI imports forks one process per GPU,
both at once, as the CLI starts its workers; each times the `seed` replica's load phase by phase, either through
`from_pretrained` (transformers' bitsandbytes path, as `load_model` loaded it before) or as `load_model` loads it now
(`model.nf4_unmerged`: bitsandbytes' 4-bit layers built from the checkpoint's tensors, read by `read_checkpoint`);
then, in a third pair of processes, reading the checkpoint alone with safetensors' reader on 8 threads (the reader
before) and with `read_checkpoint`. Then, on one GPU: both replicas compared (every weight, quantization state and
buffer, to the bit, and the logits of padded batches of 4 under fp16 autocast), and each load profiled. Prints one
JSON line per process.
"""
import argparse, importlib, json, sys, time
from pathlib import Path
import torch

sys.path.insert(0, str(Path(__file__).parent))


def threaded_safetensors(base, device, threads=8):
    "The checkpoint read as gemma_arena read it before `read_checkpoint`: safetensors' reader, 8 threads."
    from concurrent.futures import ThreadPoolExecutor
    from safetensors import safe_open
    from gemma_arena.model import checkpoint_files
    files = [safe_open(f, "pt", device=device) for f in checkpoint_files(base)]
    readers = [(f, k) for f in files for k in f.keys()]
    with ThreadPoolExecutor(threads) as pool: return list(pool.map(lambda fk: fk[0].get_tensor(fk[1]), readers))


def reads(device, base):
    "Seconds to read the checkpoint onto `device` both ways, each twice, in turn."
    from gemma_arena.model import read_checkpoint
    torch.cuda.set_device(device); torch.zeros(1, device=device)
    out = dict(path="reads", device=device)
    for i in range(2):
        for name, read in [("safetensors_8_threads", threaded_safetensors), ("read_checkpoint", read_checkpoint)]:
            t = time.perf_counter(); got = read(base, device); torch.cuda.synchronize(device)
            out[f"{name}_{i}"] = round(time.perf_counter() - t, 3); del got
    return out


def phases(path, device, base, lora):
    "One worker's load of the `seed` replica, timed phase by phase."
    from gemma_arena import model as M
    t, out = time.perf_counter(), dict(path=path, device=device)
    def mark(name):
        nonlocal t
        if device.startswith("cuda"): torch.cuda.synchronize(device)
        out[name] = round(time.perf_counter() - t, 3); t = time.perf_counter()
    start = t
    torch.cuda.set_device(device); torch.zeros(1, device=device); mark("cuda")
    M.import_bitsandbytes(); mark("import_bitsandbytes")
    if path == "transformers":
        model = M.loaded_by_transformers(base, None, device, "fp16", None, False, "eager", False)
        mark("from_pretrained")
        model = M.with_adapter(model, lora, False, torch.float16); mark("adapter")
    else:
        model = M.nf4_unmerged(base, M.nf4_adapter(base, lora, None, device), device, torch.float16, "eager")
        mark("read_and_built")
    M.decoder_and_head(model)[1].float()
    model = M.with_held_weights(model.eval()); mark("held")
    out["load"] = round(time.perf_counter() - start - out["cuda"], 3)
    return model, out


def child(path, device, base, lora, send):
    "A forked worker: load (or read) and report."
    try: send.send(reads(device, base) if path == "reads" else phases(path, device, base, lora)[1])
    except BaseException as e: send.send(dict(path=path, device=device, error=f"{type(e).__name__}: {e}"))


def padded_batches(seed=0):
    "Padded batches of 4 random rows, long and short, as the seed batches them."
    g = torch.Generator().manual_seed(seed)
    out = []
    for ls in [[2048, 1500, 900, 40], [600, 580, 500, 7], [32, 32, 20, 9]]:
        ids = torch.randint(4, 50000, (len(ls), max(ls)), generator=g)
        mask = (torch.arange(max(ls))[None] < torch.tensor(ls)[:, None]).long()
        out.append((ids * mask, mask))
    return out


def quant_fields(m):
    "A 4-bit layer's quantization state, as tensors and values."
    qs = m.weight.quant_state
    f = dict(absmax=qs.absmax, code=qs.code, blocksize=qs.blocksize, quant_type=qs.quant_type, dtype=qs.dtype,
             shape=qs.shape, offset=qs.offset, compute=m.compute_dtype, storage=m.weight.quant_storage)
    if qs.state2 is not None:
        f.update(absmax2=qs.state2.absmax, code2=qs.state2.code, blocksize2=qs.state2.blocksize,
                 dtype2=qs.state2.dtype)
    return f


def same(a, b):
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
    return a == b


def exact(base, lora):
    "Both replicas on cuda:0, compared to the bit."
    from gemma_arena import model as M
    a, ta = phases("transformers", "cuda:0", base, lora)
    b, tb = phases("direct", "cuda:0", base, lora)
    out = dict(times=[ta, tb])
    sa, sb = dict(a.state_dict()), dict(b.state_dict())
    sa.update(a.named_buffers()); sb.update(b.named_buffers())
    out["keys_only_transformers"] = sorted(sa.keys() - sb.keys())[:8]
    out["keys_only_direct"] = sorted(sb.keys() - sa.keys())[:8]
    out["tensors_differing"] = [k for k in sa.keys() & sb.keys() if not same(sa[k], sb[k])][:8]
    out["tensors"] = len(sa.keys() & sb.keys())
    qa = {n: m for n, m in a.named_modules() if M.holdable(m)}
    qb = {n: m for n, m in b.named_modules() if M.holdable(m)}
    out["layers_4bit"] = [len(qa), len(qb)]
    out["quant_states_differing"] = [
        n for n in qa if n not in qb or any(not same(v, quant_fields(qb[n])[k]) for k, v in quant_fields(qa[n]).items())][:8]
    out["types"] = sorted({f"{type(m).__module__}.{type(m).__name__}" for m in b.modules()} ^
                          {f"{type(m).__module__}.{type(m).__name__}" for m in a.modules()})
    with torch.inference_mode(), M.autocast("cuda", "fp16"):
        la = [a(input_ids=i.cuda(), attention_mask=m.cuda()).logits.float().cpu() for i, m in padded_batches()]
        lb = [b(input_ids=i.cuda(), attention_mask=m.cuda()).logits.float().cpu() for i, m in padded_batches()]
    out["logits_identical"] = [torch.equal(x, y) for x, y in zip(la, lb)]
    out["logits_max_diff"] = max(float((x - y).abs().max()) for x, y in zip(la, lb))
    return out


def profiled(path, base, lora, lines):
    "One load profiled, on cuda:0."
    import cProfile, pstats, io
    torch.cuda.set_device("cuda:0"); torch.zeros(1, device="cuda:0")
    pr = cProfile.Profile(); pr.enable()
    phases(path, "cuda:0", base, lora)
    pr.disable()
    for key in ("tottime", "cumulative"):
        s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats(key).print_stats(lines)
        print(f"--- {path}, by {key}\n" + s.getvalue()[-7000:], flush=True)


def parent(args):
    "The CLI's imports, then rounds of one forked worker per GPU, both at once."
    importlib.import_module("gemma_arena.cli")  # what the CLI's process has imported when it forks
    from gemma_arena import model as M
    M.classifier_class()
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    gpus = [f"cuda:{i}" for i in range(int(args.gpus))]
    for r in range(args.rounds):
        for path in ("transformers", "direct", "reads"):
            pipes = [ctx.Pipe(duplex=False) for _ in gpus]
            procs = [ctx.Process(target=child, args=(path, d, args.base, args.lora, s)) for d, (_, s) in zip(gpus, pipes)]
            for p in procs: p.start()
            print(json.dumps(dict(round=r, workers=[rd.recv() for rd, _ in pipes])), flush=True)
            for p in procs: p.join()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default="/tmp/ga-e2e")
    ap.add_argument("--gpus", default="2")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--role", default="main")
    ap.add_argument("--lines", type=int, default=30)
    for k in ("base", "lora"): ap.add_argument("--" + k)
    args = ap.parse_args()
    if args.role == "parent": return parent(args)
    if args.role == "exact": return print(json.dumps(exact(args.base, args.lora), default=str), flush=True)
    if args.role.startswith("profile-"): return profiled(args.role.removeprefix("profile-"), args.base, args.lora, args.lines)
    from e2e import prepare
    import subprocess
    work = Path(args.workdir)
    _, base, lora, _ = prepare(work / "probe", work, 32, False)
    common = ["--base", str(base), "--lora", str(lora), "--gpus", args.gpus, "--rounds", str(args.rounds),
              "--lines", str(args.lines)]
    for role in ("parent", "exact", "profile-transformers", "profile-direct"):
        subprocess.run([sys.executable, __file__, "--role", role, *common])


if __name__ == "__main__": main()
