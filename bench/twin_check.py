"""Whether a replica's layers run on the code compiled for its twin while it loaded (`workers.Loading`), on a GPU.

    python bench/twin_check.py --base .benchw/base4bit --lora .benchw/lora --preset fast --capacities 16384,8192 \\
        [--device cuda:1] [--packs 8] [--save probs.npy]

As a worker does: builds the twin, starts the load in its thread, compiles the twin for each capacity, then takes the
loaded replica and wraps its layers. Then runs one pack of each capacity through the replica, counting the graphs that
PyTorch has compiled (`unique_graphs`): if the replica's layers run on the twin's code, none is added. Then `--packs`
packs of the first capacity, of random rows drawn with a fixed seed, whose probabilities `--save` writes (to compare
devices and runs). Prints one JSON line: the seconds to build the twin, to compile (the twin's warm-up and the
wrap), to load (in its thread), until the replica was ready, the graphs before and after the replica's packs, each
capacity's first pack's seconds, and the tokens/s of the random packs. `--sequential` drops the twin: the replica
loads first, then compiles and warms up on itself, as a worker without a twin does. With `--save`, this tells whether
probabilities differ between devices with either start, or between the two starts on one device (`fast-8bit`'s
1-GPU and 2-GPU files differed in call 27); `--digest` saves sums of each loaded weight, to tell whether the loads
themselves differ; `--trace` saves sums of each layer's output on the first random pack, to tell where runs part.
"""
import argparse, json, queue, time
import numpy as np, torch
from torch import nn
from torch._dynamo.utils import counters
from gemma_arena.forward import forward_probs
from gemma_arena.model import decoder_and_head
from gemma_arena.recipes import presets, recipe
from gemma_arena.workers import Loading, reporter


def timed_packs(model, device, opts, capacities):
    "Seconds of one dummy pack of each capacity through `model`."
    seconds = {}
    for n in capacities:
        start = time.perf_counter()
        forward_probs(model, [[0] * n], device, opts, 0)
        seconds[n] = round(time.perf_counter() - start, 3)
    return seconds


