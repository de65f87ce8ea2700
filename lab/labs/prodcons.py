"""Lab: producers and consumers -- a Queue stopped with sentinels, its classic bug, and a Pipe.

The programs log every event to a file in their working directory, one line per write() on an
O_APPEND file ("consumed bun-1-3 by 42"). What was produced and what was consumed is compared
there, in files the lab reads itself; who is alive, blocked or gone is read from the process table.
"""

import re
from collections import Counter
from typing import Optional

from lab.labs.claims import exited
from lab.labs.model import Check, Lab, Run, Shell, Step, T, World

PRODUCERS, CONSUMERS, ITEMS = 2, 3, 5
BUNS = PRODUCERS * ITEMS
STUCK = CONSUMERS - 1  # consumers left without a sentinel when only one is put
HOLD = 2.0  # seconds the stuck consumers are watched: long enough to see that nothing changes
QUEUE, PIPE = "prodcons/queue_prodcons.py", "prodcons/pipe_prodcons.py"
QUEUE_LOG, BUG_LOG, PIPE_LOG = "queue.log", "one-sentinel.log", "pipe.log"  # in the working directory
LINE = re.compile(r"(\w+) (\S+) by (\d+)")
KINDS = {"producer": "生产者", "consumer": "消费者"}  # the pipe's two workers, in Chinese


# -- evidence ------------------------------------------------------------------------------------

def events(w: World, log: str) -> list:
    """The log's lines as (what, thing, pid), e.g. ("consumed", "bun-1-3", 42).

    A line that does not parse (a torn or foreign write) is left out, so it makes a count wrong
    and the check fail, instead of crashing the lab.
    """
    lines = (LINE.fullmatch(line) for line in (w.read(log) or "").splitlines())
    return [(m[1], m[2], int(m[3])) for m in lines if m]


def things(found: list, what: str) -> list:
    return [thing for verb, thing, _ in found if verb == what]


def pids(found: list, what: str, thing: Optional[str] = None) -> list:
    return [pid for verb, item, pid in found if verb == what and thing in (None, item)]


# -- checks --------------------------------------------------------------------------------------

def all_alive_at_once(role: str, log: str) -> Check:
    """Every producer and consumer the log names is a living child of `role`, in one snapshot.

    The table is looked at first: the log is read (a program run in the sandbox) only when the
    count is right.
    """
    def test(w: World):
        live = {p.pid for p in w.living_children(role)}
        if len(live) != PRODUCERS + CONSUMERS:
            return False
        found = events(w, log)
        makers, eaters = pids(found, "started", "producer"), pids(found, "started", "consumer")
        return len(makers) == PRODUCERS and len(eaters) == CONSUMERS and set(makers + eaters) == live

    return Check(T(f"{PRODUCERS} producers and {CONSUMERS} consumers alive at once, all children of {{{role}}}",
                   f"{PRODUCERS} 个生产者和 {CONSUMERS} 个消费者同时存活，都是 {{{role}}} 的子进程"), test)


def nothing_left(role: str) -> Check:
    """The program and every process it made are gone: a child still running when the parent
    exited would have been adopted by the reaper (PID 1 of a container, the supervisor in place)."""
    return Check(T(f"nothing of the program {{{role}}} left: it is gone, no child, no orphan under "
                   f"PID {{reaper}}",
                   f"程序 {{{role}}} 的进程一个不剩：它已消失，没有子进程，PID {{reaper}} 下也没有孤儿进程"),
                 lambda w: w.gone(role) and not w.adopted())


def eaten_once(found: list) -> bool:
    """All BUNS buns were produced, each once, and each was consumed exactly once."""
    produced = Counter(things(found, "produced"))
    return len(produced) == sum(produced.values()) == BUNS and produced == Counter(things(found, "consumed"))


def each_consumed_once(log: str) -> Check:
    return Check(T(f"all {BUNS} buns produced were consumed, each exactly once (in {log})",
                   f"生产出的 {BUNS} 个包子全部被消费，每个恰好一次（见 {log}）"),
                 lambda w: eaten_once(events(w, log)))


def shared_by_consumers(log: str) -> Check:
    def test(w: World):
        found = events(w, log)
        eaters = set(pids(found, "consumed"))
        return len(eaters) > 1 and eaters <= set(pids(found, "started", "consumer"))

    return Check(T("more than one consumer ate buns", "不止一个消费者吃到了包子"), test)


def one_sentinel_each(log: str) -> Check:
    def test(w: World):
        found = events(w, log)
        return sorted(pids(found, "got", "None")) == sorted(pids(found, "started", "consumer"))

    return Check(T("each consumer got exactly one None", "每个消费者恰好拿到一个 None"), test)


