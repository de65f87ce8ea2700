"""proclab as a package: the wheel works from any folder, outside the checkout, and carries its
exercises and the image's recipe; the image knows which version built it."""

import ast
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import uuid
import zipfile
from pathlib import Path

import pytest

from lab import __version__, resources
from lab.backends import docker_image
from lab.grading import catalog

REPO = Path(__file__).resolve().parents[1]


def listed_packages() -> set:
    """The `packages` of pyproject.toml's [tool.setuptools] (tomllib is not in Python 3.9)."""
    text = (REPO / "pyproject.toml").read_text()
    return set(ast.literal_eval(re.search(r"^packages = (\[.*?\])", text, re.M | re.S).group(1)))


def test_every_package_of_the_tree_is_in_the_wheel():
    found = {".".join(path.parent.relative_to(REPO).parts) for path in (REPO / "lab").rglob("__init__.py")}
    assert found | {"lab._exercises", "lab._docker"} == listed_packages()


def test_the_build_context_has_the_recipe_and_the_package_never_the_exercises():
    with tarfile.open(fileobj=docker_image.context()) as tar:
        names = set(tar.getnames())
    assert {"docker/Dockerfile", "docker/proclab", "lab/__init__.py", "lab/procfs.py",
            "lab/labs/programs/zombie/zombie.py"} <= names
    assert not [n for n in names if "exercises" in n or "solution" in n or "__pycache__" in n or n.endswith(".pyc")]
    assert {n.split("/")[0] for n in names} == {"docker", "lab"}


class FakeImages:
    def __init__(self, labels):
        self.labels = labels

    def get(self, name):
        if self.labels is None:
            raise docker_image.docker.errors.ImageNotFound(name)
        return type("Image", (), {"labels": self.labels})()


@pytest.mark.parametrize("labels, rebuilt, said", [
    (None, True, "proclab:latest is missing: building it once"),
    ({}, True, "proclab:latest is stale (built by proclab an unknown version, this is"),
    ({"proclab.version": "0.0.1"}, True, "proclab:latest is stale (built by proclab 0.0.1, this is"),
    ({"proclab.version": __version__}, False, ""),
])
def test_an_image_of_another_version_is_rebuilt(monkeypatch, capsys, labels, rebuilt, said):
    built = []
    monkeypatch.setattr(docker_image, "build", lambda client, tag: built.append(tag))
    docker_image.ensure(type("Client", (), {"images": FakeImages(labels)})())
    assert built == (["proclab:latest"] if rebuilt else [])
    assert said in capsys.readouterr().err


def test_the_offline_base_is_named_by_its_recipe():
    recipe = (resources.docker() / "make-base.sh").read_bytes()
    import hashlib

    assert docker_image.offline_base() == f"proclab-base:bookworm-{hashlib.sha256(recipe).hexdigest()[:12]}"


