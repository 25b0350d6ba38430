"""Does `torch.inference_mode` cut `seed`'s host time a forward, with the same numbers (issue 11)? Each GPU's process
loads the `seed` replica and computes the same batches of 4 rows (real arena lengths, longest first) in turn without
gradients (`torch.no_grad`, as `forward_probs` ran until this probe) and in inference mode (as it runs now), then 50
forwards of 4 rows of 32 tokens in each (the host's time a forward); it times the longer and the shorter half of the
batches apart, and compares the probabilities bit for bit. The GPUs named run at once.

    python bench/grad_probe.py --rows 400 --gpus 0,1

Weights and rows as `bench/e2e.py` builds them (run under the same --workdir to reuse its build).
"""
import sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from seed_pair import probe_args, weights_and_rows, print_until_done, started_together
from gemma_arena.recipes import recipe, presets


def timed(forward, batches)->tuple[list, float]:
    "Each batch's probabilities, and the seconds they took."
    import torch
    torch.cuda.synchronize(); t = time.perf_counter()
    probs = [forward(b) for b in batches]
    return probs, time.perf_counter() - t


def worker(index, base, lora, rows, ready, go, results):
    import torch, numpy as np
    from gemma_arena.forward import forward_probs
    device = f"cuda:{index}"
    torch.cuda.set_device(device)
    opts, replica = recipe(presets["seed"], base, lora, dtype="fp16")
    model = replica.load(device)
    def no_grad(seqs):
        with torch.no_grad(): return forward_probs.__wrapped__(model, seqs, device, opts, 0)
    modes = dict(no_grad=no_grad, inference=lambda seqs: forward_probs(model, seqs, device, opts, 0))
    batches = [rows[i:i + 4] for i in range(0, len(rows), 4)]
    half = len(batches) // 2
    for f in modes.values(): f(batches[0])
    ready.put(index); go.wait()
    tiny, probs = [[[2] + [5] * 30 + [1]] * 4] * 50, {}
    for mode in ("no_grad", "inference", "no_grad", "inference"):
        long, long_s = timed(modes[mode], batches[:half])
        short, short_s = timed(modes[mode], batches[half:])
        host_s = timed(modes[mode], tiny)[1]
        p = np.concatenate(long + short)
        if mode in probs: assert np.array_equal(probs[mode], p), mode
        probs[mode] = p
        results.put(dict(gpu=index, mode=mode, long_s=round(long_s, 2), short_s=round(short_s, 2),
                         s=round(long_s + short_s, 2), host_ms=round(1e3 * host_s / len(tiny), 1)))
    same = np.array_equal(probs["no_grad"], probs["inference"])
    results.put(dict(gpu=index, identical=same, max_dp=float(np.abs(probs["no_grad"] - probs["inference"]).max()),
                     done=True))


def main():
    args = probe_args(__doc__, "/tmp/grad_probe", gpus="0,1")
    base, lora, rows = weights_and_rows(args)
    gpus = [int(g) for g in args.gpus.split(",")]
    print_until_done(*started_together(worker, gpus, base, lora, rows, ready_s=600))


if __name__ == "__main__": main()
