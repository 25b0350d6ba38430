"The Ray Data path on a local cluster of 2 CPUs started here: the local path's results, a dead actor, resume, bad rows."
import json, os, re, signal, subprocess, sys, time
from contextlib import contextmanager
from functools import partial
import numpy as np, pandas as pd, pytest

from gemma_arena.data import load_arena, read_table, sample_path, few, BadRows, ArenaFileError
from gemma_arena.inference import predict, prob_columns
from gemma_arena.recipes import Options, Replica
from gemma_arena.ray_data import predict_dataset, read_rows, exit_once, run_key

OPTS = Options(tta=True, max_length=256)  # fp32 on CPU: the Ray path must match the local one within 1e-6


def test_core_does_not_import_ray():
    "Neither the core package nor the extra's module loads Ray on import (it is loaded when a cluster is used)."
    code = "import sys, gemma_arena.cli, gemma_arena.inference, gemma_arena.ray_data; print('ray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.fixture(scope="module")
def cluster():
    "One local Ray cluster of 2 CPUs for the whole module (starting one is slow)."
    ray = pytest.importorskip("ray", reason='the Ray extra is not installed: pip install "gemma_arena[ray]"')
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def replica(tiny): return Replica(*map(str, tiny))


def on_ray(data, out_dir, replica, tiny, opts=OPTS, **kw):
    "`predict_dataset` on `data` with 2 CPU actors and blocks of 4 rows."
    return predict_dataset(read_rows(data, 4), replica, str(tiny[0]), out_dir, opts, "tiny", actors=2,
                           resources=dict(num_cpus=0.5), block_rows=4, progress=False, **kw)


def local(data, replica, tok, on_bad_row="raise", opts=OPTS):
    return predict(load_arena(data, on_bad_row), replica, ["cpu"], tok, opts, progress=False)


def assert_same(got, want):
    assert got["id"].tolist() == want["id"].tolist()  # each id once, in the input's order
    np.testing.assert_allclose(got[prob_columns].to_numpy(), want[prob_columns].to_numpy(), atol=1e-6, rtol=0)


def test_directory_of_shards_same_as_local_with_bad_rows_by_id(cluster, replica, tiny, tok, tmp_path):
    "A CSV and a parquet shard with malformed rows, kept raw: the local path's probabilities and bad fields, by id."
    raw = read_table(sample_path("malformed"))
    (tmp_path / "in").mkdir()
    raw[:7].to_csv(tmp_path / "in" / "a.csv", index=False)
    raw[7:].to_parquet(tmp_path / "in" / "b.parquet", index=False)
    got = on_ray(tmp_path / "in", tmp_path / "out", replica, tiny, on_bad_row="raw")
    want = local(sample_path("malformed"), replica, tok, "raw")
    assert_same(got, want)
    assert got.attrs["bad_rows"] == load_arena(sample_path("malformed"), "raw").attrs["bad_rows"]  # in its order
    stats = got.attrs["stats"]
    assert stats["batches_computed"] == 3  # 12 rows in blocks of 4, across the two files
    # compute runs from the first block's start to the last one's end, as the local path's: each actor's blocks fit
    assert stats["per_block_s"] * 3 <= stats["compute_s"] * len(stats["done_s"]) + 0.2
    assert stats["per_block_s"] <= stats["compute_s"] <= stats["seconds"]
    assert 0 <= stats["ready_s"] <= stats["seconds"] and 0 < stats["first_block_s"] <= stats["seconds"]
    assert stats["compile_s"] == 0.0  # nothing compiled on the CPU
    assert 1 <= len(stats["done_s"]) <= 2 and stats["first_block_s"] <= max(stats["done_s"]) <= stats["seconds"]