@pytest.fixture
def installed(tmp_path_factory):
    """A fresh virtualenv outside the checkout with proclab installed from the wheel `pip wheel`
    builds of this checkout (its dependencies from the index, as a user's pip gets them)."""
    root = tmp_path_factory.mktemp("installed")
    source = root / "source"  # a copy: setuptools leaves build/ and *.egg-info where it builds
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("lab", "exercises", "docker"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(root / "dist"), str(source)], check=True, timeout=300)
    wheel, = (root / "dist").glob("proclab-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True, timeout=120)
    subprocess.run([str(root / "venv" / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                    str(wheel)], check=True, timeout=600)
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return root / "venv" / "bin" / "proclab", elsewhere


def run(installed, *args, **kwargs):
    proclab, elsewhere = installed
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PROCLAB_EXERCISES")}
    return subprocess.run([str(proclab), *args], cwd=elsewhere, capture_output=True, text=True, timeout=300,
                          env={**env, **kwargs.pop("env", {})}, **kwargs)


@pytest.mark.container
def test_the_wheel_works_from_any_folder(installed, client):
    """The wheel carries the exercises and the recipe, runs a lab and grades, outside the checkout.
    (One test: the venv it needs takes a while to make.)"""
    result = run(installed, "--version")
    assert (result.returncode, result.stdout) == (0, f"proclab {__version__}\n"), result.stderr
    listed = run(installed, "grade", "--list")
    assert [line.split()[0] for line in listed.stdout.splitlines()] == catalog.names() and len(catalog.names()) == 10
    probe = ("import lab, tarfile; from lab import resources; from lab.backends import docker_image; "
             "print(lab.__file__); print(resources.exercises()); "
             "print(sorted(tarfile.open(fileobj=docker_image.context()).getnames()))")
    python = installed[0].parent / "python"
    where = subprocess.run([str(python), "-c", probe], cwd=installed[1], capture_output=True, text=True, timeout=60)
    package, exercises, context = where.stdout.splitlines()
    assert "site-packages" in package and exercises.endswith("site-packages/lab/_exercises"), where.stdout + where.stderr
    with tarfile.open(fileobj=docker_image.context()) as tar:
        assert context == repr(sorted(tar.getnames())), "the wheel's build context differs from the checkout's"

    # a wheel exported from an installed wheel lays its data out as pyproject.toml does
    exported = run(installed, "export", "gradescope", "zombie", "--out", "autograder.zip")
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(installed[1] / "autograder.zip") as autograder:
        inner = zipfile.ZipFile(io.BytesIO(autograder.read(f"proclab-{__version__}-py3-none-any.whl"))).namelist()
    assert {"lab/_exercises/zombie/checks.py", "lab/_docker/Dockerfile", "lab/cli.py"} <= set(inner), sorted(inner)
    assert not [name for name in inner if name.startswith(("lab/__exercises", "lab/__docker"))]

    env = {"PROCLAB_RUN_ID": f"wheel-{uuid.uuid4().hex[:10]}"}
    lab = run(installed, "lab", "zombie", "--fast", env=env)
    assert lab.returncode == 0, lab.stdout[-3000:] + lab.stderr
    assert re.search(r"\bZ\b", lab.stdout), lab.stdout[-3000:]
    shutil.copy(REPO / "exercises" / "zombie" / "solution.py", installed[1] / "solution.py")
    graded = run(installed, "grade", "zombie", "solution.py", env=env)
    assert graded.returncode == 0 and graded.stdout.rstrip().endswith("Score: 9/9"), graded.stdout + graded.stderr


def readme_example(folder: Path) -> Path:
    """The README's example exercise, written where its `<!-- example: PATH -->` marks say."""
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"<!-- example: (\S+) -->\n```python\n(.*?)```", text, re.S)
    assert {path for path, _ in blocks} == {"three/checks.py", "three/solution.py"}
    for path, code in blocks:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(code)
    return folder


@pytest.mark.container
def test_the_readme_example_exercise_grades_outside_the_checkout(tmp_path, client):
    mine = readme_example(tmp_path / "my-exercises")
    solution = mine / "three" / "solution.py"
    one_at_a_time = tmp_path / "one_at_a_time.py"  # each child joined before the next starts
    one_at_a_time.write_text(solution.read_text().replace(
        "    for worker in workers:\n        worker.start()\n    for worker in workers:\n        worker.join()\n",
        "    for worker in workers:\n        worker.start()\n        worker.join()\n"))
    env = {**os.environ, "PROCLAB_RUN_ID": f"example-{uuid.uuid4().hex[:10]}"}
    env.pop("PROCLAB_EXERCISES", None)
    results = {}
    for name, path in (("reference", solution), ("one_at_a_time", one_at_a_time)):
        results[name] = subprocess.run([sys.executable, "-m", "lab", "grade", "three", str(path), "--exercises",
                                        str(mine)], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert results["reference"].returncode == 0, results["reference"].stdout + results["reference"].stderr
    assert results["reference"].stdout.rstrip().endswith("Score: 4/4")
    wrong = results["one_at_a_time"].stdout
    assert results["one_at_a_time"].returncode == 1 and wrong.rstrip().endswith("Score: 1/4"), wrong
    assert "three children alive at the same time" in wrong and "at most 1 at once" in wrong


def test_the_student_export_has_no_solution_and_no_checks(tmp_path):
    mine = readme_example(tmp_path / "my-exercises")
    (mine / "three" / "README.md").write_text("# three\n")
    (mine / "three" / "starter.py").write_text("import multiprocessing\n")
    result = subprocess.run([sys.executable, "-m", "lab", "export", "student", "three", "--exercises", str(mine),
                             "--out", str(tmp_path / "handout" / "three")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "handout" / "three").iterdir()) == ["README.md", "starter.py"]


def test_an_exercises_folder_without_exercises_is_one_line_and_exit_2(tmp_path):
    result = subprocess.run([sys.executable, "-m", "lab", "grade", "--list", "--exercises", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == (f"proclab: error: no exercise in {tmp_path}: an exercise is a folder with a "
                             "checks.py\n")
