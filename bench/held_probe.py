"""Can `seed` hold its 4-bit weights dequantized and compute the same numbers, faster (issue 11)? Each GPU's process
loads the `seed` replica and reads back, for each bitsandbytes 4-bit layer, the weight bitsandbytes multiplies by
(the layer applied to the identity). Then, per layer and for inputs of M rows, it compares bitsandbytes' own result
with `F.linear` on that held weight (bitwise), next to what the installed bitsandbytes would do at that M (dequantize
and `F.linear`, or a kernel of its own). Last it times the same batches of 4 rows (real arena lengths, longest
first) and 50 forwards of 4 rows of 32 tokens (the host's time a forward), with bitsandbytes' path and the held
weights in turn, and compares their probabilities.

    python bench/held_probe.py --rows 600 --gpus 0,1

Weights and rows as `bench/e2e.py` builds them (run under the same --workdir to reuse its build). Call 60 ran it
with its own copies of `model.bnb_dequantizes`, `weight_used` and `held_forward`, since moved into the package.
"""
import multiprocessing as mp, sys, time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from seed_pair import probe_args, weights_and_rows, print_until_done
from gemma_arena.recipes import recipe, presets
from gemma_arena.model import bnb_dequantizes, weight_used, held_forward


def worker(index, base, lora, rows, results):
    import torch, numpy as np, bitsandbytes as bnb
    from gemma_arena.forward import forward_probs
    device = f"cuda:{index}"
    torch.cuda.set_device(device)
    opts, replica = recipe(presets["seed"], base, lora, dtype="fp16")
    model = replica.load(device)
    linears = [m for m in model.modules() if isinstance(m, bnb.nn.Linear4bit)]
    rule = bnb_dequantizes()
    batches = [rows[i:i + 4] for i in range(0, len(rows), 4)]
    forward_probs(model, batches[-1], device, opts, 0)  # bitsandbytes sets each layer's compute dtype
    before = torch.cuda.memory_allocated(device)
    t = time.perf_counter()
    with torch.inference_mode():
        for m in linears: m.held = weight_used(m)
    torch.cuda.synchronize(); hold_s = time.perf_counter() - t
    held_gib = (torch.cuda.memory_allocated(device) - before) / 2**30
    tally = {}
    with torch.inference_mode():
        for m in linears:
            for M in (4, 8, 16, 32, 48, 64, 65, 96, 128, 320, 512, 513, 1536, 1537, 4096):
                x = torch.randn(M, m.in_features, device=device, dtype=torch.float16)
                d = rule(index, torch.float16, M, m.out_features, m.in_features, m.weight.quant_state.blocksize)
                same = torch.equal(type(m).forward(m, x), torch.nn.functional.linear(x, m.held))
                key = f"{'dequantizes' if d else 'own kernel'}:{'equal' if same else 'differs'}"
                tally[key] = tally.get(key, 0) + 1
    results.put(dict(gpu=index, layers=len(linears), hold_s=round(hold_s, 2), held_gib=round(held_gib, 2),
                     tally=tally, dtype=str(linears[0].compute_dtype)))
    tiny = [[2] + [5] * 30 + [1]] * 4
    def held(on):
        for m in linears:
            if on: m.forward = partial(held_forward, m, rule)
            elif "forward" in m.__dict__: del m.forward
    probs = {}
    for mode in ("bnb", "held", "bnb", "held"):
        held(mode == "held")
        forward_probs(model, batches[0], device, opts, 0)
        torch.cuda.synchronize(); t = time.perf_counter()
        p = np.concatenate([forward_probs(model, b, device, opts, 0) for b in batches])
        s = time.perf_counter() - t
        t = time.perf_counter()
        for _ in range(50): forward_probs(model, tiny, device, opts, 0)
        host = (time.perf_counter() - t) / 50
        if mode in probs: assert np.array_equal(probs[mode], p), mode
        probs[mode] = p
        results.put(dict(gpu=index, mode=mode, s=round(s, 2), tok_s=round(sum(map(len, rows)) / s),
                         host_ms=round(1e3 * host, 1),
                         peak_gib=round(torch.cuda.max_memory_allocated(device) / 2**30, 2)))
    results.put(dict(gpu=index, max_dp=float(np.abs(probs["bnb"] - probs["held"]).max()), done=True))


def main():
    args = probe_args(__doc__, "/tmp/held_probe", gpus="0,1")
    base, lora, rows = weights_and_rows(args)
    ctx = mp.get_context("spawn")  # the build used CUDA in this process
    results = ctx.Queue()
    gpus = [int(g) for g in args.gpus.split(",")]
    procs = [ctx.Process(target=worker, args=(g, base, lora, rows, results)) for g in gpus]
    for p in procs: p.start()
    print_until_done(procs, results)


if __name__ == "__main__": main()
