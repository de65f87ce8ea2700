"""A student's submission, read from the host into memory: one Python file, or a folder with
solution.py (or with exactly one .py file at its top, whatever its name: a platform's upload
keeps the name the student gave it).

Only regular files are taken, read into memory and sent into the container as an archive the
grader builds itself: a symlink (to /etc/shadow, to the grader), a device, a FIFO or a path
leaving the folder is refused with a message, never followed, and nothing of the host is
mounted into the container. Sizes are capped so that a huge upload is refused, not copied.
"""

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lab.text import T

MAX_FILE = 1 << 20  # bytes in one file
MAX_TOTAL = 4 << 20  # bytes in a whole submission
MAX_FILES = 200


@dataclass
class Submission:
    """What a student handed in. `problem` says why it cannot be run (then `files` may be empty)."""

    name: str  # the student's identifier: the file's stem or the folder's name
    path: Path
    files: dict = field(default_factory=dict)  # relative path -> bytes
    problem: Optional[T] = None

    @property
    def digest(self) -> str:
        """A fingerprint of the content, so a resumed batch regrades a submission that changed."""
        sha = hashlib.sha256()
        for name, data in sorted(self.files.items()):
            sha.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        return sha.hexdigest()[:16]


def load(path) -> Submission:
    path = Path(path)
    name = path.stem if path.is_file() else path.name
    try:
        info = path.lstat()
    except OSError as error:
        return Submission(name, path, problem=T(f"cannot read the submission: {error.strerror}",
                                                f"无法读取提交的文件：{error.strerror}"))
    if stat.S_ISREG(info.st_mode):
        return _single_file(name, path, info)
    if stat.S_ISDIR(info.st_mode):
        return _folder(name, path)
    return Submission(name, path, problem=T("the submission is neither a regular file nor a folder",
                                            "提交的既不是普通文件，也不是文件夹"))


def _single_file(name: str, path: Path, info) -> Submission:
    if info.st_size > MAX_FILE:
        return Submission(name, path, problem=T(
            f"the file is too large ({info.st_size} bytes; the limit is {MAX_FILE})",
            f"文件太大（{info.st_size} 字节；上限是 {MAX_FILE}）"))
    return Submission(name, path, {"solution.py": path.read_bytes()})


def _folder(name: str, root: Path) -> Submission:
    files, total = {}, 0
    for directory, subdirectories, names in os.walk(root, followlinks=False):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and d != "__pycache__")
        for entry in sorted(names):
            full = Path(directory, entry)
            relative = full.relative_to(root).as_posix()
            if entry.startswith(".") or entry.endswith(".pyc"):
                continue
            info = full.lstat()
            if not stat.S_ISREG(info.st_mode):
                link = stat.S_ISLNK(info.st_mode)
                return Submission(name, root, problem=T(
                    f"{relative} is {'a symbolic link' if link else 'not a regular file'}; "
                    "only regular files are accepted",
                    f"{relative} {'是符号链接' if link else '不是普通文件'}；只接受普通文件"))
            total += info.st_size
            if len(files) >= MAX_FILES or info.st_size > MAX_FILE or total > MAX_TOTAL:
                return Submission(name, root, problem=T(
                    f"the submission is too large (at most {MAX_FILES} files, {MAX_FILE} bytes each, "
                    f"{MAX_TOTAL} in all)",
                    f"提交的内容太大（最多 {MAX_FILES} 个文件，每个 {MAX_FILE} 字节，共 {MAX_TOTAL} 字节）"))
            files[relative] = full.read_bytes()
    # a link to a folder is never walked into; say so instead of silently dropping it
    for directory, subdirectories, _ in os.walk(root, followlinks=False):
        for entry in subdirectories:
            if Path(directory, entry).is_symlink():
                relative = Path(directory, entry).relative_to(root).as_posix()
                return Submission(name, root, problem=T(
                    f"{relative} is a symbolic link; only regular files are accepted",
                    f"{relative} 是符号链接；只接受普通文件"))
    if "solution.py" not in files:
        alone = [path for path in files if "/" not in path and path.endswith(".py")]
        if len(alone) != 1:
            return Submission(name, root, files, problem=T(
                f"the folder has no solution.py, and {len(alone)} other .py files at its top "
                "(not one to take for it)",
                f"文件夹里没有 solution.py，顶层有 {len(alone)} 个其他 .py 文件（不是恰好一个，无法选定）"))
        files["solution.py"] = files.pop(alone[0])
    return Submission(name, root, files)