def stuck_consumers(role: str, log: str) -> Check:
    """After the only None: every bun eaten, one consumer ended, the others blocked in get().

    Returns one of the blocked consumers, to be named "stuck".
    """
    def test(w: World):
        blocked = {p.pid for p in w.children(role, state="S")}
        if len(blocked) != STUCK:
            return None
        found = events(w, log)
        stopped = pids(found, "got", "None")
        waiting = set(pids(found, "started", "consumer")) - set(stopped)
        if eaten_once(found) and len(stopped) == 1 and blocked == waiting:
            return w.snapshot.pid(min(blocked))
        return None

    return Check(T(f"all {BUNS} buns eaten, one consumer ended with the only None, the other {STUCK} "
                   f"blocked (state S) as children of {{{role}}}",
                   f"{BUNS} 个包子全部吃完，一个消费者拿到唯一的 None 后结束，其余 {STUCK} 个"
                   f"（{{{role}}} 的子进程）处于阻塞状态（S）"),
                 test, bind="stuck")


def still_stuck(role: str) -> Check:
    """Table only: a log read costs a program run in the sandbox, and would let most snapshots of the stretch
    go unchecked."""
    return Check(T(f"{{{role}}} in join() and its {STUCK} consumers in get() stay blocked (state S)",
                   f"{{{role}}} 阻塞在 join()，它的 {STUCK} 个消费者阻塞在 get()，一直保持阻塞（S）"),
                 lambda w: w.state(role) == "S" and w.state("stuck") == "S"
                 and len(w.children(role, state="S")) == STUCK,
                 hold=HOLD)


def pipe_worker(role: str, log: str, kind: str) -> Check:
    """The `kind` ("producer" or "consumer") the log names, alive under `role`; named `kind`."""
    def test(w: World):
        live = {p.pid for p in w.living_children(role)}
        alive = [pid for pid in pids(events(w, log), "started", kind) if pid in live] if live else []
        return w.snapshot.pid(alive[0]) if len(alive) == 1 else None

    return Check(T(f"the {kind}, a living child of {{{role}}}",
                   f"{{{role}}} 的一个存活的子进程：{KINDS[kind]}"),
                 test, bind=kind)


def received_in_order(log: str) -> Check:
    def test(w: World):
        found = events(w, log)
        consumer = w.roles["consumer"]
        eaten = [thing for verb, thing, pid in found if verb == "consumed" and pid == consumer]
        return (len(eaten) == ITEMS and eaten == things(found, "produced")
                and found[-1] == ("got", "EOFError", consumer))

    return Check(T(f"the consumer {{consumer}} received all {ITEMS} buns in the order sent, then "
                   f"EOFError (in {log})",
                   f"消费者 {{consumer}} 按发送顺序收到全部 {ITEMS} 个包子，然后遇到 EOFError（见 {log}）"),
                 test)


