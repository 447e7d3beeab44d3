"""The GitHub Actions workflow (.github/workflows/site.yml): its structure, its locale
groups, and its steps run here as the runners would run them — every job in a checkout of
its own, the shards handed over as the artifacts would be, merged — giving the bytes of
one `helpsite build` of every locale."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpsite.sitebuild.plan import read_conf

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"
PINNED_ACTIONS = {"actions/checkout@v4", "actions/setup-python@v5",
                  "actions/upload-artifact@v4", "actions/download-artifact@v4"}
EXPRESSION = re.compile(r"\$\{\{\s*([\w.]+)\s*\}\}")
# The commit time of the local "repository": SOURCE_DATE_EPOCH comes from it, as in CI.
COMMIT_DATE = "2026-01-02T03:04:05+00:00"
DEFAULT_SHARDS = 3  # the workflow's SHARDS when not dispatched with another count


def load_workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in steps(job) if str(s.get("uses", "")).startswith(action + "@")]
    assert len(found) == 1, f"one step using {action} expected"
    return found[0]


def helpsite_commands(job: dict[str, Any]) -> list[list[str]]:
    """The argument lists of every `helpsite …` command the job's run steps call."""
    commands = []
    for step in steps(job):
        for line in str(step.get("run", "")).splitlines():
            words = shlex.split(line, comments=True)
            commands += [words[i + 1:] for i, word in enumerate(words)
                         if Path(word).name == "helpsite"]
    return commands


def the_command(job: dict[str, Any], name: str) -> list[str]:
    found = [c for c in helpsite_commands(job) if c[:1] == [name]]
    assert len(found) == 1, f"one `helpsite {name}` expected in the job, got {found}"
    return found[0]


def expand(text: str, values: dict[str, str]) -> str:
    """``${{ name }}`` replaced; an expression the test does not know fails the test."""
    return EXPRESSION.sub(lambda match: values[match.group(1)], text)


