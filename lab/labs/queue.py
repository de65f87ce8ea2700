"""Lab: multiprocessing.Queue -- maxsize and a put() that blocks, queue.Full and queue.Empty,
get(timeout=...), first in first out, the feeder thread behind put(), and the tutorial's
wristband sale.

What a process put or got is counted in logs the processes append to in their working
directory, read by the lab; that a put() or get() is blocked is seen in the process table (alive,
state S); a process's threads are counted in /proc/<pid>/status. The programs' printouts are used
only for what the programs alone know: which exception they caught, how long they measured it
took, and what empty() and qsize() said.
"""

import re
from typing import Optional

from lab.labs.claims import exited
from lab.labs.model import ByBackend, Check, Lab, Run, Shell, Step, T, World, cat
from lab.sandbox import Limits

SHELF = "queue/shelf.py"
ROOM = 3  # the shelf's maxsize
MADE = 5  # items the producer puts
WAIT = 3  # seconds of get(timeout=WAIT) on the empty shelf
WAITED = 1.5  # seconds the lab watches that wait: WAIT leaves room for a slow start
BLOCKED = 1.0  # seconds the lab watches a put() that blocks
SHELF_LOG = "shelf.log"  # in the programs' working directory, as SALE_LOG

FEEDER = "queue/feeder.py"
TRIES = 100  # put()s the feeder program tries for empty() to say True right after one: see there

SALE = "queue/sale.py"
BANDS, BUYERS, AT_ONCE = 10, 100, 50
PATIENCE = 2  # seconds a buyer waits for a wristband
SALE_LOG = "sale.log"
PROCESSES = Limits().pids  # what a lab's sandbox allows
SALE_DEADLINE = 30.0  # buyers come in groups, each waits up to PATIENCE; this bounds the polling
PURCHASE = re.compile(r"buyer (\d+) got (\S+)")


# -- evidence ------------------------------------------------------------------------------------

def shelf_log(w: World, verb: str) -> list:
    """The items the shelf log says were `verb` ("put" or "got"), in the order of the log."""
    lines = (line.split() for line in (w.read(SHELF_LOG) or "").splitlines())
    return [words[1] for words in lines if len(words) == 2 and words[0] == verb]


def puts(w: World) -> int:
    return len(shelf_log(w, "put"))


def threads(w: World, role: str) -> Optional[int]:
    """How many threads the kernel counts in `role` (Threads: in /proc/<pid>/status)."""
    found = re.search(r"^Threads:\s+(\d+)$", w.read(f"/proc/{w.roles[role]}/status") or "", re.M)
    return int(found[1]) if found else None


def purchases(w: World) -> Optional[list]:
    """(buyer PID, what it got) for each line of the sale log; None if a line is not a purchase."""
    matches = [PURCHASE.fullmatch(line) for line in (w.read(SALE_LOG) or "").splitlines()]
    return [(int(m[1]), m[2]) for m in matches] if all(matches) else None


def every_buyer_wrote(w: World) -> bool:
    """BUYERS lines, each from a different process, none of them the shop."""
    lines = purchases(w) or ()
    buyers = {pid for pid, _ in lines}
    return len(lines) == len(buyers) == BUYERS and w.roles["sale"] not in buyers


def sold_exactly_the_stock(w: World) -> bool:
    sold = [band for _, band in purchases(w) or () if band != "nothing"]
    return sorted(sold) == sorted(f"wristband-{n}" for n in range(1, BANDS + 1))


def measured_wait(w: World) -> Optional[float]:
    found = re.search(r"get\(timeout=\d+\) raised queue\.Empty after (\d+\.\d+) s", w.output("shop"))
    return float(found[1]) if found else None


# -- checks --------------------------------------------------------------------------------------

def blocked_after(count: int) -> tuple:
    """The producer has put `count` items and sleeps in the next put(); the count does not move.

    The count can only grow, so equal counts before and after the held second mean it did not
    move in between. The held check looks at the table alone: no file read slows it down.
    """
    return (
        Check(T(f"the producer {{producer}} returned from {count} put() calls (in {SHELF_LOG})",
                f"生产者 {{producer}} 的 put() 已经返回了 {count} 次（见 {SHELF_LOG}）"),
              lambda w: puts(w) == count),
        Check(T(f"its put() number {count + 1} blocks: {{producer}} stays alive and asleep "
                f"(state S) for {BLOCKED:g} s",
                f"它的第 {count + 1} 次 put() 阻塞了：{{producer}} 在 {BLOCKED:g} 秒内一直活着并处于"
                f"睡眠状态（S）"),
              lambda w: w.state("producer") == "S", hold=BLOCKED),
        Check(T(f"still {count} puts after those {BLOCKED:g} s: nothing else got in",
                f"这 {BLOCKED:g} 秒过后仍然只有 {count} 次 put：再也没有放进去任何东西"),
              lambda w: puts(w) == count),
    )


