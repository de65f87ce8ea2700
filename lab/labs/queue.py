"""Lab: multiprocessing.Queue -- maxsize and a put() that blocks, queue.Full and queue.Empty,
get(timeout=...), first in first out, and the tutorial's wristband sale.

What a process put or got is counted in logs the processes append to in their working
directory, read by the lab; that a put() or get() is blocked is seen in the process table (alive, state S). The
programs' printouts are used only for what the programs alone know: which exception they caught
and how long they measured it took.
"""

import re
from typing import Optional

from lab.labs.model import ByBackend, Check, Lab, Run, Shell, Step, T, World, cat
from lab.sandbox import Limits

SHELF = "queue/shelf.py"
ROOM = 3  # the shelf's maxsize
MADE = 5  # items the producer puts
WAIT = 3  # seconds of get(timeout=WAIT) on the empty shelf
WAITED = 1.5  # seconds the lab watches that wait: WAIT leaves room for a slow start
BLOCKED = 1.0  # seconds the lab watches a put() that blocks
SHELF_LOG = "shelf.log"  # in the programs' working directory, as SALE_LOG

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
                f"生产者 {{producer}} 有 {count} 次 put() 已经返回（见 {SHELF_LOG}）"),
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
        f"with timeout=..., they wait that long first. The first program is a shop: its shelf "
        f"is a Queue(maxsize={ROOM}), and a producer (a child process) puts {MADE} items on "
        f"it. Both note every put and get in {SHELF_LOG}, in their working directory, which the "
        f"lab reads itself.",
        f"multiprocessing.Queue（队列）在进程之间传递数据。Queue(maxsize=n) 最多容纳 n 个还没被"
        f"取走的数据：队列满时 put() 会阻塞，直到某个 get() 腾出位置；队列空时 get() 会阻塞，直到"
        f"有数据到来。put_nowait() 和 get_nowait()（即 block=False）从不等待：队列满或空时直接抛出 "
        f"queue.Full 或 queue.Empty；如果给了 timeout=...，则先等这么久再抛出。第一个程序是一家"
        f"小店：货架是一个 Queue(maxsize={ROOM})，一个生产者（子进程）往上面放 {MADE} 件商品。"
        f"两个进程把每次 put 和 get 都记到工作目录下的 {SHELF_LOG} 里，实验亲自读取这个文件。",
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
            say=T("Where does the producer sleep? ps shows the kernel function (WCHAN): a futex, "
                  "the semaphore that counts the free places. Now the shop itself tries "
                  "put_nowait(): no free place, and it will not wait, so it raises queue.Full at "
                  "once. The shelf is unchanged.",
                  "生产者睡在哪里？ps 能显示它所在的内核函数（WCHAN）：一个 futex，也就是给空位计数的"
                  "信号量。现在小店自己试着调用 put_nowait()：没有空位，它又不肯等，于是立刻抛出 "
                  "queue.Full。货架没有任何变化。"),
            do=(Shell("ps -o pid,stat,wchan:20,args -p {producer}"), Shell("kill -USR1 {shop}")),
            checks=(Check(T("the shop {shop} caught queue.Full from put_nowait()",
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
                  f"The shop has not joined the producer yet, so it stays a zombie, and the table "
                  f"shows its exit status.",
                  f"小店取走其余 {MADE - 1} 件商品；生产者放入最后一件后结束。日志记下了顺序：取出的"
                  f"顺序和放入的顺序完全一样。小店还没有 join 生产者，所以它暂时是僵尸进程，进程表里"
                  f"能看到它的退出状态。"),
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
            title=T(f"The sale: {BANDS} wristbands, {BUYERS} buyers",
                    f"抢手环：{BANDS} 个手环，{BUYERS} 个买家"),
            say=cat(
                T(f"The tutorial's sale. The stock is a Queue holding {BANDS} wristbands; each of "
                  f"{BUYERS} buyers is a process that tries to get() one. ",
                  f"教程里的抢手环。库存是一个装着 {BANDS} 个手环的队列；{BUYERS} 个买家各是一个进程，"
                  f"每人用 get() 抢一个。"),
                ByBackend(
                    docker=T(f"The container allows {PROCESSES} processes (threads count too)",
                             f"容器最多允许 {PROCESSES} 个进程（线程也算在内）"),
                    local=T(f"A sandbox in place allows {PROCESSES} processes (threads count too) when "
                            f"proclab runs as root: a limit on the sandbox's own uid (RLIMIT_NPROC)",
                            f"以 root 身份运行 proclab 时，原地运行的沙箱最多允许 {PROCESSES} 个进程（线程也"
                            f"算在内）：这是对沙箱专用 uid 的限制（RLIMIT_NPROC）"),
                ),
                T(f", so the shop lets them in {AT_ONCE} at "
                  f"a time. A buyer waits at most {PATIENCE} s: get_nowait() could say Empty while "
                  f"wristbands are left, when another buyer holds the queue's lock at that moment. "
                  f"Every buyer appends what it got to {SALE_LOG}; the lab counts there.",
                  f"，所以小店"
                  f"每次放 {AT_ONCE} 个买家进来。买家最多等 {PATIENCE} 秒（超时）：get_nowait() 可能"
                  f"在还有手环时就报 Empty——恰好另一个买家正拿着队列的锁。每个买家都把自己抢到了什么追加到 "
                  f"{SALE_LOG}；实验就在那里计数。"),
            ),
            do=(Run("sale", SALE, (BANDS, BUYERS, AT_ONCE, PATIENCE, SALE_LOG)),),
            checks=(
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
        "A Queue is a pipe plus locks and a semaphore: put() waits while maxsize items are "
        "waiting, get() while none is. The _nowait forms and timeouts never hang, so they must "
        "handle queue.Full and queue.Empty -- and an Empty says 'nothing for me right now', "
        "not 'nothing left'. Pipes, one step lower: `proclab lab pipe`.",
        "队列 Queue 就是一个管道加上锁和信号量：已有 maxsize 个数据在等待时 put() 阻塞，一个都"
        "没有时 get() 阻塞。_nowait 形式和带超时的调用永远不会卡死，所以必须处理 queue.Full 和 "
        "queue.Empty——而且 Empty 的意思是“此刻我拿不到”，而不是“已经没有了”。再往下一层是管道："
        "`proclab lab pipe`。",
    ),
)
