"""Lab: the ticket race (抢票) -- without a lock tickets are oversold; a Lock or join() fixes it.

The claims are checked in what the buyers leave behind, not in what the program prints: the
ticket file, and the sales log to which every buyer that believes it bought appends one line.
"""

import collections
import json
import re
from typing import Optional

from lab.labs.claims import exited
from lab.labs.model import Check, Lab, Run, Shell, Step, T, World

EVERY_BUYER_OK = T("every buyer finished without error", "每个买票的子进程都正常结束")

PROGRAM = "lock/tickets.py"
# In the programs' working directory (a container's /tmp/work, a folder of its own in place).
TICKETS_FILE = "tickets.json"
SALES_LOG = "sales.log"
BUYERS = 8
TICKETS = 3
RACE_ROUNDS = 5  # a race depends on timing: the program tries this many rounds for it to show
LOCK_ROUNDS = 3  # one right answer could be luck
CONCURRENT = BUYERS // 2  # buyers seen alive at once that make "they run concurrently" true
SALE = re.compile(r"round (\d+) buyer (\d+) ")  # the start of a line of the sales log
SHOW_FILES = (Shell(f"cat {TICKETS_FILE}"), Shell(f"cat {SALES_LOG}"))


def tickets_left(w: World) -> Optional[int]:
    """The count in the ticket file, or None if it cannot be read."""
    try:
        return json.loads(w.read(TICKETS_FILE))["count"]
    except (TypeError, ValueError, KeyError):
        return None


def sales(w: World) -> Optional[list]:
    """(round, buyer) of each line of the sales log, in the order the sales were made.

    None if the log cannot be read or holds a line that is not a sale.
    """
    text = w.read(SALES_LOG)
    if text is None:
        return None
    matches = [SALE.match(line) for line in text.splitlines()]
    return [(int(m[1]), int(m[2])) for m in matches] if all(matches) else None


def last_round_oversold(w: World) -> bool:
    """The program stops after the first round that oversold: that round is the last in the log."""
    sold = sales(w)
    if not sold:
        return False
    last = sold[-1][0]
    return sum(round_ == last for round_, _ in sold) > TICKETS


def every_round_exact(w: World) -> bool:
    per_round = collections.Counter(round_ for round_, _ in sales(w) or ())
    expected = {round_: TICKETS for round_ in range(1, LOCK_ROUNDS + 1)}
    return per_round == expected and tickets_left(w) == 0


def sold_in_buyer_order(w: World) -> bool:
    return sales(w) == [(1, buyer) for buyer in range(TICKETS)] and tickets_left(w) == 0


OVERSOLD = Check(
    T(f"the last round in {SALES_LOG} sold more than {TICKETS} tickets",
      f"{SALES_LOG} 中最后一轮卖出的票多于 {TICKETS} 张"),
    last_round_oversold,
)
EXACT_EVERY_ROUND = Check(
    T(f"each of the {LOCK_ROUNDS} rounds sold exactly {TICKETS} tickets, and 0 are left",
      f"{LOCK_ROUNDS} 轮中每一轮都恰好卖出 {TICKETS} 张，余票为 0"),
    every_round_exact,
)
IN_BUYER_ORDER = Check(
    T(f"buyers 0 to {TICKETS - 1} bought the {TICKETS} tickets, in that order, and 0 are left",
      f"0 到 {TICKETS - 1} 号子进程按顺序买到了 {TICKETS} 张票，余票为 0"),
    sold_in_buyer_order,
)

