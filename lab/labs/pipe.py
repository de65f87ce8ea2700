"""Lab: Pipe -- two-way by default, one-way with duplex=False, and when recv() raises EOFError.

How the kernel opened each end is read from /proc/<pid>/fdinfo; a receiver blocked in recv() is
seen in the process table (alive, state S, for a while); how a child ended, from its zombie's
exit status before its parent joins it. The programs' printouts are used only for what the
programs alone know: the numbers of their file descriptors and the exceptions they caught.
"""

import os
import re
from typing import Optional

from lab.labs.claims import exited
from lab.labs.model import Check, Lab, Run, Shell, Step, T, World

HANG = 2.0  # seconds the lab watches a receiver blocked in recv()
MODE_NAMES = {os.O_RDONLY: "O_RDONLY", os.O_WRONLY: "O_WRONLY", os.O_RDWR: "O_RDWR"}


def end_modes(w: World, role: str) -> Optional[tuple]:
    """How the kernel opened the two ends the program printed ("ends: fd 3 and fd 4"): a pair of
    os.O_RDONLY, os.O_WRONLY or os.O_RDWR, from the flags in /proc/<pid>/fdinfo/<fd>."""
    ends = re.search(r"ends: fd (\d+) and fd (\d+)", w.output(role))
    if not ends:
        return None
    modes = []
    for fd in ends.groups():
        info = w.read(f"/proc/{w.roles[role]}/fdinfo/{fd}") or ""
        flags = re.search(r"^flags:\s+([0-7]+)$", info, re.M)
        modes.append(int(flags[1], 8) & os.O_ACCMODE if flags else None)
    return tuple(modes)


def opened(role: str, first: int, second: int, what: T) -> Check:
    return Check(T(f"the kernel opened the two ends of PID {{{role}}} {MODE_NAMES[first]} and "
                   f"{MODE_NAMES[second]}: {what.en}",
                   f"内核以 {MODE_NAMES[first]} 和 {MODE_NAMES[second]} 打开了 PID {{{role}}} 的两端："
                   f"{what.zh}"),
                 lambda w: end_modes(w, role) == (first, second))


STILL_WAITING = Check(
    T(f"the receiver {{stuck}} stays alive and asleep in recv() (state S) for {HANG:g} s",
      f"接收方 {{stuck}} 在 {HANG:g} 秒内一直活着，在 recv() 里睡眠（S）"),
    lambda w: w.state("stuck") == "S", hold=HANG)