def test_bad_rows_raise_as_the_local_path(cluster, replica, tiny, tmp_path):
    """With on_bad_row='raise', a block's bad fields end the run with the local path's error: every block's bad
    fields counted, listed in `load_arena`'s order (12 rows in blocks of 4: 9 bad fields in 3 blocks)."""
    path = sample_path("malformed")
    with pytest.raises(BadRows) as got: on_ray(path, tmp_path / "out", replica, tiny, name=str(path))
    with pytest.raises(BadRows) as want: load_arena(path)
    assert (str(got.value), got.value.problems) == (str(want.value), want.value.problems)
    assert len(want.value.problems) == 9


def test_api_checks_all_of_the_dataset_first(cluster, replica, tiny, tmp_path):
    """`predict_dataset` checks its whole dataset before computing anything, with the local path's errors over the
    whole table (a block alone would name its rows' places in the block, and miss an id repeated in another one):
    an id in two files, a missing id, a missing column."""
    raw = read_table(sample_path())
    tables = dict(repeated=pd.concat([raw[:7], raw[6:]], ignore_index=True),
                  missing=raw.assign(id=[*raw["id"][:9], None, *raw["id"][10:]]),
                  column=raw.drop(columns="prompt"))
    for case, table in tables.items():
        (tmp_path / case).mkdir()
        table[:7].to_csv(tmp_path / case / "a.csv", index=False)
        table[7:].to_parquet(tmp_path / case / "b.parquet", index=False)
        with pytest.raises(ArenaFileError) as got: on_ray(tmp_path / case, tmp_path / f"{case}.parts", replica, tiny)
        with pytest.raises(ArenaFileError) as want: load_arena(table)
        assert str(got.value) == str(want.value), case
        assert not list((tmp_path / f"{case}.parts").glob("*.parquet")), case  # nothing computed


def test_cli_ray_checks_the_input_as_the_local_path(cluster, tmp_path, capfd):
    """Before it builds anything, `--ray` checks each input file as the local path does, with its error (here a
    missing column), and that no id is in two files of a directory; bad fields, with `--on-bad-row raise`, end it
    with the local path's error too, and no traceback."""
    from gemma_arena.cli import main
    raw, one, shards = read_table(sample_path()), tmp_path / "one.csv", tmp_path / "in"
    raw.drop(columns="prompt").to_csv(one, index=False)
    shards.mkdir(); raw[:7].to_csv(shards / "a.csv", index=False); raw[6:].to_parquet(shards / "b.parquet", index=False)
    def last_error(*more):
        with pytest.raises(SystemExit) as e: main(["demo", "--no-progress", "--out", str(tmp_path / "x.csv"), *more])
        said = capfd.readouterr().err  # what the process's stderr got, Ray Data's console included
        assert e.value.code == 2 and "Traceback" not in said, said[-3000:]  # Ray Data logs no BadRows of a task
        return said.strip().splitlines()[-1]
    assert last_error("--data", str(one), "--ray") == last_error("--data", str(one))
    assert last_error("--data", str(shards), "--ray") == (f"gemma-arena: error: {shards}: duplicate id(s) "
                                                          f"{few(raw['id'][6:7])} in column 'id'")
    assert not (tmp_path / "x.csv.parts").exists()  # nothing started
    malformed = ["--data", str(sample_path("malformed")), "--on-bad-row", "raise"]
    assert last_error(*malformed, "--ray") == last_error(*malformed)


def test_dead_actor_then_resume(cluster, replica, tiny, tok, tmp_path):
    "An actor killed mid-block is restarted and its block retried; reruns compute only the shards that are missing."
    marker, out = tmp_path / "crashed", tmp_path / "out"
    got = on_ray(sample_path(), out, replica, tiny, on_block=partial(exit_once, marker))
    assert marker.exists()  # an actor died
    want = local(sample_path(), replica, tok)
    assert_same(got, want)
    shards = sorted(out.iterdir())
    assert len(shards) == got.attrs["stats"]["batches_computed"] == 10  # 40 rows: each block once
    for s in shards[:3]: s.unlink()
    again = on_ray(sample_path(), out, replica, tiny)
    assert_same(again, want)
    stats = again.attrs["stats"]
    assert (stats["batches_computed"], stats["batches_resumed"], stats["rows_computed"]) == (3, 7, 12)
    assert sorted(out.iterdir()) == shards