LAB = Lab(
    name="lock",
    summary=T("the ticket race: without a lock tickets are oversold; a Lock or join() prevents it",
              "抢票：不加锁会超卖；互斥锁或 join() 都能避免，但方式不同"),
    intro=T(
        f"The tutorial's ticket office. A file in the programs' working directory, "
        f"{TICKETS_FILE}, holds the count of tickets left: {TICKETS} at first. {BUYERS} buyer "
        f"processes each read the count, wait a "
        f"simulated network delay of 0.1 s, and if a ticket was left write the count minus one "
        f"back. Every buyer that believes it bought a ticket appends one line to {SALES_LOG}. "
        f"The lab does not take the program's word for anything: it reads these two files "
        f"itself and compares the sales with the {TICKETS} tickets there were.",
        f"教程里的抢票程序。程序工作目录下的文件 {TICKETS_FILE} 里存着余票数，一开始是 {TICKETS} 张。"
        f"{BUYERS} 个买票的子进程各自读出余票数，模拟 0.1 秒的网络延迟，如果还有票，就把余票数"
        f"减一写回去。每个认为自己买到了票的子进程都会往 {SALES_LOG} 追加一行。实验不看程序"
        f"自己打印的结果，而是直接读这两个文件，把卖出的张数和原有的 {TICKETS} 张票对比。",
    ),
    steps=(
        Step(
            title=T(f"No lock: {BUYERS} buyers, {TICKETS} tickets",
                    f"不加锁：{BUYERS} 个人抢 {TICKETS} 张票"),
            say=T(
                f"The parent writes a fresh ticket file and starts the {BUYERS} buyers at once. "
                f"Nothing stops them from reading the same count before anyone writes it back. "
                f"Whether a race condition shows depends on timing, so the program plays up to "
                f"{RACE_ROUNDS} rounds, each "
                f"with a fresh ticket file, and stops after the first round that oversold.",
                f"父进程写好一个新的票文件，同时启动 {BUYERS} 个买票的子进程。没有任何东西能阻止"
                f"它们在别人写回之前读到同一个余票数。竞态条件出不出现要看时机，所以程序最多抢 "
                f"{RACE_ROUNDS} 轮，每轮都用一个新的票文件，一旦某一轮超卖就停下。",
            ),
            do=(Run("racer", PROGRAM, ("nolock", BUYERS, TICKETS, RACE_ROUNDS)),),
            checks=(exited("racer", why=EVERY_BUYER_OK),),
            show=(),
        ),
        Step(
            title=T("No lock: the files say oversold", "不加锁：文件里的记录显示超卖了"),
            say=T(
                "The ticket file and the sales log, as the buyers left them. Count the lines of "
                "the last round: more buyers believe they bought a ticket than there were "
                "tickets, and what the ticket file says is left does not add up with them. Each "
                "buyer did its own part right; the data went wrong because their "
                "read-delay-write sequences overlapped.",
                "下面是买票的子进程留下的票文件和售票记录。数一数最后一轮的行数：认为自己买到票的"
                "人比票还多，票文件里的余票数也和它们对不上。每个子进程自己做的都没错；数据错乱"
                "是因为它们的“读-延迟-写”交错在了一起。",
            ),
            do=SHOW_FILES,
            checks=(OVERSOLD,),
            show=(),
        ),
        Step(
            title=T("With a Lock around read, delay and write", "加互斥锁：锁住读、延迟和写"),
            say=T(
                f"Now the buyers share one multiprocessing.Lock and hold it from reading the "
                f"count until they have written it back. They are still started all at once and "
                f"alive at the same time; only the part under the lock runs one buyer at a time. "
                f"One right answer could be luck: the program plays {LOCK_ROUNDS} rounds.",
                f"这次所有买票的子进程共用一把 multiprocessing.Lock（互斥锁），从读余票数开始，"
                f"直到写回为止都拿着锁。它们仍然是同时启动、同时存在的（并发）；只有锁住的那一段"
                f"一次只让一个子进程执行（串行）。一次正确可能只是运气好，所以程序连抢 "
                f"{LOCK_ROUNDS} 轮。",
            ),
            do=(Run("locker", PROGRAM, ("lock", BUYERS, TICKETS, LOCK_ROUNDS)),),
            checks=(
                Check(T(f"at least {CONCURRENT} buyers (children of PID {{locker}}) alive at once",
                        f"同一时刻至少有 {CONCURRENT} 个买票的子进程（PID {{locker}} 的子进程）"
                        f"活着"),
                      lambda w: len(w.living_children("locker")) >= CONCURRENT),
                exited("locker", why=EVERY_BUYER_OK),
            ),
            show=(),
        ),
        Step(
            title=T(f"With a Lock: exactly {TICKETS} tickets sold, every round",
                    f"加锁：每一轮都恰好卖出 {TICKETS} 张"),
            say=T(
                f"Each round sold exactly {TICKETS} tickets, and the last ticket file says none "
                f"is left. Look at which buyers got them: whoever took the lock first, which "
                f"may change from round to round.",
                f"每一轮都恰好卖出 {TICKETS} 张，最后的票文件显示余票为 0。再看看是哪些子进程买到"
                f"了票：谁先抢到锁谁就先买，每一轮都可能不一样。",
            ),
            do=SHOW_FILES,
            checks=(EXACT_EVERY_ROUND,),
            show=(),
        ),
        Step(
            title=T("join() instead of a lock", "用 join() 代替锁"),
            say=T(
                "No lock this time: the parent starts a buyer and join()s it before it starts "
                "the next, the tutorial's start-then-join loop. That serialises the whole buyer, "
                "not only its read-delay-write: the observer looks at every snapshot, and none "
                "may show two buyers alive at once.",
                "这次不加锁：父进程启动一个买票的子进程，先 join() 等它结束，再启动下一个，也就是"
                "教程里 start 之后紧跟 join 的写法。这样串行的是整个子进程，而不只是它的"
                "“读-延迟-写”：观察器检查每一次快照，任何一次都不能出现两个买票的子进程同时活着。",
            ),
            do=(Run("joiner", PROGRAM, ("join", BUYERS, TICKETS, 1)),),
            checks=(
                Check(T("a buyer (a child of PID {joiner}) alive",
                        "一个买票的子进程（PID {joiner} 的子进程）活着"),
                      lambda w: w.living_children("joiner")),
                exited("joiner", why=EVERY_BUYER_OK),
            ),
            never=Check(T("two buyers (children of PID {joiner}) alive at once",
                          "两个买票的子进程（PID {joiner} 的子进程）同时活着"),
                        lambda w: len(w.living_children("joiner")) >= 2),
            show=(),
        ),
        Step(
            title=T("join(): the tickets go in buyer order", "join()：按启动顺序卖票"),
            say=T(
                f"With join() the order is fixed: buyers 0 to {TICKETS - 1} bought the "
                f"{TICKETS} tickets, one after the other, and the rest found none. Right, and "
                f"nothing ran concurrently any more.",
                f"用 join() 时顺序是固定的：0 到 {TICKETS - 1} 号子进程依次买到了这 {TICKETS} "
                f"张票，其余的都没买到。结果正确，但已经完全没有并发了。",
            ),
            do=SHOW_FILES,
            checks=(IN_BUYER_ORDER,),
            show=(),
        ),
    ),
    outro=T(
        "A Lock and join() both get the count right by making something serial. join() makes "
        "everything serial: one buyer exists at a time, in a fixed order. A Lock makes serial "
        "only the code between acquire() and release(), and the buyers stay concurrent around "
        "it. Lock as little as you can, but the whole read-modify-write: a lock around the "
        "write alone still oversells, since every buyer may have read the same count.",
        "互斥锁和 join() 都能让票数正确，靠的都是把某些东西变成串行。join() 让一切都串行："
        "同一时刻只有一个子进程存在，顺序也是固定的。锁只让 acquire() 和 release() 之间的代码"
        "串行，锁外面的部分子进程仍然并发执行。锁住的代码越少越好，但必须包住整个“读-改-写”："
        "只锁住写这一步照样会超卖，因为每个子进程可能早已读到了同一个余票数。",
    ),
)
