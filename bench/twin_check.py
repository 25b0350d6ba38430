"""Whether a replica's layers run on the code compiled for its twin while it loaded (`workers.Loading`), on a GPU.

    python bench/twin_check.py --base .benchw/base4bit --lora .benchw/lora --preset fast --capacities 16384,8192

As a worker does: builds the twin, starts the load in its thread, compiles the twin for each capacity, then takes the
loaded replica and wraps its layers. Then runs one pack of each capacity through the replica, counting the graphs that
PyTorch has compiled (`unique_graphs`): if the replica's layers run on the twin's code, none is added. Prints one JSON
line: the seconds to build the twin, to compile (the twin's warm-up and the wrap), to load (in its thread), until the
replica was ready, the graphs before and after the replica's packs, and each pack's seconds.
"""
import argparse, json, queue, time
import torch
from torch._dynamo.utils import counters
from gemma_arena.checkpoint import Shards
from gemma_arena.forward import forward_probs
from gemma_arena.recipes import presets, recipe
from gemma_arena.workers import Loading, Setup, reporter


def timed_packs(model, device, opts, capacities):
    "Seconds of one dummy pack of each capacity through `model`."
    seconds = {}
    for n in capacities:
        start = time.perf_counter()
        forward_probs(model, [[0] * n], device, opts, 0)
        seconds[n] = round(time.perf_counter() - start, 3)
    return seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--lora")
    ap.add_argument("--preset", default="fast")
    ap.add_argument("--capacities", default="16384,8192")
    ap.add_argument("--device", default="cuda:0")
    args = ap.parse_args()
    gpu = args.device.startswith("cuda")
    if gpu: torch.cuda.set_device(args.device)
    opts, replica = recipe(presets[args.preset], args.base, args.lora, None, "fp16" if gpu else "fp32")
    capacities, reports = [int(c) for c in args.capacities.split(",")], queue.Queue()
    start = time.perf_counter()
    loading = Loading(replica, args.device, reporter(reports, 0))
    built_s = time.perf_counter() - start
    model, compile_s = loading.compiled(Setup(opts, 0, Shards(), capacities))
    ready_s = time.perf_counter() - start
    kind, _, load_s = reports.get()
    graphs = counters["stats"]["unique_graphs"]
    packs = timed_packs(model, args.device, opts, capacities)
    print(json.dumps(dict(preset=args.preset, report=kind, twin_built_s=round(built_s, 2),
                          compile_s=round(compile_s, 2), load_s=round(load_s, 2), ready_s=round(ready_s, 2),
                          graphs_after_twin=graphs, graphs_after_replica=counters["stats"]["unique_graphs"],
                          pack_s=packs)), flush=True)


if __name__ == "__main__": main()