LAB = Lab(
    name="prodcons",
    summary=T("producers and consumers: a Queue with sentinels, the one-sentinel bug, and a Pipe",
              "生产者消费者模型：用结束标志的队列、只放一个结束标志的经典错误，以及管道"),
    intro=T(
        "Producers make data, consumers process it, and a queue between them decouples the two: "
        "neither waits for the other unless the queue is empty or full. Here the producers make "
        "buns and the consumers eat them. Every process appends one line per event to a log in "
        "its working directory ('produced bun-1-3 by 42', 'consumed bun-1-3 by 45'), with a "
        "single write() on a file opened with O_APPEND, so that lines of different processes "
        "never mix. The lab reads these logs itself to compare what was produced with what was "
        "consumed, and the process table to see who is alive, blocked or gone.",
        "生产者负责生产数据，消费者负责处理数据，中间用一个队列把两者解耦：除非队列空了或满了，"
        "谁都不用等谁。这里生产者做包子，消费者吃包子。每个进程每发生一件事，就往工作目录下的日志"
        "追加一行（'produced bun-1-3 by 42'、'consumed bun-1-3 by 45'）：文件用 O_APPEND 打开，"
        "每行只调用一次 write()，所以不同进程写的行不会混在一起。实验直接读取这些日志，比对"
        "生产了什么、消费了什么；再看进程表，确认谁还活着、谁在阻塞、谁已经结束。",
    ),
    steps=(
        Step(
            title=T("Queue: producers and consumers, all alive at once",
                    "队列：生产者和消费者同时运行"),
            say=T(f"The parent creates one multiprocessing.Queue and starts {CONSUMERS} consumers and "
                  f"{PRODUCERS} producers (fork start method, asked for explicitly). The consumers "
                  f"block in get() on the empty queue; the producers wait for the lab's signal "
                  f"before they make anything, so that we can see all {PRODUCERS + CONSUMERS} "
                  f"processes alive at once.",
                  f"父进程创建一个 multiprocessing.Queue 队列，然后启动 {CONSUMERS} 个消费者进程和 "
                  f"{PRODUCERS} 个生产者进程（显式指定 fork 启动方式）。消费者阻塞在空队列的 "
                  f"get() 上；生产者要等实验发信号才开始生产，这样我们就能看到 "
                  f"{PRODUCERS + CONSUMERS} 个进程同时存活。"),
            do=(Run("main", QUEUE, (PRODUCERS, CONSUMERS, ITEMS, CONSUMERS, QUEUE_LOG)),),
            checks=(all_alive_at_once("main", QUEUE_LOG),),
            show=("tree",),
        ),
        Step(
            title=T("Queue: produce, consume, and one sentinel per consumer",
                    "队列：生产、消费，每个消费者一个结束标志"),
            say=T(f"Go. Each producer makes {ITEMS} buns (0.1 s each) and puts them on the queue; "
                  f"whichever consumer is free takes the next one (eating takes 0.2 s). How does a "
                  f"consumer know that nothing more will come? An empty queue proves nothing: a "
                  f"producer may just be slow. So the parent first joins every producer -- after "
                  f"that nobody will put anything -- and then puts one sentinel, None, per "
                  f"consumer. A consumer that gets None leaves its loop; each takes exactly one, "
                  f"so all {CONSUMERS} end.",
                  f"开始。每个生产者做 {ITEMS} 个包子（每个 0.1 秒），放进队列；哪个消费者空闲，"
                  f"就由它取走下一个（吃一个要 0.2 秒）。消费者怎么知道不会再有包子了？队列空了"
                  f"说明不了什么：也许只是生产者慢。所以父进程先 join 所有生产者——此后再也没有"
                  f"进程往队列里放东西——然后为每个消费者放一个结束标志（哨兵）None。消费者拿到 "
                  f"None 就退出循环；每个消费者恰好拿走一个，{CONSUMERS} 个消费者全部结束。"),
            do=(Shell("kill -USR1 {main}"),),
            checks=(
                exited("main", 0, T("every consumer ended by itself", "每个消费者都自己结束了")),
                nothing_left("main"),
                each_consumed_once(QUEUE_LOG),
                shared_by_consumers(QUEUE_LOG),
                one_sentinel_each(QUEUE_LOG),
            ),
            show=("ps",),
        ),
        Step(
            title=T("The classic bug: one sentinel for several consumers",
                    "经典错误：多个消费者只放一个结束标志"),
            say=T("The same program again, but this time the parent puts a single None, as if "
                  "there were one consumer. It starts as before.",
                  "再运行同一个程序，但这次父进程只放一个 None，就好像只有一个消费者。启动过程和"
                  "刚才一样。"),
            do=(Run("buggy", QUEUE, (PRODUCERS, CONSUMERS, ITEMS, 1, BUG_LOG)),),
            checks=(all_alive_at_once("buggy", BUG_LOG),),
            show=(),
        ),
        Step(
            title=T("The classic bug: the other consumers wait forever",
                    "经典错误：其余的消费者永远等下去"),
            say=T(f"Every bun is eaten, then one consumer takes the only None and ends. The other "
                  f"{STUCK} stay blocked in get() on an empty queue that nobody will ever put into "
                  f"again, and the parent stays blocked in join(), waiting for them. Nothing times "
                  f"out: we watch for {HOLD:g} s, and it would be the same after an hour. The "
                  f"consumer that ended may even stay a zombie: the parent joins its consumers in "
                  f"order, and may be stuck on one before it.",
                  f"所有包子都被吃完，然后一个消费者拿走唯一的 None 结束了。其余 {STUCK} 个消费者"
                  f"一直阻塞在空队列的 get() 上，而再也不会有进程往队列里放东西；父进程也一直阻塞"
                  f"在 join() 里等它们。没有任何超时：我们观察 {HOLD:g} 秒，一小时后也还是这样。那个已结束"
                  f"的消费者甚至可能一直是僵尸进程：父进程按顺序 join 消费者，可能正卡在排在它前面"
                  f"的某一个上。"),
            do=(Shell("kill -USR1 {buggy}"),),
            checks=(stuck_consumers("buggy", BUG_LOG), still_stuck("buggy")),
            show=("tree",),
        ),
        Step(
            title=T("The classic bug: only a kill ends it", "经典错误：只能靠 kill 来结束"),
            say=T("We play the deadline the program lacks: pkill -P {buggy} sends SIGTERM to every "
                  "child of {buggy}. join() returns, the killed consumers' exitcode is -15, and the "
                  "program exits with the number of consumers that did not end by themselves. The "
                  "fix: one None per consumer, put after all producers are joined -- or a "
                  "JoinableQueue (see the end).",
                  "我们来充当程序缺少的超时：pkill -P {buggy} 给 {buggy} 的每个子进程发送 "
                  "SIGTERM。join() 随即返回，被杀死的消费者 exitcode 为 -15，程序的退出状态就是"
                  "没能自己结束的消费者个数。正确做法：等所有生产者 join 之后，为每个消费者放一个 "
                  "None——或者使用 JoinableQueue（见最后）。"),
            do=(Shell("pkill -P {buggy}"),),
            checks=(
                exited("buggy", STUCK, T(f"{STUCK} consumers had to be killed",
                                             f"有 {STUCK} 个消费者只能被杀死")),
                nothing_left("buggy"),
            ),
            show=("ps",),
        ),
        Step(
            title=T("Pipe: one producer, one consumer", "管道：一个生产者，一个消费者"),
            say=T("Pipe(duplex=False) returns two connections: (receiving end, sending end). The "
                  "parent gives the sending end to a producer and the receiving end to a consumer. "
                  "Under fork every process inherits a copy of both ends, so each closes the copies "
                  "it does not use: the consumer its sending end, the parent both of its own. The "
                  "producer waits for the lab before it sends.",
                  "Pipe(duplex=False) 是单向管道，返回两个连接对象：(接收端, 发送端)。父进程把发送端交给生产"
                  "者，把接收端交给消费者。用 fork 启动时，每个进程都会继承两端的副本，所以每个进程"
                  "都要关掉自己用不到的副本：消费者关掉它的发送端，父进程关掉自己手里的两端。生产者"
                  "等实验发信号后才开始发送。"),
            do=(Run("piper", PIPE, (ITEMS, PIPE_LOG)),),
            checks=(pipe_worker("piper", PIPE_LOG, "producer"),
                    pipe_worker("piper", PIPE_LOG, "consumer")),
            show=("tree",),
        ),
        Step(
            title=T("Pipe: the producer closes its end, the consumer gets EOFError",
                    "管道：生产者关闭发送端，消费者收到 EOFError"),
            say=T(f"The producer {{producer}} sends {ITEMS} buns and closes its sending end. A pipe "
                  f"needs no sentinel: once every copy of the sending end is closed and the pipe is "
                  f"empty, recv() in the consumer {{consumer}} raises EOFError, and the consumer "
                  f"ends. Had any process kept a copy of the sending end -- the parent, or the "
                  f"consumer itself -- recv() would block forever, like the consumers above.",
                  f"生产者 {{producer}} 发出 {ITEMS} 个包子，然后关闭发送端。管道不需要结束标志："
                  f"一旦发送端的所有副本都已关闭、管道也已读空，消费者 {{consumer}} 的 recv() 就会"
                  f"抛出 EOFError，消费者随之结束。如果有任何进程还留着发送端的副本——无论是父进程"
                  f"还是消费者自己——recv() 都会永远阻塞，就像上面那些消费者一样。"),
            do=(Shell("kill -USR1 {producer}"),),
            checks=(
                Check(T("the producer {producer} has exited", "生产者 {producer} 已退出"),
                      lambda w: not w.alive("producer")),
                Check(T("the consumer {consumer} has ended by itself", "消费者 {consumer} 已自行结束"),
                      lambda w: not w.alive("consumer")),
                exited("piper", 0, T("both ended by themselves", "两者都是自己结束的")),
                nothing_left("piper"),
                received_in_order(PIPE_LOG),
            ),
            show=("ps",),
        ),
    ),
    outro=T(
        "A Queue serves any number of producers and consumers; a Pipe has two ends, and two "
        "processes reading (or writing) the same end at once may corrupt its data. To stop "
        "consumers: one sentinel per consumer, put after the producers are joined -- or a "
        "JoinableQueue: each consumer calls task_done() after each item, the consumers are "
        "daemons, and the parent calls queue.join() after joining the producers. When it "
        "returns every item has been processed, and the daemon consumers end with the parent.",
        "队列可以供任意多个生产者和消费者使用；管道只有两端，两个进程同时读（或同时写）同一端，"
        "数据可能会损坏。让消费者结束的办法：等所有生产者 join 之后，为每个消费者放一个结束标志；"
        "或者使用 JoinableQueue：消费者每处理完一个数据就调用一次 task_done()，消费者设为守护进程"
        "（daemon），父进程 join 完生产者后调用 queue.join()。它返回时，每个数据都已处理完毕，"
        "这些守护进程消费者会随父进程一起结束。",
    ),
)