def slow_first_actor(log, seconds):
    """An `on_block` that notes each block's process in `log`; it sleeps a second before each actor's first block
    (a GPU's load, while the blocks queue up), and `seconds` before every block of the first actor to note one."""
    def on_block(path):
        with open(log, "a") as f: f.write(f"{os.getpid()}\n")
        pids, me = open(log).read().split(), str(os.getpid())
        time.sleep((pids.count(me) == 1) + seconds * (pids[0] == me))
    return on_block  # a local function: Ray sends it by value


def test_a_slow_actor_takes_fewer_blocks(cluster, replica, tiny, tok, tmp_path):
    """Each actor holds one block at a time, so a slow actor keeps no block that the other could compute: of 10
    blocks, an actor 3 s slower a block computes one (Ray Data's default, 2 blocks ahead per actor, gave it 2)."""
    log = tmp_path / "blocks"
    got = on_ray(sample_path(), tmp_path / "out", replica, tiny, on_block=slow_first_actor(log, 3))
    assert_same(got, local(sample_path(), replica, tok))
    pids = log.read_text().split()
    assert len(pids) == 10 and len(set(pids)) == 2
    assert pids.count(pids[0]) == 1, pids


def test_packed_blocks_padded_to_the_full_capacity(cluster, replica, tiny, tok, tmp_path):
    "Packed, each block's packs padded to the full capacity (the shards' run key says so): the local path's results."
    packed = Options(tta=True, max_length=256, batch_size=None, pack=1024)
    got = on_ray(sample_path(), tmp_path, replica, tiny, packed)
    assert_same(got, local(sample_path(), replica, tok, opts=packed))
    full = run_key(Options(tta=True, max_length=256, batch_size=None, pack=1024, pack_full=True), "tiny")
    assert {f.name.split("-")[0] for f in tmp_path.iterdir()} == {full}


def test_cli_ray_demo_same_submission(cluster, tmp_path, capsys):
    """`gemma-arena demo --ray` writes the submission that `gemma-arena demo` writes; Ray's own seconds come on a
    line before the last one (12 rows: one block)."""
    from gemma_arena.cli import main
    common = ["demo", "--data", str(sample_path("malformed")), "--no-progress"]
    assert main([*common, "--out", str(tmp_path / "local.csv")]) == 0
    capsys.readouterr()
    assert main([*common, "--ray", "--out", str(tmp_path / "ray.csv")]) == 0
    said = capsys.readouterr().err.splitlines()
    ray = [i for i, l in enumerate(said) if re.match(r"ray: init [\d.]+ s, plan [\d.]+ s; .*blocks: 1 computed, "
                                                     r"[\d.]+ s each; the actors' last blocks done at [\d.]+ s; "
                                                     r"the run done at [\d.]+ s$", l)]
    assert len(ray) == 1 and said[-1].startswith("wrote ") and ray[0] < len(said) - 1
    assert_same(pd.read_csv(tmp_path / "ray.csv"), pd.read_csv(tmp_path / "local.csv"))
    assert not (tmp_path / "ray.csv.parts").exists()
    assert cluster.is_initialized()  # the caller's cluster stays up


TOKEN_AUTH = dict(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN="6f1c0ffee0ddba11" * 2)  # the cluster's, and a driver's


@contextmanager
def apart_cluster(**kw):
    """A cluster of 2 CPUs started apart from the test, as the README starts one (`testing.ray_head`: `ray start
    --head`, its workers preloading `launch.actor_modules`), token authentication on, `kw` to `ray_head`: its
    `ray start` process and its address; stopped at the end."""
    pytest.importorskip("ray", reason='the Ray extra is not installed: pip install "gemma_arena[ray]"')
    from gemma_arena.testing import ray_head
    with ray_head(2, dict(os.environ, **TOKEN_AUTH), **kw) as (p, address, _, said):
        assert p.poll() is None, said.getvalue()[-2000:]
        yield p, address


