"""The `proclab` command: ps, lab, grade, export, build, clean.

Errors a person can fix (no engine, bad arguments, no image) are one line on stderr and exit 2.
Ctrl-C and SIGTERM unwind normally, so every container this run started is removed.
A reader that stops early (`proclab ps | head`) ends the command quietly.
"""

import argparse
import os
import shutil
import signal
import sys

from lab import __version__
from lab.errors import ProclabError
from lab.export import TARGETS as EXPORTS
from lab.grading.results import FORMATS
from lab.sandbox import BACKENDS, connect
from lab.text import LANGUAGES, default_language

EPILOG = ("labs: `proclab lab --list`; everything runs in a throw-away sandbox: a container labelled "
          "'proclab' (--backend docker, the default), or in place (--backend local).")


class Parser(argparse.ArgumentParser):
    """argparse, with its errors as the one line the rest of proclab prints."""

    def error(self, message):
        raise ProclabError(f"{message} (see `{self.prog} --help`)")

    def parse_known_args(self, args=None, namespace=None):
        """Each parser refuses the arguments it does not know itself: argparse would hand a
        subcommand's leftovers up to `proclab`, whose --help does not explain them, and with no
        command at all it would complain of the missing command instead of the wrong flag."""
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras


def jobs_count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 64, not {text!r}")
    return int(text)


def add_language(parser, of_what: str) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=default_language(),
                        help=f"language of {of_what} (default: LAB_LANG, else the locale: LANG=zh_CN.UTF-8 is zh)")


def add_backend(parser) -> None:
    parser.add_argument("--backend", choices=BACKENDS, default=None,
                        help="where programs run: docker (a container each; the default) or local (in place, "
                             "without an engine; default: PROCLAB_BACKEND)")


def add_exercises(parser) -> None:
    parser.add_argument("--exercises", metavar="DIR",
                        help="take the exercises from DIR, a folder of exercise folders (default: "
                             "PROCLAB_EXERCISES, else those that come with proclab)")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="proclab", description="A containerized Linux process lab.", epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"proclab {__version__}")
    # Not required: main says which commands there are, after the parsers named any wrong flag.
    commands = parser.add_subparsers(dest="command", parser_class=Parser)

    ps = commands.add_parser("ps", help="list processes (tasklist / ps aux), here or in a container")
    view = ps.add_mutually_exclusive_group()
    view.add_argument("--zombies", action="store_const", dest="view", const="zombies",
                      help="only zombies: what `ps aux | grep Z` means to show")
    view.add_argument("--tree", action="store_const", dest="view", const="tree",
                      help="parents and children, like `pstree -p`")
    view.add_argument("--find", metavar="NAME", help="processes whose name or command contains NAME")
    view.add_argument("--json", action="store_const", dest="view", const="json",
                      help="a JSON array with pid, ppid, state, name, cmdline, user")
    ps.add_argument("--under", type=int, metavar="PID",
                    help="only PID and its descendants (with any view): a sandbox in place, say")
    ps.add_argument("--wide", action="store_true",
                    help="whole lines on a terminal too, like `ps w` (by default they are cut to its width)")

    lab = commands.add_parser("lab", help="run a guided lab in a fresh container")
    lab.add_argument("name", nargs="?", help="the lab to run")
    lab.add_argument("--list", action="store_true", help="list the labs")
    lab.add_argument("--fast", action="store_true", help="no pauses between steps")
    add_language(lab, "the narration")
    add_backend(lab)

    grade = commands.add_parser(
        "grade", help="grade a submission (a .py file or a folder with solution.py), or a folder of them",
        description="Grade a submission in a locked-down container from what the host observes. "
                    "SUBMISSION is a .py file, a folder with solution.py, or a folder of submissions "
                    "(one file or folder per student: a batch, which needs --out).")
    grade.add_argument("exercise", nargs="?", help="the exercise (see --list)")
    grade.add_argument("submission", nargs="?", help="a .py file, a folder with solution.py, or a folder of those")
    grade.add_argument("--list", action="store_true", help="list the exercises")
    grade.add_argument("--format", choices=FORMATS, default="text",
                       help="result format (default text); a batch writes one feedback file per student in it")
    grade.add_argument("--out", metavar="PATH",
                       help="write the result to this file; for a batch, the results folder (required)")
    grade.add_argument("--jobs", type=jobs_count, default=1, help="submissions graded at once in a batch (default 1)")
    grade.add_argument("--single", action="store_true",
                       help="SUBMISSION is one student's folder, even without solution.py (then its only .py "
                            "file is the solution): never a batch")
    add_language(grade, "the feedback: checks, hints, verdict, summary")
    add_exercises(grade)
    add_backend(grade)

    export = commands.add_parser(
        "export", help="what students get, or an autograder for a course platform, for one exercise",
        description="Write, for one exercise, what students get (statement and starter, never the "
                    "reference or the checks) or a ready autograder for a course platform.")
    export.add_argument("target", choices=EXPORTS, help="; ".join(f"{k}: {v}" for k, v in EXPORTS.items()))
    export.add_argument("exercise", help="the exercise (see `proclab grade --list`)")
    export.add_argument("--out", metavar="PATH", required=True,
                        help="where to write it (gradescope: a .zip; the others: a folder)")
    add_language(export, "the feedback the platform shows students")
    add_exercises(export)

    commands.add_parser("build", help="build (or refresh) the lab image proclab:latest")
    clean = commands.add_parser("clean", help="remove every container labelled proclab (after a killed run)")
    clean.add_argument("--run", metavar="ID",
                       help="only the containers of one run (label proclab.run=ID), sparing other runs in progress")
    return parser