def random_rows(capacity, vocab=256000, seed=0):
    "Rows of random token ids (1/160 to 1/8 of `capacity` long), drawn with `seed`, filling a pack of `capacity`."
    rng, rows, longest = np.random.default_rng(seed), [], capacity // 8
    while sum(map(len, rows)) + longest <= capacity:
        rows.append(rng.integers(1, vocab, rng.integers(capacity // 160, longest)).tolist())
    return rows


@torch.no_grad()
def weights_digest(model, chunk=1 << 26):
    "Each tensor of `model`'s state as two fp64 sums (plain, and weighted by position mod 1009), to compare loads."
    def sums(t):
        flat, total = t.detach().flatten(), torch.zeros(2, dtype=torch.float64, device=t.device)
        for i in range(0, flat.numel(), chunk):
            x = flat[i:i + chunk].double()
            w = torch.arange(i, i + len(x), device=x.device, dtype=torch.float64).remainder_(1009).add_(1)
            total += torch.stack([x.sum(), (x * w).sum()])
        return total.tolist()
    return np.array([sums(t) for t in model.state_dict().values()])


def output_sums(t)->list[float]:
    "The sum and the sum of magnitudes of a layer's output, in fp64."
    t = t.detach().double()
    return [t.sum().item(), t.abs().sum().item()]


class Recorder(nn.Module):
    "A decoder layer, run as it is (compiled or not), whose output's sums are appended to `sums`."
    def __init__(self, inner, sums):
        super().__init__()
        self.inner, self.sums = inner, sums
    def forward(self, *args, **kwargs):
        out = self.inner(*args, **kwargs)
        self.sums.append(output_sums(out[0] if isinstance(out, tuple) else out))
        return out


def traced_probs(model, rows, device, opts):
    "The probabilities of one pack, and the sums of the embeddings' and each decoder layer's output."
    decoder, sums = decoder_and_head(model)[0], []
    layers, embed = decoder.layers, decoder.embed_tokens
    hook = embed.register_forward_hook(lambda m, i, o: sums.append(output_sums(o)))
    decoder.layers = nn.ModuleList([Recorder(l, sums) for l in layers])
    try: probs = forward_probs(model, rows, device, opts, 0)
    finally: decoder.layers = layers; hook.remove()
    return probs, np.array(sums)


def started(replica, device, opts, capacities, sequential=False):
    """The replica as a worker starts it: loaded in a thread while its twin compiles, or (`sequential`) with the twin
    dropped, so that `Loading.ready` compiles it on itself once loaded. Seconds to build the twin, compile, load; the
    load's report."""
    reports, start = queue.Queue(), time.perf_counter()
    loading = Loading(replica, device, reporter(reports, 0))
    built_s = time.perf_counter() - start
    if sequential: loading.twin = None
    model, compile_s = loading.ready(opts, 0, capacities)
    kind, _, load_s = reports.get()
    return model, built_s, compile_s, load_s, kind


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--lora")
    ap.add_argument("--preset", default="fast")
    ap.add_argument("--capacities", default="16384,8192")
    ap.add_argument("--device", default="cuda:0")
    ap.add_argument("--packs", type=int, default=8)
    ap.add_argument("--save", default=None)
    ap.add_argument("--sequential", action="store_true")
    ap.add_argument("--digest", default=None, help="save `weights_digest` of the loaded replica here (.npy)")
    ap.add_argument("--trace", default=None, help="save the sums of each layer's output on the first random pack (.npy)")
    ap.add_argument("--interleave", action="store_true", help="the first random pack again after another one: "
                    "does a pack's result depend on what ran before it?")
    ap.add_argument("--det-algos", choices=["fill", "nofill"], help="torch.use_deterministic_algorithms (warn only), "
                    "with or without uninitialized memory filled (NaN for floats)")
    args = ap.parse_args()
    gpu = args.device.startswith("cuda")
    if args.det_algos: torch.use_deterministic_algorithms(True, warn_only=True)
    if args.det_algos == "nofill": torch.utils.deterministic.fill_uninitialized_memory = False
    if gpu: torch.cuda.set_device(args.device)
    opts, replica = recipe(presets[args.preset], args.base, args.lora, None, "fp16" if gpu else "fp32")
    capacities, start = [int(c) for c in args.capacities.split(",")], time.perf_counter()
    model, built_s, compile_s, load_s, kind = started(replica, args.device, opts, capacities, args.sequential)
    ready_s = time.perf_counter() - start
    if args.digest: np.save(args.digest, weights_digest(model))
    graphs = counters["stats"]["unique_graphs"]
    first = timed_packs(model, args.device, opts, capacities)
    rows = random_rows(capacities[0], model.config.vocab_size)
    start = time.perf_counter()
    probs = [forward_probs(model, rows, args.device, opts, 0) for _ in range(args.packs)]
    rate = args.packs * sum(map(len, rows)) / (time.perf_counter() - start)
    if args.save: np.save(args.save, probs[0])
    if args.interleave:
        forward_probs(model, random_rows(capacities[0], model.config.vocab_size, seed=1), args.device, opts, 0)
        again = forward_probs(model, rows, args.device, opts, 0)
        print(f"after another pack, the first pack's probabilities moved by {np.abs(again - probs[0]).max():.3g}",
              flush=True)
    if args.trace:
        traced, sums = traced_probs(model, rows, args.device, opts)
        np.save(args.trace, sums)
        if not np.array_equal(traced, probs[0]): print("the traced pack's probabilities differ", flush=True)
    print(json.dumps(dict(preset=args.preset, device=args.device, sequential=args.sequential, report=kind,
                          twin_built_s=round(built_s, 2), compile_s=round(compile_s, 2), load_s=round(load_s, 2),
                          ready_s=round(ready_s, 2),
                          graphs_after_twin=graphs, graphs_after_replica=counters["stats"]["unique_graphs"],
                          first_pack_s=first, tokens_per_s=round(rate), rows=len(rows),
                          repeatable=all(np.array_equal(p, probs[0]) for p in probs))), flush=True)


if __name__ == "__main__": main()