LAB = Lab(
    name="pipe",
    summary=T("Pipe: two-way by default, one-way with duplex=False, and when recv() raises EOFError",
              "管道 Pipe：默认是双向的，duplex=False 时是单向管道，以及 recv() 何时抛出 EOFError"),
    intro=T(
        "multiprocessing.Pipe() returns two connection objects, the two ends of one line "
        "between two processes: what is sent on one end is received on the other. Each end is "
        "a file descriptor, so /proc shows what the kernel made of it. Under fork a child "
        "inherits a copy of every end its parent holds -- that matters for EOFError.",
        "multiprocessing.Pipe() 返回两个连接对象，它们是连接两个进程的一条管道的两端：从一端"
        "发送的数据，从另一端接收。每一端都是一个文件描述符，所以从 /proc 能看到内核把它做成了"
        "什么。用 fork 启动时，子进程会继承父进程手里每一端的副本——这一点对 EOFError 至关重要。",
    ),
    steps=(
        Step(
            title=T("Pipe(): a two-way line", "Pipe()：双向管道"),
            say=T("The parent creates a Pipe(), keeps one end and gives the other to a child, "
                  "which waits in recv() on it. The parent prints the numbers of the two file "
                  "descriptors; the lab asks the kernel how it opened them.",
                  "父进程创建一个 Pipe()，自己留一端，把另一端交给子进程，子进程在这一端上调用 recv() "
                  "等待。父进程打印出两端的文件描述符编号；实验去问内核它们是以什么方式打开的。"),
            do=(Run("two_way", "pipe/duplex.py"),),
            checks=(opened("two_way", os.O_RDWR, os.O_RDWR, T("read and write, both", "两端都可读可写")),
                    Check(T("the child of PID {two_way} waits in recv() (state S)",
                            "PID {two_way} 的子进程在 recv() 里等待（S）"),
                          lambda w: w.child("two_way", state="S"), bind="child")),
            show=("tree",),
        ),
        Step(
            title=T("Pipe(): both ends send and receive", "Pipe()：两端都能发送和接收"),
            say=T("In /proc/{two_way}/fd the two ends are socket:[...], lrwx: Pipe() is a pair "
                  "of connected Unix sockets. The parent sends 'ping' on its end. The child "
                  "receives it, answers on the same end it received on, and exits; the parent "
                  "receives the answer on the same end it sent on. The parent has not joined the "
                  "child yet: the child's zombie shows how it ended.",
                  "在 /proc/{two_way}/fd 里，这两端显示为 socket:[...]，权限 lrwx：Pipe() 是一对"
                  "相连的 Unix 套接字。父进程从自己这一端发送 'ping'。子进程收到后，从它接收的同一端"
                  "发回答复，然后退出；父进程从它发送的同一端收到答复。父进程还没有 join 子进程："
                  "子进程此时是僵尸进程，从它可以看出子进程是怎样结束的。"),
            do=(Shell("ls -l /proc/{two_way}/fd"), Shell("kill -USR1 {two_way}")),
            checks=(Check(T("the child {child} received and answered on its end, and exited "
                            "with status 0",
                            "子进程 {child} 在自己这一端收到并发回了答复，并以状态 0 退出"),
                          lambda w: w.zombie_exit("child") == 0),
                    Check(T("the parent {two_way} received the answer 'PING' on the end it sent on",
                            "父进程 {two_way} 在它发送的那一端收到了答复 'PING'"),
                          lambda w: "received 'PING' on the same end" in w.output("two_way"))),
            show=("zombies",),
        ),
        Step(
            title=T("Pipe(duplex=False): a one-way line", "Pipe(duplex=False)：单向管道"),
            say=T("The parent {two_way} joins its child and exits. A new program creates "
                  "Pipe(duplex=False), which returns (receive-only end, send-only end). Sending "
                  "the right way round works. send() on the receive-only end raises OSError -- "
                  "which one? Its errno is None: multiprocessing refuses before any system call. "
                  "Underneath, the kernel would refuse too: write(2) on that descriptor fails "
                  "with EBADF.",
                  "父进程 {two_way} join 子进程后退出。新程序创建 Pipe(duplex=False)，即单向管道（APUE "
                  "里叫半双工管道），它返回 (只能接收的一端, 只能发送的一端)。按正确方向发送没有问题。在只能接收的一端调用 "
                  "send() 会抛出 OSError——是哪一种？它的 errno 是 None：multiprocessing 在进行任何"
                  "系统调用之前就拒绝了。再往下一层，内核同样会拒绝：对这个描述符调用 write(2) 失败，"
                  "错误为 EBADF。"),
            do=(Shell("kill -USR1 {two_way}"), Run("one_way", "pipe/oneway.py")),
            checks=(exited("two_way"),
                    opened("one_way", os.O_RDONLY, os.O_WRONLY,
                           T("receive-only, send-only", "只收、只发")),
                    Check(T("PID {one_way} caught OSError('connection is read-only'), errno None, "
                            "from send()",
                            "PID {one_way} 的 send() 抛出 OSError('connection is read-only')，"
                            "errno 为 None"),
                          lambda w: "raised OSError('connection is read-only'), errno None"
                          in w.output("one_way")),
                    Check(T("… and OSError EBADF from write(2) on the same descriptor",
                            "……而对同一个描述符调用 write(2) 得到 OSError EBADF"),
                          lambda w: "Bad file descriptor'), errno EBADF" in w.output("one_way"))),
            show=(),
        ),
        Step(
            title=T("recv() waits while a send end is open", "只要还有发送端开着，recv() 就一直等"),
            say=T("In /proc/{one_way}/fd both ends are the same pipe:[...], a kernel pipe: one "
                  "lr-x (read only), one l-wx (write only). The program {one_way} exits. The "
                  "next program sends 3 messages through Pipe(duplex=False) to a child that "
                  "calls recv() until EOFError. Nobody closes the ends they do not use, and the "
                  "parent still holds its send end. The child gets the 3 messages, then waits in "
                  "recv(): more might come.",
                  "在 /proc/{one_way}/fd 里，两端是同一个 pipe:[...]，即内核的管道：一个 lr-x（只读），"
                  "一个 l-wx（只写）。程序 {one_way} 退出。下一个程序通过 Pipe(duplex=False) 向子进程发送 "
                  "3 条消息，子进程不停地 recv()，直到遇到 EOFError。谁都没有关闭自己用不到的那一端，"
                  "父进程也还拿着自己的发送端。子进程收到 3 条消息后在 recv() 里等待：也许还会有消息来。"),
            do=(Shell("ls -l /proc/{one_way}/fd"), Shell("kill -USR1 {one_way}"),
                Run("careless", "pipe/eof.py", ("keep",))),
            checks=(exited("one_way"),
                    Check(T("the receiver: a child of PID {careless}, asleep (state S)",
                            "接收方：PID {careless} 的子进程，处于睡眠状态（S）"),
                          lambda w: w.child("careless", state="S"), bind="stuck"),
                    Check(T("the receiver {stuck} got the 3 messages", "接收方 {stuck} 收到了 3 条消息"),
                          lambda w: "got 'message 3'" in w.output("careless")),
                    STILL_WAITING),
            show=("tree",),
        ),
        Step(
            title=T("The parent closes its send end: still no EOFError",
                    "父进程关闭了发送端：仍然没有 EOFError"),
            say=T("The parent closes its send end at last. The child still waits: in its own "
                  "/proc/{stuck}/fd the same pipe:[...] appears twice, once l-wx, opened for "
                  "writing. It is the copy of the send end the child inherited at fork. recv() "
                  "raises EOFError only when every copy is closed: the child waits for itself, "
                  "forever.",
                  "父进程终于关闭了自己的发送端。子进程仍在等待：看它自己的 /proc/{stuck}/fd，"
                  "同一个 pipe:[...] 出现了两次，其中一次是 l-wx，以写方式打开。这是子进程在 fork "
                  "时继承来的发送端副本。只有所有副本都关闭后，recv() 才会抛出 EOFError：子进程是在"
                  "等它自己，永远等不到。"),
            do=(Shell("kill -USR1 {careless}"), Shell("ls -l /proc/{stuck}/fd")),
            checks=(Check(T("the parent {careless} closed its send end", "父进程 {careless} 关闭了自己的发送端"),
                          lambda w: "closed my send end at last" in w.output("careless")),
                    STILL_WAITING),
            show=(),
        ),
        Step(
            title=T("Only a kill ends the wait", "只有 kill 才能结束等待"),
            say=T("We end the wait from outside: SIGTERM to the receiver {stuck}. Its zombie "
                  "shows the status -15, killed by signal 15: it did not end by EOFError.",
                  "我们从外面结束这次等待：给接收方 {stuck} 发送 SIGTERM。它的僵尸进程显示状态 -15，"
                  "即被 15 号信号杀死：它并不是因为 EOFError 而结束的。"),
            do=(Shell("kill {stuck}"),),
            checks=(Check(T("the receiver {stuck} killed by SIGTERM (status -15)",
                            "接收方 {stuck} 被 SIGTERM 杀死（状态 -15）"),
                          lambda w: w.zombie_exit("stuck") == -15),),
            show=("zombies",),
        ),
        Step(
            title=T("The fix: close the ends you do not use", "正确做法：关闭用不到的那一端"),
            say=T("The parent {careless} joins its child and exits. The same program again, but "
                  "each process closes what it does not use right after fork: the child its copy "
                  "of the send end, the parent its receive end -- and the parent closes its send "
                  "end once it has sent. After the 3 messages the child gets EOFError and exits "
                  "by itself; the parent has not joined it yet.",
                  "父进程 {careless} join 子进程后退出。再运行同一个程序，但 fork 之后每个进程立即"
                  "关闭自己用不到的那一端：子进程关闭它继承来的发送端副本，父进程关闭自己的接收端；"
                  "父进程发送完毕后再关闭自己的发送端。收完 3 条消息后，子进程遇到 EOFError，自己"
                  "退出；父进程还没有 join 它。"),
            do=(Shell("kill -USR1 {careless}"), Run("careful", "pipe/eof.py", ("close",))),
            checks=(exited("careless"),
                    Check(T("the receiver: a child of PID {careful}", "接收方：PID {careful} 的子进程"),
                          lambda w: w.child("careful"), bind="receiver"),
                    Check(T("the receiver {receiver} caught EOFError and exited with status 0",
                            "接收方 {receiver} 捕获了 EOFError，并以状态 0 退出"),
                          lambda w: w.zombie_exit("receiver") == 0
                          and "recv() raised EOFError" in w.output("careful"))),
            show=("zombies",),
        ),
        Step(
            title=T("join()", "join()"),
            say=T("The parent {careful} joins its child, which leaves the table, and exits.",
                  "父进程 {careful} join 子进程，子进程从进程表中消失，父进程随后退出。"),
            do=(Shell("kill -USR1 {careful}"),),
            checks=(Check(T("no child of PID {careful} left", "PID {careful} 没有剩下任何子进程"),
                          lambda w: not w.children("careful")),
                    exited("careful")),
            show=("ps",),
        ),
    ),
    outro=T(
        "Pipe() is two-way, Pipe(duplex=False) one-way: (receive end, send end). A Pipe links "
        "two processes; for more, use a Queue. After fork, close every end a process does not "
        "use, in every process: recv() raises EOFError only when no copy of the send end is "
        "left, and a forgotten copy -- even the receiver's own -- makes it wait forever.",
        "Pipe() 是双向的，Pipe(duplex=False) 是单向管道，返回 (接收端, 发送端)。一个管道连接两个"
        "进程；进程更多时请用队列。fork 之后，每个进程都要关掉自己用不到的那些端：只有发送端的副本"
        "一个不剩时，recv() 才会抛出 EOFError；任何一个被遗忘的副本——哪怕在接收方自己手里——都会"
        "让它永远等下去。",
    ),
)