@pytest.fixture
def own_cluster():
    "`apart_cluster`'s process and address. It ends with the test."
    with apart_cluster() as cluster: yield cluster


@pytest.mark.parametrize("how", ["local", "address"])
def test_console_script_starts_or_joins_the_cluster_early(how, own_cluster, tmp_path):
    """`gemma-arena demo --ray [ADDRESS]` (`launch.main`, in a new process) starts the local cluster, or joins the
    cluster at ADDRESS, before it imports the CLI, and the run uses that cluster, then leaves it (a joined one stays
    up): Ray's note about SIGTERM is not shown, and the submission is the one `gemma-arena demo` writes. A cluster
    that `ray start` started on the machine is joined only when named."""
    pytest.importorskip("ray", reason='the Ray extra is not installed: pip install "gemma_arena[ray]"')
    from gemma_arena.cli import main
    own, address = own_cluster  # bare `--ray` must start its own local cluster all the same
    address = address if how == "address" else None
    common = ["demo", "--data", str(sample_path("malformed")), "--no-progress"]
    code = ("import json, sys, ray; from gemma_arena import launch; real, starts = ray.init, []\n"
            "def init(*a, **kw): starts.append('gemma_arena.cli' in sys.modules); return real(*a, **kw)\n"
            "ray.init = init; rc = launch.main(sys.argv[1:])\n"
            "print(json.dumps(dict(rc=rc, early=launch.early is not None, up=ray.is_initialized(), "
            "cli_imported_at_start=starts)))")
    target = ["--ray", address] if address else ["--ray"]
    r = subprocess.run([sys.executable, "-c", code, *common, *target, "--out", str(tmp_path / "ray.csv")],
                       capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, **TOKEN_AUTH) if address else None)
    assert r.returncode == 0, r.stderr[-2000:]
    said = json.loads(r.stdout.splitlines()[-1])
    assert said == dict(rc=0, early=True, up=False, cli_imported_at_start=[False]), said
    assert r.stderr.count("Started a local Ray instance") == (0 if address else 1), r.stderr[-2000:]
    assert r.stderr.count("Connected to Ray cluster") == (1 if address else 0), r.stderr[-2000:]
    assert "SIGTERM handler" not in r.stderr
    assert own.poll() is None  # the cluster the command may have joined is still up
    assert main([*common, "--out", str(tmp_path / "local.csv")]) == 0
    assert_same(pd.read_csv(tmp_path / "ray.csv"), pd.read_csv(tmp_path / "local.csv"))


@pytest.fixture
def client_cluster():
    """`apart_cluster` with a Ray Client server (`ray start --head --ray-client-server-port`): its `ray://` address.
    It ends with the test."""
    pytest.importorskip("ray", reason='the Ray extra is not installed: pip install "gemma_arena[ray]"')
    from gemma_arena.testing import free_port
    port = free_port()
    with apart_cluster(client_port=port): yield f"ray://127.0.0.1:{port}"


