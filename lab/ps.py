"""`proclab ps`: the tutorial's tasklist / ps, with psutil and tabulate.

Works wherever psutil does: on the host, and inside lab containers (the image carries it), where
it is what students type. Views:

* the table (PID, PPID, USER, STAT, %CPU, RSS, COMMAND), zombies shown as ``<defunct>``;
* ``--zombies``: exactly the zombies, the honest answer to ``ps aux | grep Z`` (which also
  matches the grep itself, and any line with a capital Z in it);
* ``--tree``: parents and children, like ``pstree -p``;
* ``--find NAME``: like ``tasklist | findstr NAME``;
* ``--json``: machine-readable, with the one-letter state.

``--under PID`` limits any view to that process and its descendants: in place, where `ps` shows
the whole machine, it is how a lab shows only its sandbox (proclab's supervisor and below).

On a terminal, the command line cuts the lines of the table and the tree to its width, as `ps`
does (``--wide`` keeps them whole, like ``ps w``); JSON is never cut, or it would not parse.
"""

import json
import os
import time
from typing import NamedTuple

import psutil
from tabulate import tabulate

# psutil names the states; ps and /proc/<pid>/stat use one letter.
STATE_LETTERS = {
    psutil.STATUS_RUNNING: "R",
    psutil.STATUS_SLEEPING: "S",
    psutil.STATUS_DISK_SLEEP: "D",
    psutil.STATUS_STOPPED: "T",
    psutil.STATUS_TRACING_STOP: "t",
    psutil.STATUS_ZOMBIE: "Z",
    psutil.STATUS_DEAD: "X",
    psutil.STATUS_IDLE: "I",
    psutil.STATUS_WAKING: "W",
    psutil.STATUS_PARKED: "P",
}
ATTRS = ["pid", "ppid", "name", "cmdline", "username", "status", "cpu_times", "memory_info", "create_time"]


class Row(NamedTuple):
    pid: int
    ppid: int
    user: str
    state: str
    cpu_percent: float
    rss_kib: int
    name: str
    cmdline: list

    @property
    def command(self) -> str:
        """What ps prints: the command line, with unprintable characters shown as '?' like ps."""
        if self.state == "Z":
            return f"[{self.name}] <defunct>"
        text = " ".join(self.cmdline) if self.cmdline else f"[{self.name}]"
        return "".join(c if c.isprintable() else "?" for c in text)


def _row(info: dict, now: float) -> Row:
    """A Row from psutil's answers. Like ps, %CPU is CPU time over the time since start."""
    times, memory = info["cpu_times"], info["memory_info"]
    elapsed = now - (info["create_time"] or now)
    cpu = (times.user + times.system) / elapsed * 100 if times and elapsed > 0 else 0.0
    return Row(
        pid=info["pid"],
        ppid=info["ppid"] or 0,
        user=info["username"] or "?",
        state=STATE_LETTERS.get(info["status"], "?"),
        cpu_percent=round(cpu, 1),
        rss_kib=memory.rss // 1024 if memory else 0,
        name=info["name"] or "?",
        cmdline=info["cmdline"] or [],
    )


def processes() -> list:
    """Every process psutil can see, sorted by PID."""
    now = time.time()
    rows = [_row(p.info, now) for p in psutil.process_iter(ATTRS, ad_value=None)]
    return sorted(rows, key=lambda r: r.pid)


def subtree(rows: list, root: int) -> list:
    """The row of `root` and the rows of its descendants (zombies included), in the order given;
    empty if `root` is not there."""
    by_parent = {}
    for row in rows:
        by_parent.setdefault(row.ppid, []).append(row.pid)
    found, todo = set(), [root] if any(r.pid == root for r in rows) else []
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(by_parent.get(pid, ()))
    return [r for r in rows if r.pid in found]


def others(rows: list) -> list:
    """The rows without this very process: a filter must not match itself (grep's classic)."""
    return [r for r in rows if r.pid != os.getpid()]


def zombies(rows: list) -> list:
    return [r for r in others(rows) if r.state == "Z"]


def find(rows: list, needle: str) -> list:
    """Rows whose name or command line contains `needle`, ignoring case."""
    needle = needle.lower()
    return [r for r in others(rows) if needle in r.name.lower() or needle in r.command.lower()]


def table(rows: list) -> str:
    headers = ["PID", "PPID", "USER", "STAT", "%CPU", "RSS", "COMMAND"]
    cells = [(r.pid, r.ppid, r.user, r.state, f"{r.cpu_percent:.1f}", r.rss_kib, r.command) for r in rows]
    if not cells:  # tabulate cannot align the columns of an empty table
        return tabulate([], headers=headers)
    return tabulate(cells, headers=headers, disable_numparse=True, colalign=("right", "right"))


def tree(rows: list) -> str:
    """The process tree, as `pstree -p` draws it: name(pid), children below their parent."""
    by_parent = {}
    for row in rows:
        by_parent.setdefault(row.ppid, []).append(row)
    pids = {r.pid for r in rows}
    lines = []

    def draw(row: Row, prefix: str, branch: str, below: str) -> None:
        label = f"{row.name}({row.pid})" + (" <defunct>" if row.state == "Z" else "")
        lines.append(prefix + branch + label)
        children = by_parent.get(row.pid, [])
        for i, child in enumerate(children):
            last = i == len(children) - 1
            draw(child, prefix + below, "└─" if last else "├─", "  " if last else "│ ")

    for root in (r for r in rows if r.ppid not in pids):  # PID 1, and exec'd processes (PPID 0)
        draw(root, "", "", "")
    return "\n".join(lines)


def as_json(rows: list) -> str:
    return json.dumps(
        [
            {"pid": r.pid, "ppid": r.ppid, "state": r.state, "name": r.name, "cmdline": r.cmdline,
             "user": r.user, "cpu_percent": r.cpu_percent, "rss_kib": r.rss_kib}
            for r in rows
        ],
        indent=2,
    )


def fit(text: str, width=None) -> str:
    """Each line of `text` cut to `width` characters (whole with None), as `ps` cuts its lines to
    the terminal: a long command line would otherwise wrap and hide where the next process starts."""
    if width is None:
        return text
    return "\n".join(line[:width] for line in text.splitlines())


def render(view: str = "table", needle: str = "", under=None, width=None) -> str:
    """What `proclab ps` prints for one of its views; with `under`, of that PID's subtree only;
    with `width`, its lines cut to that many characters, except JSON's."""
    rows = processes()
    if under is not None:
        rows = subtree(rows, under)
    if view == "json":
        return as_json(rows)
    return fit(_picture(view, rows, needle), width)


def _picture(view: str, rows: list, needle: str) -> str:
    """A view for people: the tree, or the table of the rows the view selects."""
    if view == "tree":
        return tree(rows)
    if view == "zombies":
        return table(zombies(rows))
    if view == "find":
        return table(find(rows, needle))
    return table(rows)