def cmd_ps(args) -> int:
    from lab import ps

    if args.under is not None and args.under <= 0:
        raise ProclabError(f"--under takes a PID, not {args.under}")
    view = "find" if args.find else args.view or "table"
    print(ps.render(view, args.find or "", under=args.under, width=terminal_width(args.wide)))
    return 0


def terminal_width(wide: bool):
    """The width to cut lines to, or None for whole lines: a person at a terminal reads one
    process a line, as `ps` shows them; a pipe or a file (grep, a script) gets every character."""
    if wide or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def cmd_lab(args) -> int:
    from lab.labs import LABS

    if args.list or args.name is None:  # a bare `proclab lab` asks which labs there are
        for name, lab in LABS.items():
            print(f"{name:11} {lab.summary(args.lang)}")
        return 0
    if args.name not in LABS:
        raise ProclabError(f"no lab named {args.name!r}; the labs are: {', '.join(LABS)}")
    from lab.labs.runner import run_lab

    with connect(args.backend, purpose="lab") as engine:
        return 0 if run_lab(LABS[args.name], engine, fast=args.fast, lang=args.lang) else 1


def cmd_grade(args) -> int:
    from pathlib import Path

    from lab.grading import catalog

    if args.list or not args.exercise:
        for name in catalog.names():
            print(f"{name:13} {catalog.load(name).title(args.lang)}")
        if args.list:
            return 0
        raise ProclabError("grade needs an EXERCISE (one of those above) and a SUBMISSION "
                           "(see `proclab grade --help`)")
    if not args.submission:
        raise ProclabError("grade needs an EXERCISE and a SUBMISSION (see `proclab grade --list`)")
    exercise = catalog.load(args.exercise)
    path = Path(args.submission)
    if not path.exists() and not path.is_symlink():
        raise ProclabError(f"no such submission: {path}")
    if path.is_dir() and not path.is_symlink() and not (path / "solution.py").exists() and not args.single:
        return _grade_batch(exercise, path, args)
    return _grade_one(exercise, path, args)


def _grade_one(exercise, path, args) -> int:
    """Grade one submission. A platform's result file is written whatever happens, a grader
    error included, and then the exit status is 0: the platform reads the file, and
    PrairieLearn would discard it after a non-zero exit."""
    from pathlib import Path

    from lab.grading import results, submission
    from lab.grading.grader import grade

    for_platform = bool(args.out) and args.format in results.PLATFORM_FORMATS
    try:
        with connect(args.backend, purpose="grade") as engine:
            result = grade(exercise, submission.load(path), engine, lang=args.lang)
    except ProclabError as error:
        if not for_platform:
            raise
        print(f"proclab: error: {error}", file=sys.stderr)
        result = results.grader_error(exercise, path.stem, str(error), lang=args.lang)
    if args.out:
        results.write(Path(args.out), results.render(result, args.format))
    print(results.render(result, "text" if args.out else args.format), end="")
    if for_platform:
        return 0
    return {"passed": 0, "failed": 1}.get(result.status, 2)


def _grade_batch(exercise, folder, args) -> int:
    from pathlib import Path

    from lab.grading import batch

    if not args.out:
        raise ProclabError(f"{folder} is a folder of submissions: say where the results go with --out DIR")
    outcome = batch.grade_folder(exercise, folder, Path(args.out), jobs=args.jobs, form=args.format,
                                 backend=args.backend, lang=args.lang)
    print(batch.summary(outcome, exercise, args.lang))
    print(f"results: {args.out}/ (grades.csv, one feedback file per student)")
    errors = any(r.status == "error" for r in outcome.results)
    return 2 if outcome.stopped or errors else 0


def cmd_export(args) -> int:
    from pathlib import Path

    from lab import export
    from lab.grading import catalog

    written = export.export(args.target, catalog.load(args.exercise), Path(args.out), args.lang)
    print(f"proclab export: {args.target} bundle of {args.exercise} written to {written}")
    return 0


def cmd_build(args) -> int:
    from lab.backends import docker

    docker.build()
    return 0


def cmd_clean(args) -> int:
    from lab.backends import docker

    label = f"{docker.RUN_LABEL}={args.run}" if args.run else docker.LABEL
    print(f"proclab clean: removed {docker.clean(args.run)} container(s) labelled {label}")
    return 0


COMMANDS = {"ps": cmd_ps, "lab": cmd_lab, "grade": cmd_grade, "export": cmd_export, "build": cmd_build,
            "clean": cmd_clean}


def _terminate(signum, frame):
    raise KeyboardInterrupt  # unwind like Ctrl-C, so cleanup runs


def _reader_gone() -> int:
    """What the Python docs advise when stdout's reader has gone (`proclab ps | head`): point
    stdout at /dev/null, so that the flush at exit does not fail again with a traceback. The
    status is the shell's for a program that SIGPIPE ended, as `ps` itself would be; 1 would
    read as a failed grade."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 128 + signal.SIGPIPE


def main(argv=None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            raise ProclabError(f"say which command: {', '.join(COMMANDS)} (see `proclab --help`)")
        if getattr(args, "exercises", None):  # `--exercises DIR`, for every command that takes it
            from lab.grading import catalog

            catalog.use(args.exercises)
        status = COMMANDS[args.command](args)
        sys.stdout.flush()  # here, where a reader that has gone can still be answered quietly
        return status
    except BrokenPipeError:
        return _reader_gone()
    except ProclabError as error:
        print(f"proclab: error: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("proclab: interrupted; its containers were removed", file=sys.stderr)
        return 130
    except Exception as error:  # the engine went away mid-run, and the like
        if type(error).__module__.split(".")[0] in ("docker", "requests", "urllib3"):
            print(f"proclab: error: the Docker engine failed: {error}", file=sys.stderr)
            return 2
        raise