def test_ray_client_runs_the_driver_on_the_cluster(client_cluster, tmp_path):
    """`--ray ray://HOST:PORT` (Ray Client, through which Ray Data cannot drive a run) runs the driver's part as a
    task on the cluster: the submission is the local path's, the command itself says the rows, their bad fields
    by id and the last line, an error in the task (bad rows, with `--on-bad-row raise`) ends the command with its
    own error line and exit status 2, as on the cluster, and SIGTERM stops the task as Ctrl-C stops a run."""
    from gemma_arena.cli import main
    common = ["demo", "--data", str(sample_path("malformed")), "--no-progress", "--ray", client_cluster]
    command = lambda *more: [sys.executable, "-m", "gemma_arena.launch", *common, *map(str, more)]
    run = lambda *more: subprocess.run(command(*more), capture_output=True, text=True, timeout=600,
                                       env=dict(os.environ, **TOKEN_AUTH))
    r = run("--out", tmp_path / "ray.csv")
    assert r.returncode == 0, r.stderr[-2000:]
    said = r.stderr.strip().splitlines()
    assert said[-1].startswith(f"wrote {tmp_path / 'ray.csv'}: 12 rows"), said[-1]
    assert "  bad row: id='5100001' column='prompt': not a list: '\"hello\"'" in said, r.stderr[-2000:]
    assert main(["demo", "--data", str(sample_path("malformed")), "--no-progress", "--out", str(tmp_path / "local.csv")]) == 0
    assert_same(pd.read_csv(tmp_path / "ray.csv"), pd.read_csv(tmp_path / "local.csv"))
    r = run("--on-bad-row", "raise", "--out", tmp_path / "raise.csv")
    last = r.stderr.strip().splitlines()[-1]  # as the `--ray` path on the cluster says it: the local path's error
    with pytest.raises(BadRows) as local_error: load_arena(sample_path("malformed"))
    assert r.returncode == 2 and last == f"gemma-arena: error: {local_error.value}", r.stderr[-2000:]
    assert not (tmp_path / "raise.csv").exists()
    said = stopped_once_running(command("--out", tmp_path / "stopped.csv"),  # SIGTERM: the task cancelled
                                env=dict(os.environ, **TOKEN_AUTH))
    assert "run the same command again to resume" in said[-1], said[-20:]


def stopped_once_running(cmd, **kw):
    "Run `cmd`, SIGTERM it once Ray Data starts the dataset, assert it exits 130; its stderr's lines."
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, **kw)
    said = ""
    for line in p.stderr:
        said += line
        if "Starting execution of Dataset" in line: p.send_signal(signal.SIGTERM); break
    said += p.communicate(timeout=300)[1]
    assert p.returncode == 130, said[-2000:]
    return said.strip().splitlines()


@pytest.mark.parametrize("entry", ["gemma_arena.launch", "gemma_arena.cli"])
def test_sigterm_stops_a_ray_run_as_ctrl_c(entry, tmp_path):
    """SIGTERM while the dataset runs stops `demo --ray` as Ctrl-C does (exit 130, one line on how to resume), whether
    the console script started the cluster early (`launch`) or the driver's own `ray.init` did (`cli`), which would
    otherwise install Ray's handler (exit at once) in place of the CLI's. The CLI leaves the cluster before its last
    line, so no line of Ray's follows it."""
    pytest.importorskip("ray", reason='the Ray extra is not installed: pip install "gemma_arena[ray]"')
    cmd = [sys.executable, "-m", entry, "demo", "--ray", "--no-progress", "--out", str(tmp_path / "sub.csv")]
    # a raylet that finds the disk "over 1% full" warns every 10 s, as on a nearly full disk: none may come last
    said = stopped_once_running(cmd, env=dict(os.environ, RAY_local_fs_capacity_threshold="0.01"))
    assert "run the same command again to resume" in said[-1], said[-20:]
    assert not (tmp_path / "sub.csv").exists()


def test_second_ctrl_c_while_leaving_the_cluster(tmp_path):
    """A second Ctrl-C while the CLI leaves the cluster after the first (here: `ray.shutdown` raises it once it is
    done) keeps the first one's line on how to resume, not "interrupted before any batch was computed"."""
    pytest.importorskip("ray", reason='the Ray extra is not installed: pip install "gemma_arena[ray]"')
    code = ("import sys, ray; real = ray.shutdown\n"
            "def shutdown(*a, **kw): real(*a, **kw); raise KeyboardInterrupt\n"
            "ray.shutdown = shutdown\n"
            "from gemma_arena.cli import main; sys.exit(main(sys.argv[1:]))")
    said = stopped_once_running([sys.executable, "-c", code, "demo", "--ray", "--no-progress",
                                 "--out", str(tmp_path / "sub.csv")])
    assert "run the same command again to resume" in said[-1], said[-20:]