def run_step(step: dict[str, Any], checkout: Path, values: dict[str, str] | None = None,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A `run:` step as a runner runs it: bash -e -o pipefail in the checkout."""
    script = expand(str(step["run"]), values or {})
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                            cwd=checkout, env={**os.environ, **(env or {})},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{step.get('name', script)}:\n{result.stderr[-3000:]}"
    return result


def plan_groups(checkout: Path, shards: int, tmp: Path) -> list[dict[str, str]]:
    """The build matrix as the plan job computes it (its step run in ``checkout``)."""
    plan = load_workflow()["jobs"]["plan"]
    (step,) = [s for s in steps(plan) if s.get("id") == "groups"]
    output = tmp / f"github-output-{shards}"
    output.write_text("", encoding="utf-8")
    run_step(step, checkout, env={"SHARDS": str(shards), "GITHUB_OUTPUT": str(output)})
    lines = output.read_text(encoding="utf-8").splitlines()
    (line,) = [line for line in lines if line.startswith("groups=")]
    return json.loads(line.removeprefix("groups="))


def conf_tags(conf_dir: Path) -> list[str]:
    conf = read_conf(conf_dir)
    return [conf.source_locale, *conf.locales]


# -- the workflow's structure


def test_every_action_is_pinned_to_a_major_version() -> None:
    jobs = load_workflow()["jobs"]
    used = {str(s["uses"]) for job in jobs.values() for s in steps(job) if "uses" in s}
    assert used == PINNED_ACTIONS


def test_the_plan_job_feeds_the_build_matrix() -> None:
    jobs = load_workflow()["jobs"]
    assert jobs["plan"]["outputs"]["groups"] == "${{ steps.groups.outputs.groups }}"
    build = jobs["build"]
    assert build["needs"] == "plan"
    assert build["strategy"]["matrix"] == {
        "include": "${{ fromJSON(needs.plan.outputs.groups) }}"}
    assert {"run": "make venv"} in steps(jobs["plan"]) and {"run": "make venv"} in steps(build)
    workflow = load_workflow()
    dispatch = workflow[True]["workflow_dispatch"]  # YAML 1.1 reads the key `on` as true
    assert dispatch["inputs"]["shards"]["default"] == str(DEFAULT_SHARDS)
    assert workflow["env"]["SHARDS"] == (
        f"${{{{ github.event.inputs.shards || '{DEFAULT_SHARDS}' }}}}")


def test_each_build_job_builds_its_group_as_a_shard_and_uploads_it() -> None:
    build = load_workflow()["jobs"]["build"]
    command = the_command(build, "build")
    assert command[command.index("--locales") + 1] == "${{ matrix.locales }}"
    assert command[command.index("--shard-out") + 1] == "shard"
    assert "--out" not in command  # --shard-out replaces it; no root files in a shard
    upload = step_using(build, "actions/upload-artifact")["with"]
    assert upload["name"] == "${{ matrix.name }}"
    assert upload["path"].split() == ["shard/html", "shard/helpsite-shard.json"]
    # Sphinx's .buildinfo is listed in the manifest: a shard without it is incomplete.
    assert upload["include-hidden-files"] is True


def test_the_merge_job_merges_every_shard_and_checks_the_links() -> None:
    jobs = load_workflow()["jobs"]
    merge = jobs["merge"]
    assert merge["needs"] == "build"
    download = step_using(merge, "actions/download-artifact")["with"]
    assert download == {"pattern": "shard-*", "path": "shards"}
    assert the_command(merge, "merge") == ["merge", "shards/*", "--out", "build/html"]
    linkcheck = the_command(merge, "linkcheck")
    assert linkcheck[1] == "build/html" and "--no-external" in linkcheck
    order = [c[0] for c in helpsite_commands(merge)]
    assert order == ["merge", "linkcheck"]


@pytest.mark.parametrize("shards", [1, 2, 3, 4, 5, 12])
def test_the_groups_are_the_locales_of_conf_py_each_once(shards: int, tmp_path: Path) -> None:
    groups = plan_groups(REPO, shards, tmp_path)
    tags = conf_tags(REPO)
    assert len(groups) == min(shards, len(tags))
    in_groups = [tag for group in groups for tag in group["locales"].split()]
    assert sorted(in_groups) == sorted(tags) and len(set(in_groups)) == len(in_groups)
    assert [g["name"] for g in groups] == [f"shard-{i + 1}" for i in range(len(groups))]
    sizes = [len(group["locales"].split()) for group in groups]
    assert max(sizes) - min(sizes) <= 1


def load_bench() -> Any:
    """bench/shards.py, which is a script, not a package module."""
    spec = importlib.util.spec_from_file_location("bench_shards", REPO / "bench" / "shards.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while made
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("shards", [2, 4])
def test_the_shard_benchmark_builds_the_groups_the_plan_job_makes(shards: int,
                                                                   tmp_path: Path) -> None:
    bench = load_bench()
    planned = [group["locales"].split() for group in plan_groups(REPO, shards, tmp_path)]
    assert bench.round_robin(conf_tags(REPO), shards) == planned


def test_the_shard_benchmark_projects_twelve_jobs_from_a_one_locale_job() -> None:
    bench = load_bench()
    run = bench.ShardRun
    splits = {1: bench.Split([run(["en-US", "nl-NL"], 30.0)]),
              2: bench.Split([run(["en-US"], 16.0), run(["nl-NL"], 18.0)], 1.5)}
    assert splits[2].wall_on_k_machines == 19.5
    assert bench.per_locale_seconds(splits)[0] == 18.0
    tags = [f"l{i}" for i in range(13)]  # 13 locales: two rounds of 12 jobs
    assert "= 18.0 × 2 + 1.5 + setup ≈ 37.5 s + setup" in bench.projection(splits, tags)


def test_conf_py_is_read_from_a_relative_conf_dir(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`helpsite build --conf-dir project` from the folder above it (Sphinx reads conf.py
    from inside its folder: a relative path to it named nothing there)."""
    (tmp_path / "project").mkdir()
    shutil.copyfile(REPO / "conf.py", tmp_path / "project" / "conf.py")
    monkeypatch.chdir(tmp_path)
    assert conf_tags(Path("project")) == conf_tags(REPO)


# -- the workflow's steps, run here


def make_origin(target: Path) -> Path:
    """The sample project as a git repository of one commit (what CI checks out): the
    files git tracks (no compiled catalog a local build left), as they are now."""
    tracked = subprocess.run(["git", "ls-files", "-z", "conf.py", "source", "locales"],
                             cwd=REPO, check=True, capture_output=True, text=True).stdout
    for name in filter(None, tracked.split("\0")):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, target / name)
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    git = ["git", "-c", "user.name=CI test", "-c", "user.email=ci@example.test",
           "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "sample"]):
        subprocess.run([*git, *args], cwd=target, env=env, check=True, capture_output=True)
    return target


def checkout(origin: Path, target: Path) -> Path:
    """actions/checkout, then `make venv` (here: the repository's own .venv)."""
    subprocess.run(["git", "clone", "-q", str(origin), str(target)], check=True,
                   capture_output=True)
    (target / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    return target


def upload_and_download(job_checkout: Path, paths: list[str], target: Path) -> None:
    """upload-artifact of ``paths`` (rooted at their common folder, hidden files included),
    then download-artifact into ``target``."""
    root = Path(os.path.commonpath([job_checkout / p for p in paths]))
    for path in paths:
        source = job_checkout / path
        destination = target / source.relative_to(root)
        if source.is_dir():
            shutil.copytree(source, destination)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_jobs(origin: Path, work: Path, merge_checkout: Path) -> list[dict[str, str]]:
    """Every job of the build matrix in its own checkout; their shards handed to the merge
    job's checkout as the artifacts are."""
    build = load_workflow()["jobs"]["build"]
    (step,) = [s for s in steps(build) if "--shard-out" in str(s.get("run", ""))]
    paths = step_using(build, "actions/upload-artifact")["with"]["path"].split()
    groups = plan_groups(merge_checkout, DEFAULT_SHARDS, work)
    for group in groups:
        job = checkout(origin, work / "jobs" / group["name"])
        run_step(step, job, {"matrix.locales": group["locales"], "matrix.name": group["name"]})
        assert not (job / "shard" / "html" / "index.html").exists()  # the merge writes it
        upload_and_download(job, paths, merge_checkout / "shards" / group["name"])
    return groups


@pytest.fixture(scope="module")
def workflow_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The workflow's plan, build and merge jobs run here: the origin and the merge job's
    checkout, whose build/html is the merged site (linkchecked: exit 0 or the test fails)."""
    work = tmp_path_factory.mktemp("workflow")
    origin = make_origin(work / "origin")
    merge_checkout = checkout(origin, work / "merge")
    assert len(build_jobs(origin, work, merge_checkout)) == DEFAULT_SHARDS
    for step in steps(load_workflow()["jobs"]["merge"]):
        if "helpsite" in str(step.get("run", "")):
            run_step(step, merge_checkout)
    return origin, merge_checkout


@pytest.mark.slow
def test_the_workflow_run_here_gives_the_bytes_of_one_build(
        workflow_run: tuple[Path, Path], tmp_path: Path) -> None:
    origin, merge_checkout = workflow_run
    single = checkout(origin, tmp_path / "single")  # `make html` of the same commit
    epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=single, check=True,
                           capture_output=True, text=True).stdout.strip()
    subprocess.run([str(single / ".venv" / "bin" / "helpsite"), "build", "--out", "build"],
                   cwd=single, env={**os.environ, "SOURCE_DATE_EPOCH": epoch},
                   check=True, capture_output=True)

    expected = files_of(single / "build" / "html")
    got = files_of(merge_checkout / "build" / "html")
    folders = {tag.lower() for tag in conf_tags(single)}
    assert {name.partition("/")[0] for name in got if "/" in name} == folders
    assert {"index.html", "sitemap.xml", "en-us/index.html", "en-us/.buildinfo"} <= set(got)
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if expected[name] != got[name]] == []


@pytest.mark.slow
def test_the_merged_sites_link_records_name_the_checked_out_sources(
        workflow_run: tuple[Path, Path]) -> None:
    """_helpsite/links.json names the source folder relative to itself, so a shard built
    one folder below the checkout (./shard, as build/ is) points at the sources from the
    merged site too; linkcheck reports `source.md:line` with it."""
    _origin, merge_checkout = workflow_run
    records = sorted((merge_checkout / "build" / "html").glob("*/_helpsite/links.json"))
    assert len(records) == len(conf_tags(merge_checkout))
    for record in records:
        srcdir = json.loads(record.read_text(encoding="utf-8"))["srcdir"]
        assert (record.parent / srcdir).resolve() == (merge_checkout / "source").resolve()
