"""Does one GPU's `seed` worker slow down while the other GPU's computes too (issue 11's 1.80-2.00x)? Each case
starts one process per GPU in it (spawned: the weights' build used CUDA in this process); each loads the `seed`
replica, computes one warm-up batch, waits for the others, then computes the same batches of 4 rows (real arena
lengths, longest first), timing each; and last, 50 batches of 4 rows of 32 tokens, whose GPU work is negligible:
the worker's host time a forward.

    python bench/seed_pair.py --rows 600 --cases 0,0+1,0,0+1,1

Weights and rows as `bench/e2e.py` builds them (run under the same --workdir to reuse its build).
"""
import argparse, json, multiprocessing as mp, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from e2e import prepare
from bench import arena_rows
from gemma_arena.recipes import recipe, presets


def worker(index, base, lora, rows, ready, go, results):
    "One GPU's replica: load, warm up, wait for `go`, time the batches, report."
    import torch
    from gemma_arena.forward import forward_probs
    device = f"cuda:{index}"
    torch.cuda.set_device(device)
    opts, replica = recipe(presets["seed"], base, lora, dtype="fp16")
    model = replica.load(device)
    batches = [rows[i:i + 4] for i in range(0, len(rows), 4)]
    forward_probs(model, batches[0], device, opts, 0)
    ready.put(index); go.wait()
    seconds = []
    for b in batches:
        t = time.perf_counter(); forward_probs(model, b, device, opts, 0); seconds.append(time.perf_counter() - t)
    tiny = [[2] + [5] * 30 + [1]] * 4
    t = time.perf_counter()
    for _ in range(50): forward_probs(model, tiny, device, opts, 0)
    host = (time.perf_counter() - t) / 50
    tokens = sum(map(len, rows))
    results.put(dict(gpu=index, s=round(sum(seconds), 2),
                     tok_s=round(tokens / sum(seconds)), tail_s=round(sum(seconds[-len(seconds) // 4:]), 2),
                     host_ms=round(1e3 * host, 1)))


def started_together(worker, gpus:list[int], *args, ready_s:float=300)->tuple[list, object]:
    """A spawned process per GPU running `worker(gpu, *args, ready, go, results)`, let go once each is ready: the
    processes and their results' queue."""
    ctx = mp.get_context("spawn")  # the build used CUDA in this process
    ready, go, results = ctx.Queue(), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(g, *args, ready, go, results)) for g in gpus]
    for p in procs: p.start()
    for _ in procs: ready.get(timeout=ready_s)
    go.set()
    return procs, results


def case(spec, base, lora, rows):
    "Run case `spec` (`0+1`: GPUs 0 and 1 at once) and return each GPU's timings."
    procs, results = started_together(worker, [int(g) for g in spec.split("+")], base, lora, rows)
    out = [results.get(timeout=600) for _ in procs]
    for p in procs: p.join()
    return sorted(out, key=lambda r: r["gpu"])


def probe_args(doc:str, out:str, **more)->argparse.Namespace:
    "The command line of a probe: --rows, --out, --workdir, and `more` (name: default)."
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=600)
    ap.add_argument("--out", default=out)
    ap.add_argument("--workdir", default="/tmp/ga-e2e")
    for name, default in more.items(): ap.add_argument(f"--{name}", default=default)
    return ap.parse_args()


def weights_and_rows(args:argparse.Namespace)->tuple[str, str, list]:
    "`bench/e2e.py`'s weights (built once under --workdir) and --rows rows of arena lengths, longest first."
    _, base, lora, _ = prepare(Path(args.out), Path(args.workdir), 8, False)
    return str(base), str(lora), sorted(arena_rows(args.rows, 2048, 50004), key=len, reverse=True)


def print_until_done(procs:list, results)->None:
    "Print each result from `results` as JSON until every process of `procs` has sent one marked done; join them."
    done = 0
    while done < len(procs):
        r = results.get(timeout=900)
        print(json.dumps(r), flush=True)
        done += bool(r.get("done"))
    for p in procs: p.join()


def main():
    args = probe_args(__doc__, "/tmp/seed_pair", cases="0,0+1,0,0+1,1")
    base, lora, rows = weights_and_rows(args)
    for spec in args.cases.split(","):
        for r in case(spec, base, lora, rows): print(json.dumps(dict(case=spec, **r)), flush=True)


if __name__ == "__main__": main()