LAB = Lab(
    name="queue",
    summary=T("Queue: maxsize and a blocked put(), queue.Full and queue.Empty, timeouts, FIFO, "
              "and the wristband sale",
              "队列 Queue：maxsize 与阻塞的 put()、queue.Full 与 queue.Empty、超时、先进先出，"
              "以及抢手环"),
    intro=T(
        f"A multiprocessing.Queue carries items between processes. Queue(maxsize=n) holds at "
        f"most n items that nobody has got yet: put() on a full queue blocks until a get() frees "
        f"a place, and get() on an empty one blocks until an item comes. put_nowait() and "
        f"get_nowait() (block=False) never wait: they raise queue.Full and queue.Empty instead; "
        f"put() and get() given timeout=... wait at most that long, then raise them. The first "
        f"program is a shop: its shelf is a Queue(maxsize={ROOM}), and a producer (a child "
        f"process) puts {MADE} items on it. Both note every put and get in {SHELF_LOG}, in their "
        f"working directory, which the lab reads itself.",
        f"multiprocessing.Queue（队列）在进程之间传递数据。Queue(maxsize=n) 最多容纳 n 个还没被"
        f"取走的数据：队列满时 put() 会阻塞，直到某个 get() 腾出位置；队列空时 get() 会阻塞，直到"
        f"有数据到来。put_nowait() 和 get_nowait()（即 block=False）从不等待：队列满或空时直接抛出 "
        f"queue.Full 或 queue.Empty；给 put() 和 get() 传入 timeout=...，它们最多等这么久，然后"
        f"抛出同样的异常。第一个程序是一家小店：货架是一个 Queue(maxsize={ROOM})，一个生产者"
        f"（子进程）往上面放 {MADE} 件商品。两个进程把每次 put 和 get 都记到工作目录下的 "
        f"{SHELF_LOG} 里，实验直接读取这个文件。",
    ),
    steps=(
        Step(
            title=T(f"Queue(maxsize={ROOM}): put() number {ROOM + 1} blocks",
                    f"Queue(maxsize={ROOM})：第 {ROOM + 1} 次 put() 阻塞了"),
            say=T(f"The shop makes the shelf and starts the producer, and takes nothing yet. "
                  f"The producer puts item-1 to item-{ROOM}: the shelf is full. Its put() number "
                  f"{ROOM + 1} does not fail and does not return: it waits for a free place, asleep.",
                  f"小店创建货架、启动生产者，但暂时什么都不取。生产者放入 item-1 到 item-{ROOM}："
                  f"货架满了。它的第 {ROOM + 1} 次 put() 既不报错也不返回：它在睡眠中等待空位。"),
            do=(Run("shop", SHELF, (ROOM, MADE, WAIT, SHELF_LOG)),),
            checks=(Check(T("the producer: a child of the shop {shop}",
                            "生产者：小店 {shop} 的子进程"),
                          lambda w: w.child("shop"), bind="producer"),
                    *blocked_after(ROOM)),
            show=("tree",),
        ),
        Step(
            title=T("put_nowait() on a full queue: queue.Full", "队列满时 put_nowait()：queue.Full"),
            say=T("Where does the producer sleep? ps shows the kernel function it waits in "
                  "(WCHAN): a futex wait, on the semaphore that counts the free places. Its STAT "
                  "is Sl: the l marks a process with more than one thread. The producer's first "
                  "put() started a second one, the Queue's feeder thread (more on it below). Now "
                  "the shop itself tries put_nowait(): no free place, and it will not wait, so it "
                  "raises queue.Full at once. The shelf is unchanged.",
                  "生产者睡在哪里？ps 的 WCHAN 列显示它在哪个内核函数里等待：futex，等的是记录空位数的"
                  "信号量。它的 STAT 是 Sl：l 表示这个进程不止一个线程——生产者第一次 put() 时启动了"
                  "第二个线程，即队列的 feeder 线程（后面细说）。现在小店自己试着调用 put_nowait()："
                  "没有空位，它又不肯等，于是立刻抛出 queue.Full。货架没有任何变化。"),
            do=(Shell("ps -o pid,stat,wchan:20,args -p {producer}"), Shell("kill -USR1 {shop}")),
            checks=(Check(T("the producer {producer} waits in the kernel's futex code "
                            "(/proc/{producer}/wchan) and has two threads (Threads: 2)",
                            "生产者 {producer} 在内核的 futex 代码里等待（/proc/{producer}/wchan），"
                            "并且有两个线程（Threads: 2）"),
                          lambda w: "futex" in (w.read(f"/proc/{w.roles['producer']}/wchan") or "")
                          and threads(w, "producer") == 2),
                    Check(T("the shop {shop} caught queue.Full from put_nowait()",
                            "小店 {shop} 的 put_nowait() 抛出了 queue.Full"),
                          lambda w: "put_nowait() raised queue.Full" in w.output("shop")),
                    Check(T(f"the shelf did not change: still {ROOM} puts, the producer "
                            f"{{producer}} still asleep",
                            f"货架没有变化：仍然只有 {ROOM} 次 put，生产者 {{producer}} 仍在睡眠"),
                          lambda w: puts(w) == ROOM and w.state("producer") == "S")),
            show=(),
        ),
        Step(
            title=T("One get() frees one place: one more put() gets in",
                    "一次 get() 腾出一个位置：恰好再放进去一个"),
            say=T(f"The shop gets one item. That frees one place, and the producer's waiting put() "
                  f"number {ROOM + 1} returns at once. Its put() number {ROOM + 2} finds the "
                  f"shelf full again, and blocks.",
                  f"小店取走一件商品。这腾出了一个位置，生产者一直在等的第 {ROOM + 1} 次 put() 立刻"
                  f"返回。它的第 {ROOM + 2} 次 put() 发现货架又满了，于是再次阻塞。"),
            do=(Shell("kill -USR1 {shop}"),),
            checks=(Check(T("the shop {shop} got one item", "小店 {shop} 取走了一件商品"),
                          lambda w: len(shelf_log(w, "got")) == 1),
                    *blocked_after(ROOM + 1)),
            show=(),
        ),
        Step(
            title=T("First in, first out", "先进先出"),
            say=T(f"The shop gets the other {MADE - 1} items; the producer puts its last one and "
                  f"ends. The log shows the order: the items came out in the order they went in. "
                  f"The shop has not joined the producer yet, so the producer stays a zombie, and "
                  f"the table shows its exit status.",
                  f"小店取走其余 {MADE - 1} 件商品；生产者放入最后一件后结束。日志记下了顺序：取出的"
                  f"顺序和放入的顺序完全一样。小店还没有 join 生产者，所以生产者暂时是僵尸进程，"
                  f"进程表里能看到它的退出状态。"),
            do=(Shell("kill -USR1 {shop}"),),
            checks=(Check(T(f"all {MADE} items got, in the order they were put (in {SHELF_LOG})",
                            f"{MADE} 件商品全部取出，顺序与放入时相同（见 {SHELF_LOG}）"),
                          lambda w: shelf_log(w, "got") == shelf_log(w, "put") == [
                              f"item-{n}" for n in range(1, MADE + 1)]),
                    Check(T("the producer {producer} exited with status 0, a zombie until the "
                            "shop joins it",
                            "生产者 {producer} 以状态 0 退出，在小店 join 它之前是僵尸进程"),
                          lambda w: w.zombie_exit("producer") == 0)),
            show=("zombies",),
        ),
        Step(
            title=T(f"An empty queue: get_nowait() and get(timeout={WAIT})",
                    f"空队列：get_nowait() 与带超时的 get(timeout={WAIT})"),
            say=T(f"The shop joins the producer, and the shelf is empty. get_nowait() raises "
                  f"queue.Empty at once. get(timeout={WAIT}) waits first: the lab watches the shop "
                  f"stay asleep for {WAITED:g} s, then sees it give up with queue.Empty and exit. "
                  f"The shop measured the wait itself, too.",
                  f"小店 join 了生产者，货架空了。get_nowait() 立刻抛出 queue.Empty。"
                  f"get(timeout={WAIT}) 则会先等：实验看着小店睡眠 {WAITED:g} 秒，然后看到它放弃、"
                  f"抛出 queue.Empty 并退出。小店自己也测量了等待的时间。"),
            do=(Shell("kill -USR1 {shop}"),),
            checks=(
                Check(T("the producer {producer} reaped by join()",
                        "生产者 {producer} 已被 join() 回收"),
                      lambda w: w.gone("producer")),
                Check(T("the shop {shop} caught queue.Empty from get_nowait()",
                        "小店 {shop} 的 get_nowait() 抛出了 queue.Empty"),
                      lambda w: "get_nowait() raised queue.Empty" in w.output("shop")),
                Check(T(f"then get(timeout={WAIT}) waits: the shop {{shop}} alive and asleep "
                        f"(state S) for {WAITED:g} s",
                        f"接着 get(timeout={WAIT}) 开始等待：小店 {{shop}} 在 {WAITED:g} 秒内一直"
                        f"活着并处于睡眠状态（S）"),
                      lambda w: w.state("shop") == "S", hold=WAITED),
                Check(T(f"… and gives up: the shop {{shop}} caught queue.Empty, measured about "
                        f"{WAIT} s, and exited 0",
                        f"……然后放弃：小店 {{shop}} 捕获 queue.Empty，测得约 {WAIT} 秒，"
                        f"并以状态 0 退出"),
                      lambda w: w.exit_code("shop") == 0
                      and WAIT - 0.1 <= (measured_wait(w) or 0) < WAIT + 1, timeout=WAIT),
            ),
            show=(),
        ),
        Step(
            title=T("A Queue's feeder thread", "队列的 feeder 线程"),
            say=T("Before the sale, a look inside put(). A Queue is a pipe between processes, "
                  "plus a thread in each process that puts: the feeder thread, which that "
                  "process's first put() starts, and which writes the items to the pipe. A new "
                  "program makes a Queue and puts nothing yet: it has one thread.",
                  "抢手环之前，先看看 put() 内部。队列是进程之间的一条管道，再加上每个放数据的进程里"
                  "的一个线程：feeder 线程。它由该进程第一次 put() 启动，负责把数据写进管道。一个新"
                  "程序创建了队列，但还没有放任何东西：它只有一个线程。"),
            do=(Run("putter", FEEDER, (TRIES,)),),
            checks=(Check(T("{putter} made a Queue and has one thread (Threads: 1 in "
                            "/proc/{putter}/status)",
                            "{putter} 创建了队列，只有一个线程（/proc/{putter}/status 中 Threads: 1）"),
                          lambda w: "a Queue made" in w.output("putter") and threads(w, "putter") == 1),),
            show=(),
        ),
        Step(
            title=T("put() returns before the item is in the pipe", "put() 返回时，数据还没进管道"),
            say=T(f"The program puts an item. put() appends it to a buffer in the process, wakes "
                  f"the feeder thread, and returns: the feeder pickles the item and writes it to "
                  f"the pipe afterwards. So right after put(), qsize() says 1 -- it counts a "
                  f"semaphore that put() takes at once -- while empty(), which asks whether the "
                  f"pipe has anything to read, says True as long as the feeder has not written. "
                  f"Which of the two threads goes first is a race condition: the program tries up "
                  f"to {TRIES} times (put(), then at once empty() and qsize(), then get() the item "
                  f"back) and stops at the first try that shows it.",
                  f"程序放入一个数据。put() 把它追加到进程内的一个缓冲区，唤醒 feeder 线程，然后就返回"
                  f"了：之后才由 feeder 线程把数据序列化（pickle）并写进管道。所以刚 put() 完，"
                  f"qsize() 说 1——它数的是 put() 一开始就占用的信号量；而 empty() 问的是管道里有没有"
                  f"可读的数据，只要 feeder 线程还没写，它就说 True。两个线程谁先谁后是一个竞态条件："
                  f"程序最多试 {TRIES} 次（put()，紧接着调用 empty() 和 qsize()，再用 get() 把数据取回），"
                  f"第一次看到这种情况就停下。"),
            do=(Shell("kill -USR1 {putter}"),),
            checks=(
                Check(T("{putter} has two threads now (Threads: 2): its main thread and the "
                        "QueueFeederThread it names",
                        "{putter} 现在有两个线程（Threads: 2）：主线程，以及它报出名字的 "
                        "QueueFeederThread"),
                      lambda w: "threads: MainThread, QueueFeederThread" in w.output("putter")
                      and threads(w, "putter") == 2),
                Check(T(f"right after a put(), empty() said True while qsize() said 1 (the "
                        f"program says on which try, of at most {TRIES})",
                        f"刚 put() 完，empty() 说 True，而 qsize() 说 1（程序报告了是 {TRIES} 次尝试中"
                        f"的第几次）"),
                      lambda w: "empty() said True while qsize() said 1" in w.output("putter")),
            ),
            show=(),
        ),
        Step(
            title=T(f"The sale: {BANDS} wristbands, {BUYERS} buyers",
                    f"抢手环：{BANDS} 个手环，{BUYERS} 个买家"),
            say=cat(
                T(f"The program {{putter}} exits. Now the tutorial's sale. The stock is a Queue "
                  f"holding {BANDS} wristbands; each of {BUYERS} buyers is a process that tries to "
                  f"get() one. ",
                  f"程序 {{putter}} 退出。下面是教程里的抢手环。库存是一个装着 {BANDS} 个手环的队列；"
                  f"{BUYERS} 个买家各是一个进程，每人用 get() 抢一个。"),
                ByBackend(
                    docker=T(f"The container allows {PROCESSES} processes (threads count too)",
                             f"容器最多允许 {PROCESSES} 个进程（线程也算在内）"),
                    local=T(f"A sandbox in place allows {PROCESSES} processes (threads count too) when "
                            f"proclab runs as root: a limit on the sandbox's own uid (RLIMIT_NPROC)",
                            f"以 root 身份运行 proclab 时，原地运行的沙箱最多允许 {PROCESSES} 个进程（线程也"
                            f"算在内）：这是对沙箱专用 uid 的限制（RLIMIT_NPROC）"),
                ),
                T(f", so the shop lets them in {AT_ONCE} at a time. A buyer calls "
                  f"get(timeout={PATIENCE}), not get_nowait(), which could raise queue.Empty while "
                  f"wristbands are left: when another buyer holds the queue's read lock at that "
                  f"moment, or when the shop's feeder thread has not yet written them all to the "
                  f"pipe. Every buyer appends what it got to {SALE_LOG}; the lab counts there.",
                  f"，所以小店每次放 {AT_ONCE} 个买家进来。买家调用的是 get(timeout={PATIENCE})，"
                  f"而不是 get_nowait()：即使还有手环，get_nowait() 也可能抛出 queue.Empty——"
                  f"比如那一刻另一个买家正拿着队列的读锁，或者小店的 feeder 线程还没把手环全部写进"
                  f"管道。每个买家都把自己抢到了什么追加到 {SALE_LOG}，实验就数这个文件。"),
            ),
            do=(Shell("kill -USR1 {putter}"), Run("sale", SALE, (BANDS, BUYERS, AT_ONCE, PATIENCE, SALE_LOG))),
            checks=(
                exited("putter"),
                Check(T(f"{BUYERS} buyers came: {BUYERS} lines in {SALE_LOG}, each from a different "
                        f"process, none from the shop {{sale}}",
                        f"{BUYERS} 个买家都来过：{SALE_LOG} 里有 {BUYERS} 行，各来自不同的进程，"
                        f"没有一行来自小店 {{sale}}"),
                      every_buyer_wrote, timeout=SALE_DEADLINE),
                Check(T(f"exactly {BANDS} of them got a wristband, each wristband once",
                        f"其中恰好 {BANDS} 个买家抢到了手环，每个手环只卖出一次"),
                      sold_exactly_the_stock),
                Check(T("all buyers are gone: the shop {sale} has no child left, not even a zombie",
                        "所有买家进程都已结束：小店 {sale} 没有剩下任何子进程，连僵尸进程也没有"),
                      lambda w: w.alive("sale") and not w.children("sale")),
            ),
            never=Check(T(f"more than {AT_ONCE} buyers at once", f"同时有超过 {AT_ONCE} 个买家"),
                        lambda w: len(w.children("sale")) > AT_ONCE),
            show=(),
        ),
        Step(
            title=T("The shop closes", "小店关门"),
            say=T("These are the buyers that got a wristband, as they wrote it themselves. The "
                  "shop closes.",
                  "下面是抢到手环的买家，由它们自己写下。小店关门。"),
            do=(Shell(f"grep -v nothing {SALE_LOG}"), Shell("kill -USR1 {sale}")),
            checks=(Check(T("the shop {sale} exited with status 0", "小店 {sale} 以状态 0 退出"),
                          lambda w: w.exit_code("sale") == 0),),
            show=("ps",),
        ),
    ),
    outro=T(
        "A Queue is a pipe plus a feeder thread, locks and a semaphore: put() waits while maxsize "
        "items are waiting, get() while none is. The _nowait forms and timeouts never hang, so "
        "they must handle queue.Full and queue.Empty -- and an Empty says 'nothing for me right "
        "now', not 'nothing left'. empty() and qsize() are no surer: right after a put() they "
        "may disagree. Pipes, one step lower: `proclab lab pipe`.",
        "队列 Queue 就是一条管道，加上一个 feeder 线程、几把锁和一个信号量：已有 maxsize 个数据在"
        "等待时 put() 阻塞，一个都没有时 get() 阻塞。_nowait 形式和带超时的调用永远不会卡死，所以"
        "必须处理 queue.Full 和 queue.Empty——而 Empty 的意思是“此刻我拿不到”，不是“已经没有了”。"
        "empty() 和 qsize() 也不可靠：刚 put() 完，两者就可能互相矛盾。再往下一层是管道："
        "`proclab lab pipe`。",
    ),
)
